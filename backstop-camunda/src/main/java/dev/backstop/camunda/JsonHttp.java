package dev.backstop.camunda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.backstop.core.cluster.CaCertificates;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/**
 * The HTTP the adapters share: JSON in and out, bounded timeouts, and transport failures turned
 * into a value instead of an exception.
 *
 * <p>A component that asks for credentials or runs TLS with the operator's own CA is reached
 * through a derived instance ({@link #withAuthorization}, {@link #trusting}): same timeouts, same
 * {@link HostPolicy}, same body cap. A given CA replaces the JDK's default ones for that component
 * rather than adding to them, so that no other CA can stand in for the operator's; without one
 * the JDK's defaults apply. Credentials never appear in a failure text or a {@link
 * Exchange#summary()}.
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

  /** At most this many clients with a CA of their own are kept (one per distinct CA); beyond, they are made anew. */
  private static final int MAX_TRUSTING_CLIENTS = 256;

  private final HttpClient client;
  private final Duration connectTimeout;
  private final Duration requestTimeout;
  private final HostPolicy policy;
  /** The {@code Authorization} header's value, if requests carry one. */
  private final Optional<String> authorization;
  /** Whether {@link #client} trusts a given CA instead of the JDK's (for failure texts). */
  private final boolean ownTrust;
  /** Clients by the CA PEM they trust, shared by every instance derived from one: a TLS client is costly to make. */
  private final Map<String, HttpClient> trustingClients;

  public JsonHttp(Duration connectTimeout, Duration requestTimeout) {
    this(connectTimeout, requestTimeout, HostPolicy.ANY);
  }

  /** Never follows redirects: the policy never saw where they lead (nor would the credentials). */
  public JsonHttp(Duration connectTimeout, Duration requestTimeout, HostPolicy policy) {
    this(newClient(connectTimeout, Optional.empty()), connectTimeout, requestTimeout, policy, Optional.empty(), false, new ConcurrentHashMap<>());
  }

  private JsonHttp(
      HttpClient client, Duration connectTimeout, Duration requestTimeout, HostPolicy policy, Optional<String> authorization, boolean ownTrust,
      Map<String, HttpClient> trustingClients) {
    this.client = client;
    this.connectTimeout = connectTimeout;
    this.requestTimeout = requestTimeout;
    this.policy = policy;
    this.authorization = authorization;
    this.ownTrust = ownTrust;
    this.trustingClients = trustingClients;
  }

  private static HttpClient newClient(Duration connectTimeout, Optional<SSLContext> tls) {
    HttpClient.Builder builder =
        HttpClient.newBuilder()
            .connectTimeout(connectTimeout)
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER);
    tls.ifPresent(builder::sslContext);
    return builder.build();
  }

  /** The same HTTP with every request carrying {@code Authorization: <value>}. */
  public JsonHttp withAuthorization(String value) {
    return new JsonHttp(client, connectTimeout, requestTimeout, policy, Optional.of(value), ownTrust, trustingClients);
  }

  /**
   * The same HTTP with https servers checked against these CA certificates only (PEM, as {@link
   * CaCertificates#parse} reads them), the host name included.
   *
   * @throws IllegalArgumentException when the PEM is not certificates (registrations are validated, so this is a bug)
   */
  public JsonHttp trusting(String caCertificatePem) {
    HttpClient trusting = trustingClients.get(caCertificatePem);
    if (trusting == null) {
      if (trustingClients.size() >= MAX_TRUSTING_CLIENTS) {
        trustingClients.clear();
      }
      trusting = trustingClients.computeIfAbsent(caCertificatePem, pem -> newClient(connectTimeout, Optional.of(tlsTrusting(pem))));
    }
    return new JsonHttp(trusting, connectTimeout, requestTimeout, policy, authorization, true, trustingClients);
  }

  private static SSLContext tlsTrusting(String pem) {
    try {
      KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
      anchors.load(null, null);
      int i = 0;
      for (X509Certificate certificate : CaCertificates.parse(pem)) {
        anchors.setCertificateEntry("ca-" + i++, certificate);
      }
      TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(anchors);
      SSLContext tls = SSLContext.getInstance("TLS");
      tls.init(null, trust.getTrustManagers(), null);
      return tls;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build a TLS context for the given CA certificates: " + e.getClass().getSimpleName(), e);
    }
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
    authorization.ifPresent(value -> request.header("Authorization", value));
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
      return new Exchange(-1, "", Optional.of(describe(e, ownTrust)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Exchange(-1, "", Optional.of("interrupted"));
    }
  }

  /** The JDK's exception texts name hosts and causes, never request headers: no credential reaches them. */
  static String describe(IOException e, boolean ownTrust) {
    String type = e.getClass().getSimpleName();
    if (e instanceof java.net.ConnectException || e.getCause() instanceof java.net.ConnectException) {
      return "connection refused";
    }
    if (e instanceof java.net.http.HttpTimeoutException) {
      return "timed out";
    }
    Optional<Throwable> untrusted = causeOf(e, CertificateException.class, CertPathValidatorException.class);
    if (untrusted.isEmpty()) {
      untrusted = causeOf(e, java.security.cert.CertPathBuilderException.class);
    }
    if (untrusted.isPresent()) {
      return "TLS failed: the server's certificate is not trusted ("
          + (ownTrust ? "checked against the given CA certificate" : "checked against the JDK's default CAs") + "): "
          + flat(untrusted.get().getMessage());
    }
    if (causeOf(e, SSLException.class).isPresent()) {
      return "TLS failed: " + flat(causeOf(e, SSLException.class).get().getMessage());
    }
    return type + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }

  @SafeVarargs
  private static Optional<Throwable> causeOf(Throwable e, Class<? extends Throwable>... kinds) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      for (Class<? extends Throwable> kind : kinds) {
        if (kind.isInstance(cause)) {
          return Optional.of(cause);
        }
      }
    }
    return Optional.empty();
  }

  private static String flat(String message) {
    if (message == null) {
      return "no detail";
    }
    String flat = message.replaceAll("[\\p{Cntrl}\\s]+", " ").trim();
    return flat.length() > SUMMARY_LIMIT ? flat.substring(0, SUMMARY_LIMIT) + "…" : flat;
  }

  /** Joins a base URL and a path without doubling or dropping the slash. */
  public static String join(String baseUrl, String path) {
    String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    return base + (path.startsWith("/") ? path : "/" + path);
  }
}
