package dev.backstop.core.cluster;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What Backstop found when it checked a cluster's components: whether each answers, whether its
 * backup store or repository is configured, and its version.
 */
public record PreflightReport(Instant checkedAt, List<Check> checks) {

  /**
   * @param component {@code zeebe}, {@code operate}, {@code tasklist}, {@code optimize} or {@code search}
   * @param reachable it answered
   * @param backupConfigured its backup store (Zeebe) or snapshot repository (others) is configured
   * @param version the version it reported, if any
   * @param detail what went wrong, or what was found
   */
  public record Check(String component, boolean reachable, boolean backupConfigured, Optional<String> version, String detail) {}

  public PreflightReport {
    checks = List.copyOf(checks);
  }

  /**
   * The Camunda versions the components reported: the search engine's own version left out, and
   * Optimize's, which is numbered on its own (3.13 came with 8.5).
   */
  public Map<String, String> camundaVersions() {
    Map<String, String> versions = new LinkedHashMap<>();
    checks.stream()
        .filter(check -> !check.component().equals("search") && !check.component().equals("optimize"))
        .forEach(check -> check.version().ifPresent(version -> versions.put(check.component(), version)));
    return versions;
  }

  public boolean passed() {
    return checks.stream().allMatch(check -> check.reachable() && check.backupConfigured());
  }
}
