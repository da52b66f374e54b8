package dev.backstop.server.notification;

import dev.backstop.core.notification.Attempt;
import dev.backstop.core.notification.EventType;
import dev.backstop.core.notification.WebhookSignature;
import dev.backstop.server.security.NetworkGuard;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * Makes one attempt to deliver: asks the {@link NetworkGuard} about the URL's host again (names
 * may resolve elsewhere since the webhook was created), then POSTs the body with {@code
 * Content-Type: application/json}, {@code Backstop-Event} (the type), {@code Backstop-Delivery}
 * (the delivery's id, the same on every attempt: receivers dedupe with it) and {@code
 * Backstop-Signature} ({@link WebhookSignature}, signed at the attempt's time). Redirects are not
 * followed; the answer's body is not read. Neither the secret nor the signature is ever logged or
 * put in an error.
 */
public final class WebhookSender {

  public static final String EVENT_HEADER = "Backstop-Event";
  public static final String DELIVERY_HEADER = "Backstop-Delivery";

  private final HttpClient http;
  private final NetworkGuard guard;
  private final Duration connectTimeout;
  private final Duration readTimeout;
  private final Clock clock;

  public WebhookSender(NetworkGuard guard, Duration connectTimeout, Duration readTimeout, Clock clock) {
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(connectTimeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    this.guard = guard;
    this.connectTimeout = connectTimeout;
    this.readTimeout = readTimeout;
    this.clock = clock;
  }

  public Attempt send(URI url, String secret, UUID deliveryId, EventType type, String body) {
    Instant at = clock.instant();
    if (guard.check(url) instanceof NetworkGuard.Verdict.Refused refused) {
      return new Attempt.NotSent(at, "not sent: the URL " + refused.reason());
    }
    HttpRequest request;
    try {
      request =
          HttpRequest.newBuilder(url)
              .timeout(readTimeout)
              .header("Content-Type", "application/json")
              .header("User-Agent", "Backstop-Webhooks/1")
              .header(EVENT_HEADER, type.wireName())
              .header(DELIVERY_HEADER, deliveryId.toString())
              .header(WebhookSignature.HEADER, WebhookSignature.header(secret, at, body))
              .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
              .build();
    } catch (IllegalArgumentException e) {
      return new Attempt.NotSent(at, "not sent: the URL cannot be requested");
    }
    try {
      HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
      // The answer's body says nothing Backstop needs: closing it unread ends the exchange at once,
      // however much (or slowly) the receiver would send.
      response.body().close();
      return new Attempt.Answered(at, response.statusCode());
    } catch (HttpConnectTimeoutException e) {
      return new Attempt.NotSent(at, "no connection within " + seconds(connectTimeout));
    } catch (HttpTimeoutException e) {
      return new Attempt.NotSent(at, "no answer within " + seconds(readTimeout));
    } catch (ConnectException e) {
      return new Attempt.NotSent(at, "connection refused" + (e.getMessage() == null ? "" : ": " + e.getMessage()));
    } catch (IOException e) {
      return new Attempt.NotSent(at, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Attempt.NotSent(at, "interrupted: Backstop is stopping");
    }
  }

  private static String seconds(Duration duration) {
    return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
  }
}
