package dev.backstop.camunda;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Where component calls may go is asked before each call; a refused one sends nothing. */
class JsonHttpPolicyTest {

  private HttpServer server;
  private final AtomicInteger requests = new AtomicInteger();

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      requests.incrementAndGet();
      exchange.getResponseHeaders().add("Location", "http://169.254.169.254/");
      exchange.sendResponseHeaders(302, -1);
      exchange.close();
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void shouldSendNothingToAHostThePolicyRefusesAndSayWhy() {
    JsonHttp http = new JsonHttp(Duration.ofSeconds(2), Duration.ofSeconds(2), url -> Optional.of("points to a loopback address, which the setting does not allow"));

    JsonHttp.Exchange refused = http.post(url("/actuator/backups"), null);

    assertThat(refused.answered()).isFalse();
    assertThat(refused.failure()).hasValueSatisfying(reason -> assertThat(reason).startsWith("not called: 127.0.0.1 points to a loopback address"));
    assertThat(requests).hasValue(0);
  }

  @Test
  void shouldCallWhatThePolicyAllowsAndNeverFollowARedirect() {
    JsonHttp http = new JsonHttp(Duration.ofSeconds(2), Duration.ofSeconds(2), url -> Optional.empty());

    JsonHttp.Exchange answered = http.get(url("/actuator/backups"));

    assertThat(answered.status()).isEqualTo(302);
    assertThat(requests).hasValue(1);
  }

  @Test
  void shouldNotReadAnAnswerLargerThanAComponentEverGives() throws Exception {
    server.createContext("/huge", exchange -> {
      exchange.sendResponseHeaders(200, 0);
      byte[] chunk = new byte[1 << 20];
      try (var out = exchange.getResponseBody()) {
        for (int i = 0; i <= JsonHttp.MAX_BODY_BYTES >> 20; i++) {
          out.write(chunk);
        }
      } catch (java.io.IOException closedByTheReader) {
        // the client stopped reading
      }
    });
    JsonHttp http = new JsonHttp(Duration.ofSeconds(2), Duration.ofSeconds(10), url -> Optional.empty());

    JsonHttp.Exchange answer = http.get(url("/huge"));

    assertThat(answer.answered()).isFalse();
    assertThat(answer.failure()).hasValueSatisfying(reason -> assertThat(reason).contains("larger than 16 MiB"));
  }

  private String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }
}
