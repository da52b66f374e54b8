package dev.backstop.testbed;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a production search cluster looks like from outside, in front of the test bed's plain
 * OpenSearch: HTTPS with a certificate of a CA made for the test ({@link TestCertificates}), and
 * HTTP basic authentication. Every request must carry the username and password, else it is
 * answered 401 as OpenSearch's security plugin does and goes no further; the others are forwarded
 * to OpenSearch and its answer returned. {@link #tlsOnly} asks for no credentials (and counts
 * the requests that brought some anyway).
 *
 * <p>A stand-in, because the OpenSearch security plugin is not obtainable here. It binds a free
 * port on 127.0.0.1 and stops when closed.
 */
public final class TlsBasicAuthProxy implements AutoCloseable {

  /** Request headers passed on; the others (Authorization first of all) stay here. */
  private static final Set<String> FORWARDED_HEADERS = Set.of("content-type", "accept");

  private final URI target;
  private final String expectedAuthorization;
  private final TestCertificates certificates;
  private final HttpsServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool(daemon());
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1).build();
  private final List<String> forwarded = new CopyOnWriteArrayList<>();
  private final AtomicInteger refused = new AtomicInteger();
  private final AtomicInteger withCredentials = new AtomicInteger();

  private TlsBasicAuthProxy(URI target, String username, String password, TestCertificates certificates) {
    this.target = target;
    this.expectedAuthorization = username == null
        ? null
        : "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    this.certificates = certificates;
    try {
      server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setHttpsConfigurator(new HttpsConfigurator(certificates.serverContext()));
    server.setExecutor(threads);
    server.createContext("/", this::handle);
    server.start();
  }

  /**
   * Starts a proxy in front of {@code targetUrl} (plain HTTP), with a new CA and certificate made
   * in {@code dir}, that lets through requests with this username and password.
   */
  public static TlsBasicAuthProxy inFrontOf(String targetUrl, String username, String password, Path dir) {
    return new TlsBasicAuthProxy(URI.create(targetUrl), username, password, TestCertificates.generate(dir));
  }

  /**
   * Starts a proxy in front of {@code targetUrl} (plain HTTP) that asks for no credentials: TLS
   * only, as a management endpoint behind the operator's CA.
   */
  public static TlsBasicAuthProxy tlsOnly(String targetUrl, Path dir) {
    return new TlsBasicAuthProxy(URI.create(targetUrl), null, null, TestCertificates.generate(dir));
  }

  /** {@code https://127.0.0.1:<port>} */
  public String url() {
    return "https://127.0.0.1:" + server.getAddress().getPort();
  }

  /** The PEM of the CA that signed this proxy's certificate. */
  public String caPem() {
    return certificates.caPem();
  }

  /** The method and path (with query) of every request forwarded so far, in order. */
  public List<String> forwarded() {
    return List.copyOf(forwarded);
  }

  /** How many requests carried an {@code Authorization} header, right or wrong. */
  public int withCredentials() {
    return withCredentials.get();
  }

  /** How many requests were answered 401 (no or wrong credentials). */
  public int refused() {
    return refused.get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      if (authorization != null) {
        withCredentials.incrementAndGet();
      }
      if (expectedAuthorization != null && !expectedAuthorization.equals(authorization)) {
        refused.incrementAndGet();
        byte[] body =
            "{\"error\":{\"type\":\"security_exception\",\"reason\":\"Authentication failed\"},\"status\":401}".getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"OpenSearch Security\"");
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(401, body.length);
        exchange.getResponseBody().write(body);
        return;
      }
      String pathAndQuery = exchange.getRequestURI().getRawPath()
          + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
      byte[] requestBody;
      try (InputStream in = exchange.getRequestBody()) {
        requestBody = in.readAllBytes();
      }
      HttpRequest.Builder request =
          HttpRequest.newBuilder(target.resolve(pathAndQuery))
              .timeout(Duration.ofMinutes(2))
              .method(exchange.getRequestMethod(),
                  requestBody.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(requestBody));
      exchange.getRequestHeaders().forEach((name, values) -> {
        if (FORWARDED_HEADERS.contains(name.toLowerCase(java.util.Locale.ROOT))) {
          values.forEach(value -> request.header(name, value));
        }
      });
      forwarded.add(exchange.getRequestMethod() + " " + pathAndQuery);
      HttpResponse<byte[]> response;
      try {
        response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      } catch (IOException e) {
        exchange.sendResponseHeaders(502, -1);
        return;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        exchange.sendResponseHeaders(502, -1);
        return;
      }
      response.headers().firstValue("Content-Type").ifPresent(type -> exchange.getResponseHeaders().set("Content-Type", type));
      byte[] body = response.body();
      boolean noBody = body.length == 0 || exchange.getRequestMethod().equals("HEAD");
      exchange.sendResponseHeaders(response.statusCode(), noBody ? -1 : body.length);
      if (!noBody) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
    client.close();
  }

  private static java.util.concurrent.ThreadFactory daemon() {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, "tls-proxy-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
