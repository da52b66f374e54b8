package dev.backstop.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backstop.server.support.Api;
import dev.backstop.server.support.FakeComponents;
import dev.backstop.server.support.StandaloneBackstopTest;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every name, URL and path of a registration is checked before Backstop uses it: a value that
 * cannot be what it claims is a 400 naming the field, never a 500 from deeper down.
 */
class ClusterRegistrationValidationTest extends StandaloneBackstopTest {

  private FakeComponents components;
  private String organizationId;

  @BeforeEach
  void setUp() {
    components = new FakeComponents(Duration.ZERO);
    organizationId = newOrganization();
  }

  @AfterEach
  void tearDown() {
    components.close();
  }

  @Test
  void shouldRefuseASnapshotRepositoryNameWithASpaceNamingTheField() {
    // given: components that answer, and a repository name OpenSearch would refuse
    Map<String, Object> body = registration(organizationId, "spaced-repository", components.url());
    search(body).put("repository", "camunda backups");

    // when
    Api.Answer answer = operator.postJson("/clusters", body);

    // then
    assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
    assertThat(answer.contentType()).startsWith("application/problem+json");
    assertThat(answer.json().path("errors").findValuesAsText("field")).containsExactly("components.search.repository");
    assertThat(operator.get("/clusters").json().findValuesAsText("name")).doesNotContain("spaced-repository");
  }

  @Test
  void shouldRefuseASecondaryRegionThatIsUnknownOrThePrimaryNamingTheField() {
    for (String secondary : java.util.List.of("mars-1", "local-a")) {
      Map<String, Object> body = registration(organizationId, "dual-" + secondary, components.url());
      body.put("region", "local-a");
      body.put("backupLocation", Map.of("type", "DUAL_REGION", "secondaryRegion", secondary));

      Api.Answer answer = operator.postJson("/clusters", body);

      assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
      assertThat(answer.contentType()).startsWith("application/problem+json");
      assertThat(answer.json().path("errors").findValuesAsText("field")).containsExactly("backupLocation.secondaryRegion");
      assertThat(operator.get("/clusters").json().findValuesAsText("name")).doesNotContain("dual-" + secondary);
    }
  }

  @Test
  void shouldCheckEveryNameUrlAndPathOfARegistrationAtOnce() {
    // given
    Map<String, Object> body = registration(organizationId, "bad-paths", components.url());
    @SuppressWarnings("unchecked")
    Map<String, Object> componentsBody = (Map<String, Object>) body.get("components");
    componentsBody.put("zeebe", Map.of("managementUrl", components.url() + "/?token=x"));
    componentsBody.put("operate", Map.of("managementUrl", "ftp://127.0.0.1:21"));
    componentsBody.put("tasklist", Map.of("managementUrl", "127.0.0.1:8080"));
    search(body).put("url", components.url() + "#fragment");
    search(body).put("repository", "backups/2024");
    search(body).put("recordsIndexPrefix", "Zeebe Record");
    @SuppressWarnings("unchecked")
    Map<String, Object> storage = (Map<String, Object>) body.get("storage");
    storage.put("zeebeBasePath", "/zeebe");
    storage.put("searchBasePath", "search/../other");

    // when
    Api.Answer answer = operator.postJson("/clusters", body);

    // then: every one of them named
    assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
    assertThat(answer.json().path("errors").findValuesAsText("field"))
        .containsExactlyInAnyOrder(
            "components.zeebe.managementUrl",
            "components.operate.managementUrl",
            "components.tasklist.managementUrl",
            "components.search.url",
            "components.search.repository",
            "components.search.recordsIndexPrefix",
            "storage.zeebeBasePath",
            "storage.searchBasePath");
  }

  @Test
  void shouldRefuseEveryCharacterOpenSearchRefusesInARepositoryName() {
    for (String name : new String[] {"a\\b", "a*", "a?", "a\"b", "a<b", "a>b", "a|b", "a,b", "a#b", "a\tb", ""}) {
      // given
      Map<String, Object> body = registration(organizationId, "repository-check", components.url());
      search(body).put("repository", name);

      // when
      Api.Answer answer = operator.postJson("/clusters", body);

      // then
      assertThat(answer.status()).as(name + ": " + answer).isEqualTo(400);
      assertThat(answer.json().path("errors").findValuesAsText("field")).as(name).containsExactly("components.search.repository");
    }
  }

  @Test
  void shouldAcceptNamesOpenSearchAcceptsAndShowThemAsRegistered() {
    // given: upper case and a leading underscore are allowed in repository names
    Map<String, Object> body = registration(organizationId, "valid-names", components.url() + "/");
    search(body).put("repository", "_Camunda-Backups.2024");
    search(body).put("recordsIndexPrefix", "custom-zeebe-record");
    @SuppressWarnings("unchecked")
    Map<String, Object> storage = (Map<String, Object>) body.get("storage");
    storage.put("zeebeBasePath", "team-a/zeebe");

    // when
    Api.Answer answer = operator.postJson("/clusters", body);

    // then
    assertThat(answer.status()).as(answer.toString()).isEqualTo(201);
    JsonNode search = answer.json().path("components").path("search");
    assertThat(search.path("repository").asText()).isEqualTo("_Camunda-Backups.2024");
    assertThat(search.path("recordsIndexPrefix").asText()).isEqualTo("custom-zeebe-record");
    assertThat(answer.json().path("storage").path("zeebeBasePath").asText()).isEqualTo("team-a/zeebe");
  }

  @Test
  void shouldRefuseComponentUrlsIntoNetworksTheOperatorDidNotAllow() {
    // given: this test's Backstop allows loopback only (backstop.security.component-networks)
    Map<String, Object> body = registration(organizationId, "reaching-in", components.url());
    @SuppressWarnings("unchecked")
    Map<String, Object> parts = new java.util.LinkedHashMap<>((Map<String, Object>) body.get("components"));
    parts.put("zeebe", Map.of("managementUrl", "http://169.254.169.254/latest/meta-data/"));
    parts.put("operate", Map.of("managementUrl", "http://10.0.0.5:9600"));
    parts.put("search", Map.of("url", "http://[fd00::1]:9200", "repository", "camunda-backups"));
    body.put("components", parts);

    // when
    Api.Answer answer = operator.postJson("/clusters", body);

    // then: each is named, with the range and the setting that decides
    assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
    assertThat(answer.json().path("errors").findValuesAsText("field"))
        .containsExactlyInAnyOrder("components.zeebe.managementUrl", "components.operate.managementUrl", "components.search.url");
    assertThat(answer.json().path("errors").findValuesAsText("message"))
        .anySatisfy(message -> assertThat(message).contains("169.254.169.254").contains("link-local").contains("backstop.security.component-networks"))
        .anySatisfy(message -> assertThat(message).contains("private"))
        .anySatisfy(message -> assertThat(message).contains("unique local"));
    assertThat(operator.get("/clusters").json().findValuesAsText("name")).doesNotContain("reaching-in");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> search(Map<String, Object> body) {
    return (Map<String, Object>) ((Map<String, Object>) body.get("components")).get("search");
  }
}
