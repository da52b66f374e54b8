package dev.backstop.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstop.server.support.StandaloneBackstopTest;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * No request of the API needs more than a few kilobytes of body, and a body is read whole before
 * it is judged: one above {@code backstop.api.max-body-size} (1 MB) is refused with 413, naming
 * the body, whether its length is announced or it comes in chunks; nothing is created.
 */
class RequestBodyLimitTest extends StandaloneBackstopTest {

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void shouldRefuseABodyAnnouncedLargerThanTheLimitWith413NamingTheBody() throws Exception {
    // given: a registration of 2 MB, its length announced
    String organizationId = newOrganization();
    byte[] body = registrationOfSize(organizationId, "announced-too-large", 2 * 1024 * 1024);

    // when
    HttpResponse<String> answer = post("/clusters", HttpRequest.BodyPublishers.ofByteArray(body));

    // then
    assertTooLarge(answer);
    assertThat(operator.get("/clusters").body()).doesNotContain("announced-too-large");
  }

  @Test
  void shouldRefuseAChunkedBodyOnceItPassesTheLimit() throws Exception {
    // given: the same, sent in chunks (no length announced)
    String organizationId = newOrganization();
    byte[] body = registrationOfSize(organizationId, "chunked-too-large", 2 * 1024 * 1024);

    // when
    HttpResponse<String> answer = post("/clusters", HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)));

    // then
    assertTooLarge(answer);
    assertThat(operator.get("/clusters").body()).doesNotContain("chunked-too-large");
  }

  @Test
  void shouldReadABodyUnderTheLimitAndJudgeItsFields() throws Exception {
    // given: 900 KB, under the limit, chunked: its padding field is unknown
    String organizationId = newOrganization();
    byte[] body = registrationOfSize(organizationId, "under-the-limit", 900 * 1024);

    // when
    HttpResponse<String> answer = post("/clusters", HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)));

    // then: read and judged like any other body: the unknown field is named
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
    assertThat(answer.body()).contains("\"field\":\"padding\"");
  }

  private HttpResponse<String> post(String path, HttpRequest.BodyPublisher body) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(baseUrl() + path))
            .header("Authorization", operator.authorization())
            .header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(30))
            .POST(body)
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static void assertTooLarge(HttpResponse<String> answer) {
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(413);
    assertThat(answer.headers().firstValue("Content-Type")).get().asString().startsWith("application/problem+json");
    assertThat(answer.body()).contains("\"status\":413").contains("\"field\":\"body\"").contains("1 MB");
  }

  /** A valid registration, but for a padding field that brings it to about {@code size} bytes. */
  private static byte[] registrationOfSize(String organizationId, String name, int size) throws Exception {
    java.util.Map<String, Object> registration = new java.util.LinkedHashMap<>(registration(organizationId, name, NOWHERE));
    registration.put("padding", "x".repeat(size));
    return dev.backstop.server.support.Api.JSON.writeValueAsString(registration).getBytes(StandardCharsets.UTF_8);
  }
}
