package dev.backstop.camunda;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backstop.core.cluster.ComponentEndpoints;
import dev.backstop.core.cluster.Preflight;
import dev.backstop.core.cluster.PreflightReport;
import dev.backstop.core.cluster.SearchAuth;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks a cluster's components through the same APIs the backup uses: each must answer, Zeebe
 * must have a backup store, the web apps and the search engine a snapshot repository. Versions
 * are what each reports itself: Zeebe and the web apps their build ({@code /actuator/info}), the
 * search engine its {@code version.number}.
 *
 * <p>A search engine that answers 401 or 403 to its root is reachable but refuses the registered
 * credentials (or their absence): the check says "authentication failed", not "unreachable". A TLS
 * failure (a certificate the given CA does not vouch for, a host name it does not name) says TLS.
 */
public final class CamundaPreflight implements Preflight {

  private final JsonHttp http;
  private final Clock clock;

  public CamundaPreflight(JsonHttp http, Clock clock) {
    this.http = http;
    this.clock = clock;
  }

  @Override
  public PreflightReport check(ComponentEndpoints endpoints) {
    JsonHttp management = ComponentHttp.management(http, endpoints);
    List<PreflightReport.Check> checks = new ArrayList<>();
    checks.add(zeebe(management, endpoints.zeebeManagementUrl()));
    endpoints.operateManagementUrl().ifPresent(url -> checks.add(webApp(management, "operate", url)));
    endpoints.tasklistManagementUrl().ifPresent(url -> checks.add(webApp(management, "tasklist", url)));
    endpoints.optimizeManagementUrl().ifPresent(url -> checks.add(webApp(management, "optimize", url)));
    checks.add(search(ComponentHttp.search(http, endpoints.search()), endpoints.search()));
    return new PreflightReport(clock.instant(), checks);
  }

  private static PreflightReport.Check zeebe(JsonHttp http, String managementUrl) {
    JsonHttp.Exchange backups = http.get(JsonHttp.join(managementUrl, "/actuator/backups"));
    if (!backups.answered()) {
      return unreachable("zeebe", backups);
    }
    // The broker's build info, as the web apps report theirs: {"build": {"version": "8.6.0", …}}
    // (the 8.6 distribution enables the info endpoint; where it is missing, the version stays empty).
    Optional<String> version = CamundaGenerationDetector.versionOf(http, managementUrl);
    JsonHttp.Exchange partitions = http.get(JsonHttp.join(managementUrl, "/actuator/partitions"));
    String detail = partitions.is2xx() ? partitions.json().size() + " partitions" : "partitions: HTTP " + partitions.status();
    boolean storeConfigured = backups.is2xx();
    if (!storeConfigured) {
      detail += "; backups: HTTP " + backups.status() + " " + backups.summary();
    }
    return new PreflightReport.Check("zeebe", true, storeConfigured, version, detail);
  }

  private static PreflightReport.Check webApp(JsonHttp http, String name, String managementUrl) {
    JsonHttp.Exchange backups = http.get(JsonHttp.join(managementUrl, "/actuator/backups"));
    if (!backups.answered()) {
      return unreachable(name, backups);
    }
    Optional<String> version = CamundaGenerationDetector.versionOf(http, managementUrl);
    boolean repositoryConfigured = backups.is2xx();
    String detail = repositoryConfigured ? "backup repository configured" : "backups: HTTP " + backups.status() + " " + backups.summary();
    return new PreflightReport.Check(name, true, repositoryConfigured, version, detail);
  }

  private static PreflightReport.Check search(JsonHttp http, ComponentEndpoints.Search search) {
    JsonHttp.Exchange root = http.get(JsonHttp.join(search.url(), "/"));
    if (!root.answered()) {
      return unreachable("search", root);
    }
    if (root.status() == 401 || root.status() == 403) {
      String given = search.auth().map(auth -> auth instanceof SearchAuth.Basic ? "the registered username and password" : "the registered API key")
          .orElse("no credentials (none registered)");
      return new PreflightReport.Check(
          "search", true, false, Optional.empty(),
          "search engine: authentication failed (HTTP " + root.status() + ") with " + given + ": " + root.summary());
    }
    Optional<String> version = textAt(root.json(), "version", "number");
    String distribution = root.json().path("version").path("distribution").asText("elasticsearch");
    JsonHttp.Exchange repository =
        http.get(JsonHttp.join(search.url(), "/_snapshot/" + URLEncoder.encode(search.repository(), StandardCharsets.UTF_8)));
    boolean configured = repository.is2xx();
    String detail =
        distribution + (configured
            ? ", repository " + search.repository() + " of type " + repository.json().path(search.repository()).path("type").asText()
            : ", repository " + search.repository() + ": HTTP " + repository.status() + " " + repository.summary());
    return new PreflightReport.Check("search", true, configured, version, detail);
  }

  private static PreflightReport.Check unreachable(String name, JsonHttp.Exchange exchange) {
    return new PreflightReport.Check(name, false, false, Optional.empty(), exchange.failure().orElse("no answer"));
  }

  private static Optional<String> textAt(JsonNode node, String... path) {
    JsonNode current = node;
    for (String field : path) {
      current = current.path(field);
    }
    return current.isMissingNode() || current.asText().isBlank() ? Optional.empty() : Optional.of(current.asText());
  }
}
