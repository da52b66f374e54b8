package dev.backstop.server.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backstop.testbed.Testbed;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The test bed's cluster as registered through the API: in an ENTERPRISE organization, with an
 * API client holding every permission of that organization.
 */
public record TestCluster(String organizationId, String clusterId, String clientId, String clientSecret) {

  public static TestCluster register(Api operator, Testbed testbed) {
    Api.Answer organization = operator.postJson("/admin/organizations", Map.of("name", "it-enterprise", "plan", "ENTERPRISE"));
    assertThat(organization.status()).as(organization.toString()).isEqualTo(201);
    String organizationId = organization.json().path("id").asText();
    Api.Answer client =
        operator.postJson(
            "/admin/organizations/" + organizationId + "/clients",
            Map.of("name", "it-client", "permissions", List.of("backups:read", "backups:write", "clusters:read", "clusters:write")));
    assertThat(client.status()).as(client.toString()).isEqualTo(201);
    Api.Answer cluster = operator.postJson("/clusters", registration(organizationId, "testbed", "8.6.0", testbed));
    assertThat(cluster.status()).as(cluster.toString()).isEqualTo(201);
    JsonNode preflight = cluster.json().path("preflight");
    assertThat(preflight.path("checks").findValuesAsText("reachable")).as(preflight.toString()).containsOnly("true");
    return new TestCluster(
        organizationId, cluster.json().path("uuid").asText(), client.json().path("clientId").asText(), client.json().path("clientSecret").asText());
  }

  /**
   * A registration body for the test bed's components, with some of them reached elsewhere (e.g.
   * through a fault proxy): {@code "zeebe"} → management URL, {@code "search"} → search URL.
   */
  public static Map<String, Object> registration(
      String organizationId, String name, String generation, Testbed testbed, Map<String, String> reachedAt) {
    Map<String, Object> body = registration(organizationId, name, generation, testbed);
    @SuppressWarnings("unchecked")
    Map<String, Object> components = new LinkedHashMap<>((Map<String, Object>) body.get("components"));
    reachedAt.forEach(
        (component, url) ->
            components.put(
                component,
                component.equals("search")
                    ? Map.of("url", url, "repository", Testbed.SEARCH_REPOSITORY)
                    : Map.of("managementUrl", url)));
    body.put("components", components);
    return body;
  }

  /** A registration body for the test bed's components. */
  public static Map<String, Object> registration(String organizationId, String name, String generation, Testbed testbed) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    if (organizationId != null) {
      body.put("organizationId", organizationId);
    }
    body.put("generation", generation);
    body.put("region", "local-a");
    body.put("backupLocation", Map.of("type", "SAME_REGION"));
    body.put(
        "components",
        Map.of(
            "zeebe", Map.of("managementUrl", testbed.zeebe().managementUrl()),
            "operate", Map.of("managementUrl", testbed.operate().managementUrl()),
            "tasklist", Map.of("managementUrl", testbed.tasklist().managementUrl()),
            "search", Map.of("url", testbed.searchUrl(), "repository", Testbed.SEARCH_REPOSITORY)));
    body.put("storage", Map.of("zeebeBasePath", Testbed.ZEEBE_BASE_PATH, "searchBasePath", Testbed.SEARCH_BASE_PATH));
    return body;
  }
}
