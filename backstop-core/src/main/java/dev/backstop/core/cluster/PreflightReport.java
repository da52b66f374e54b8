package dev.backstop.core.cluster;

import java.time.Instant;
import java.util.List;
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

  public boolean passed() {
    return checks.stream().allMatch(check -> check.reachable() && check.backupConfigured());
  }
}
