package dev.backstop.server.notification;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.backstop.core.notification.Attempt;
import dev.backstop.core.notification.EventType;
import dev.backstop.core.notification.WebhookSignature;
import dev.backstop.server.security.NetworkGuard;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WebhookSenderTest {

  private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
  private static final String BODY = "{\"id\":\"e1\",\"type\":\"backup.failed\"}";

  private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
  private final NetworkGuard loopbackAllowed = NetworkGuard.publicAnd("allowed", List.of("127.0.0.1/32"), NetworkGuard.Resolver.SYSTEM);
  private final WebhookSender sender = new WebhookSender(loopbackAllowed, Duration.ofSeconds(2), Duration.ofMillis(500), clock);
  private final Map<String, Map<String, String>> seen = new ConcurrentHashMap<>();
  private final AtomicInteger redirectTargetHits = new AtomicInteger();
  private final HttpServer server = server();

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void shouldPostTheBodySignedWithTheHeadersReceiversExpect() {
    UUID delivery = UUID.randomUUID();

    Attempt attempt = sender.send(url("/ok"), "whsec_s", delivery, EventType.BACKUP_FAILED, BODY);

    assertThat(attempt).isEqualTo(new Attempt.Answered(NOW, 204));
    Map<String, String> headers = seen.get("/ok");
    assertThat(headers).containsEntry("backstop-event", "backup.failed").containsEntry("backstop-delivery", delivery.toString());
    assertThat(headers.get("content-type")).startsWith("application/json");
    assertThat(headers.get("backstop-signature")).isEqualTo(WebhookSignature.header("whsec_s", NOW, BODY));
    assertThat(headers.get("body")).isEqualTo(BODY);
  }

  @Test
  void shouldNotFollowARedirect() {
    Attempt attempt = sender.send(url("/redirect"), "whsec_s", UUID.randomUUID(), EventType.BACKUP_FAILED, BODY);

    assertThat(attempt).isEqualTo(new Attempt.Answered(NOW, 307));
    assertThat(redirectTargetHits).hasValue(0);
  }

  @Test
  void shouldAskTheGuardAgainBeforeSending() {
    WebhookSender publicOnly = new WebhookSender(NetworkGuard.publicAnd("allowed", List.of(), NetworkGuard.Resolver.SYSTEM), Duration.ofSeconds(2), Duration.ofMillis(500), clock);

    Attempt attempt = publicOnly.send(url("/ok"), "whsec_s", UUID.randomUUID(), EventType.BACKUP_FAILED, BODY);

    assertThat(attempt).isInstanceOfSatisfying(Attempt.NotSent.class, notSent -> assertThat(notSent.error()).startsWith("not sent: the URL points to 127.0.0.1, a loopback address"));
    assertThat(seen).isEmpty();
  }

  @Test
  void shouldGiveUpOnAReceiverThatDoesNotAnswerInTime() {
    Attempt attempt = sender.send(url("/slow"), "whsec_s", UUID.randomUUID(), EventType.BACKUP_FAILED, BODY);

    assertThat(attempt).isEqualTo(new Attempt.NotSent(NOW, "no answer within 500 ms"));
  }

  @Test
  void shouldSayWhenNothingListens() {
    Attempt attempt = sender.send(URI.create("http://127.0.0.1:1/hook"), "whsec_s", UUID.randomUUID(), EventType.BACKUP_FAILED, BODY);

    assertThat(attempt).isInstanceOfSatisfying(Attempt.NotSent.class, notSent -> assertThat(notSent.error()).startsWith("connection refused"));
  }

  private URI url(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  private HttpServer server() {
    try {
      HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
      http.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
      http.createContext("/", exchange -> {
        String path = exchange.getRequestURI().getPath();
        Map<String, String> headers = new ConcurrentHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), String.join(",", values)));
        headers.put("body", new String(exchange.getRequestBody().readAllBytes()));
        seen.put(path, headers);
        switch (path) {
          case "/redirect" -> {
            exchange.getResponseHeaders().add("Location", "/target");
            exchange.sendResponseHeaders(307, -1);
          }
          case "/target" -> {
            redirectTargetHits.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
          }
          case "/slow" -> {
            try {
              Thread.sleep(3_000);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(200, -1);
          }
          default -> exchange.sendResponseHeaders(204, -1);
        }
        exchange.close();
      });
      http.start();
      return http;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
