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
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Some HTTP clients send every POST or DELETE with {@code Transfer-Encoding: chunked}, an empty
 * body included. To an operation that takes no body, an empty chunked body is no body; a chunked
 * body with anything in it is refused, naming the body.
 */
class EmptyChunkedBodyTest extends StandaloneBackstopTest {

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void shouldTreatAnEmptyChunkedBodyAsNoBody() throws Exception {
    // when: a deletion (it takes no body) of a backup of an unknown cluster, with an empty chunked body
    HttpResponse<String> answer = delete(new byte[0]);

    // then: it got past the body check to the endpoint, which knows no such cluster
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(404);
  }

  @Test
  void shouldRefuseAChunkedBodyWithContentWhereNoneIsTaken() throws Exception {
    // when
    HttpResponse<String> answer = delete("{}".getBytes(StandardCharsets.UTF_8));

    // then
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
    assertThat(answer.body()).contains("\"field\":\"body\"");
  }

  private HttpResponse<String> delete(byte[] body) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(baseUrl() + "/clusters/" + UUID.randomUUID() + "/backups/1"))
            .header("Authorization", operator.authorization())
            .timeout(Duration.ofSeconds(30))
            // a body publisher of unknown length: sent chunked
            .method("DELETE", HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
            .build();
    HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
    return answer;
  }
}
