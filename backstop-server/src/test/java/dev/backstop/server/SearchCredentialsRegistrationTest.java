package dev.backstop.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backstop.server.support.Api;
import dev.backstop.server.support.FakeComponents;
import dev.backstop.server.support.StandaloneBackstopTest;
import dev.backstop.testbed.TestCertificates;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A search engine's credentials and the CAs of a registration: what cannot be used is a 400
 * naming the field; what is accepted is kept sealed and never shown again, by any answer.
 */
class SearchCredentialsRegistrationTest extends StandaloneBackstopTest {

  private static final String PASSWORD = "s3arch-Pa55word-4711";
  private static final String API_KEY = "VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==";
  private static final String CA_PEM = TestCertificates.generate(Path.of("target", "test-certificates", "registration")).caPem();

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
  void shouldRefuseCredentialsAndCertificatesThatCannotBeUsedNamingEachField() {
    record Case(String name, Map<String, Object> search, Object managementCa, String field) {}
    String https = httpsUrl();
    var cases = java.util.List.of(
        new Case("both kinds", Map.of("url", https, "auth", Map.of("type", "basic", "username", "backstop", "password", PASSWORD, "key", API_KEY)),
            null, "components.search.auth.key"),
        new Case("basic without password", Map.of("url", https, "auth", Map.of("type", "basic", "username", "backstop")),
            null, "components.search.auth.password"),
        new Case("api key with a password", Map.of("url", https, "auth", Map.of("type", "apiKey", "key", API_KEY, "password", PASSWORD)),
            null, "components.search.auth.password"),
        new Case("unknown kind", Map.of("url", https, "auth", Map.of("type", "bearer", "key", API_KEY)), null, "components.search.auth.type"),
        new Case("credentials over plain http", Map.of("auth", Map.of("type", "basic", "username", "backstop", "password", PASSWORD)),
            null, "components.search.auth"),
        new Case("credentials in the URL", Map.of("url", https.replace("https://", "https://backstop:" + PASSWORD + "@")),
            null, "components.search.url"),
        new Case("not PEM", Map.of("url", https, "caCertificate", "MIIBkTCB+wIJAKHHIG"), null, "components.search.caCertificate"),
        new Case("a damaged certificate", Map.of("url", https, "caCertificate", CA_PEM.replace(CA_PEM.substring(40, 60), "AAAAAAAAAAAAAAAAAAAA")),
            null, "components.search.caCertificate"),
        new Case("a private key", Map.of("url", https, "caCertificate", CA_PEM + "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----\n"),
            null, "components.search.caCertificate"),
        new Case("a CA for a plain http search URL", Map.of("caCertificate", CA_PEM), null, "components.search.caCertificate"),
        new Case("a CA for plain http management URLs", Map.of(), CA_PEM, "components.managementCaCertificate"));
    for (Case refused : cases) {
      // given
      Map<String, Object> body = registration(organizationId, "credentials-check", components.url());
      search(body).putAll(refused.search());
      if (refused.managementCa() != null) {
        components(body).put("managementCaCertificate", refused.managementCa());
      }

      // when
      Api.Answer answer = operator.postJson("/clusters", body);

      // then: 400 naming the field, never echoing a secret
      assertThat(answer.status()).as(refused.name() + ": " + answer).isEqualTo(400);
      assertThat(answer.contentType()).startsWith("application/problem+json");
      assertThat(answer.json().path("errors").findValuesAsText("field")).as(refused.name() + ": " + answer).containsExactly(refused.field());
      assertThat(answer.body()).as(refused.name()).doesNotContain(PASSWORD).doesNotContain(API_KEY);
    }
    assertThat(operator.get("/clusters").json().findValuesAsText("name")).doesNotContain("credentials-check");
  }

  @Test
  void shouldKeepAPasswordSealedAndNeverShowIt() {
    // given
    Map<String, Object> body = registration(organizationId, "basic-auth", components.url());
    search(body).putAll(Map.of("url", httpsUrl(), "caCertificate", CA_PEM, "auth", Map.of("type", "basic", "username", "backstop", "password", PASSWORD)));

    // when
    Api.Answer registered = operator.postJson("/clusters", body);

    // then: registered, the credentials shown by kind and username only
    assertThat(registered.status()).as(registered.toString()).isEqualTo(201);
    JsonNode search = registered.json().path("components").path("search");
    assertThat(search.path("auth")).isEqualTo(Api.JSON.valueToTree(Map.of("type", "basic", "username", "backstop")));
    assertThat(search.path("caCertificate").asText()).isEqualTo(CA_PEM);
    String clusterId = registered.json().path("uuid").asText();
    // and no answer holds the password: the registration's, the cluster's, the list
    assertThat(registered.body()).doesNotContain(PASSWORD);
    assertThat(operator.get("/clusters/" + clusterId).body()).doesNotContain(PASSWORD).contains("\"username\":\"backstop\"");
    assertThat(operator.get("/clusters").body()).doesNotContain(PASSWORD);
    // and the database holds it sealed only
    assertNotInTheClear(clusterId, PASSWORD);
  }

  @Test
  void shouldKeepAnApiKeySealedAndNeverShowIt() {
    Map<String, Object> body = registration(organizationId, "api-key", components.url());
    search(body).putAll(Map.of("url", httpsUrl(), "auth", Map.of("type", "apiKey", "key", API_KEY)));

    Api.Answer registered = operator.postJson("/clusters", body);

    assertThat(registered.status()).as(registered.toString()).isEqualTo(201);
    assertThat(registered.json().path("components").path("search").path("auth")).isEqualTo(Api.JSON.valueToTree(Map.of("type", "apiKey")));
    String clusterId = registered.json().path("uuid").asText();
    assertThat(registered.body()).doesNotContain(API_KEY);
    assertThat(operator.get("/clusters/" + clusterId).body()).doesNotContain(API_KEY);
    assertThat(operator.get("/clusters").body()).doesNotContain(API_KEY);
    assertNotInTheClear(clusterId, API_KEY);
  }

  private void assertNotInTheClear(String clusterId, String secret) {
    Map<String, Object> row =
        JdbcClient.create(dataSource)
            .sql("select components::text as components, search_auth_type, search_auth_secret_sealed from clusters where id = :id")
            .param("id", clusterId)
            .query()
            .singleRow();
    assertThat((String) row.get("components")).doesNotContain(secret);
    assertThat(row.get("search_auth_type")).isNotNull();
    assertThat(new String((byte[]) row.get("search_auth_secret_sealed"), StandardCharsets.ISO_8859_1)).doesNotContain(secret);
  }

  /** The fake components' port, as an https URL: the registration is checked, the TLS handshake there fails in preflight. */
  private String httpsUrl() {
    return components.url().replace("http://", "https://");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> components(Map<String, Object> body) {
    return (Map<String, Object>) body.get("components");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> search(Map<String, Object> body) {
    Map<String, Object> search = new LinkedHashMap<>((Map<String, Object>) components(body).get("search"));
    components(body).put("search", search);
    return search;
  }
}
