package dev.backstop.camunda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The HTTP the adapters share: JSON in and out, bounded timeouts, and transport failures turned
 * into a value instead of an exception.
 */
public final class JsonHttp {

  /**
   * An exchange: the status and body, or why there was none.
   *
   * @param status the HTTP status, or -1 when no answer came
   * @param body the body (empty when none)
   * @param failure why no answer came, when {@code status} is -1
   */
  public record Exchange(int status, String body, Optional<String> failure) {
    public boolean answered() {
      return status >= 0;
    }

    public boolean is2xx() {
      return status >= 200 && status < 300;
    }

    /** The body as JSON; a missing node when it is not JSON. */
    public JsonNode json() {
      if (body.isBlank()) {
        return MissingNode.getInstance();
      }
      try {
        return MAPPER.readTree(body);
      } catch (IOException e) {
        return MissingNode.getInstance();
      }
    }

    /**
     * What the answer said, summarised for messages: the error text of a component's JSON error
     * (OpenSearch's {@code error.reason}, Spring's {@code message}, {@code detail}, {@code title}),
     * at most {@value JsonHttp#SUMMARY_LIMIT} characters, else only the kind and size of the body. Never the
     * body itself: a component URL may point anywhere, and what answers there is not echoed back.
     */
    public String summary() {
      if (body.isBlank()) {
        return "an empty answer";
      }
      JsonNode json = json();
      if (!json.isObject()) {
        return (json.isMissingNode() ? "a non-JSON answer of " : "a JSON answer of ") + body.length() + " characters";
      }
      for (String pointer : List.of("/error/reason", "/error/type", "/message", "/detail", "/title", "/error")) {
        JsonNode field = json.at(pointer);
        if (field.isTextual() && !field.asText().isBlank()) {
          String flat = field.asText().replaceAll("[\\p{Cntrl}\\s]+", " ").trim();
          return flat.length() > SUMMARY_LIMIT ? flat.substring(0, SUMMARY_LIMIT) + "…" : flat;
        }
      }
      return "a JSON answer of " + body.length() + " characters";
    }
  }

  /** The largest answer read; a larger one counts as no answer. */
  static final int MAX_BODY_BYTES = 16 << 20;

  /** The longest error text {@link Exchange#summary} keeps. */
  static final int SUMMARY_LIMIT = 160;

  static final ObjectMapper MAPPER = new ObjectMapper();

  /**
   * Where requests may go: asked before every request (a name may resolve elsewhere later); a
   * refused URL is answered as no answer, with the reason, and nothing is sent.
   */
  @FunctionalInterface
  public interface HostPolicy {
    /** Why the URL may not be called, or empty when it may. */
    Optional<String> refusal(URI url);

    HostPolicy ANY = url -> Optional.empty();
  }

  private final HttpClient client;
  private final Duration requestTimeout;
  private final HostPolicy policy;

  public JsonHttp(Duration connectTimeout, Duration requestTimeout) {
    this(connectTimeout, requestTimeout, HostPolicy.ANY);
  }

  /** Never follows redirects: the policy never saw where they lead. */
  public JsonHttp(Duration connectTimeout, Duration requestTimeout, HostPolicy policy) {
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(connectTimeout)
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    this.requestTimeout = requestTimeout;
    this.policy = policy;
  }

  public static JsonHttp withDefaults() {
    return withDefaults(HostPolicy.ANY);
  }

  public static JsonHttp withDefaults(HostPolicy policy) {
    return new JsonHttp(Duration.ofSeconds(5), Duration.ofSeconds(30), policy);
  }

  public Exchange get(String url) {
    return send(url, request -> request.GET());
  }

  public Exchange delete(String url) {
    return send(url, request -> request.DELETE());
  }

  public Exchange post(String url, Object jsonBody) {
    return send(url, request -> request.header("Content-Type", "application/json").POST(body(jsonBody)));
  }

  public Exchange put(String url, Object jsonBody) {
    return send(url, request -> request.header("Content-Type", "application/json").PUT(body(jsonBody)));
  }

  /** A URL that is not one (registrations are validated, so this is a bug) fails as no answer, never throws. */
  private Exchange send(String url, java.util.function.UnaryOperator<HttpRequest.Builder> method) {
    HttpRequest.Builder request;
    URI uri;
    try {
      uri = URI.create(url);
      request = HttpRequest.newBuilder(uri).timeout(requestTimeout).header("Accept", "application/json");
    } catch (IllegalArgumentException e) {
      return new Exchange(-1, "", Optional.of("invalid URL " + url + ": " + e.getMessage()));
    }
    Optional<String> refused = policy.refusal(uri);
    if (refused.isPresent()) {
      return new Exchange(-1, "", Optional.of("not called: " + uri.getHost() + " " + refused.get()));
    }
    return send(method.apply(request));
  }

  private static HttpRequest.BodyPublisher body(Object jsonBody) {
    if (jsonBody == null) {
      return HttpRequest.BodyPublishers.noBody();
    }
    try {
      return HttpRequest.BodyPublishers.ofString(MAPPER.writeValueAsString(jsonBody));
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private Exchange send(HttpRequest.Builder request) {
    try {
      HttpResponse<java.io.InputStream> response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
      try (java.io.InputStream body = response.body()) {
        // Read no more than a component's largest answer: a URL pointing elsewhere must not fill the heap.
        byte[] read = body.readNBytes(MAX_BODY_BYTES + 1);
        if (read.length > MAX_BODY_BYTES) {
          return new Exchange(-1, "", Optional.of("an answer larger than " + (MAX_BODY_BYTES >> 20) + " MiB (HTTP " + response.statusCode() + ")"));
        }
        return new Exchange(response.statusCode(), new String(read, java.nio.charset.StandardCharsets.UTF_8), Optional.empty());
      }
    } catch (IOException e) {
      return new Exchange(-1, "", Optional.of(describe(e)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Exchange(-1, "", Optional.of("interrupted"));
    }
  }

  private static String describe(IOException e) {
    String type = e.getClass().getSimpleName();
    if (e instanceof java.net.ConnectException || e.getCause() instanceof java.net.ConnectException) {
      return "connection refused";
    }
    if (e instanceof java.net.http.HttpTimeoutException) {
      return "timed out";
    }
    return type + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }

  /** Joins a base URL and a path without doubling or dropping the slash. */
  public static String join(String baseUrl, String path) {
    String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    return base + (path.startsWith("/") ? path : "/" + path);
  }
}
