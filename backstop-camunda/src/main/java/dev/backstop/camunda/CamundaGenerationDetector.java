package dev.backstop.camunda;

import dev.backstop.core.cluster.ComponentEndpoints;
import dev.backstop.core.cluster.GenerationDetector;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads each component's own version from its management endpoint's build info ({@code GET
 * /actuator/info} → {@code {"build": {"version": "8.6.0", …}}}), as Zeebe, Operate and Tasklist
 * report it. Optimize is left out: it numbers its releases on its own (3.13 came with 8.5), and
 * the search engine's version is not Camunda's.
 */
public final class CamundaGenerationDetector implements GenerationDetector {

  private final JsonHttp http;

  public CamundaGenerationDetector(JsonHttp http) {
    this.http = http;
  }

  @Override
  public Map<String, String> reportedVersions(ComponentEndpoints endpoints) {
    JsonHttp management = ComponentHttp.management(http, endpoints);
    Map<String, String> versions = new LinkedHashMap<>();
    versionOf(management, endpoints.zeebeManagementUrl()).ifPresent(version -> versions.put("zeebe", version));
    endpoints.operateManagementUrl().flatMap(url -> versionOf(management, url)).ifPresent(version -> versions.put("operate", version));
    endpoints.tasklistManagementUrl().flatMap(url -> versionOf(management, url)).ifPresent(version -> versions.put("tasklist", version));
    return versions;
  }

  /** The version a component's build info reports ({@code /actuator/info}), if it answers with one. */
  static Optional<String> versionOf(JsonHttp http, String managementUrl) {
    JsonHttp.Exchange info = http.get(JsonHttp.join(managementUrl, "/actuator/info"));
    if (!info.is2xx()) {
      return Optional.empty();
    }
    String version = info.json().path("build").path("version").asText("");
    return version.isBlank() ? Optional.empty() : Optional.of(version);
  }
}
