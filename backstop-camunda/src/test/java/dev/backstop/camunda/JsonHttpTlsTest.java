package dev.backstop.camunda;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.backstop.core.cluster.ComponentEndpoints;
import dev.backstop.core.cluster.PreflightReport;
import dev.backstop.core.cluster.SearchAuth;
import dev.backstop.testbed.TestCertificates;
import dev.backstop.testbed.TlsBasicAuthProxy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A search engine behind TLS with the operator's CA and basic authentication: the credentials go
 * with every request, the given CA (and only it) vouches for the server, and each way of failing
 * says what failed, never quoting a credential.
 *
 * <p>Behind the TLS proxy answers a fake search engine (a JDK HTTP server with OpenSearch's root
 * and repository answers), because what is tested is the transport; the real OpenSearch behind
 * the same proxy is {@code SecuredSearchTest}'s.
 */
class JsonHttpTlsTest {

  private static final String PASSWORD = "pa55-word-never-shown";

  private static HttpServer search;
  private static TlsBasicAuthProxy proxy;
  private static String otherCaPem;

  @BeforeAll
  static void start() throws Exception {
    search = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    search.createContext("/", exchange -> {
      String path = exchange.getRequestURI().getPath();
      String body = path.equals("/")
          ? "{\"version\":{\"distribution\":\"opensearch\",\"number\":\"2.19.1\"}}"
          : path.equals("/_snapshot/camunda-backups") ? "{\"camunda-backups\":{\"type\":\"s3\"}}" : "{}";
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(path.equals("/") || path.equals("/_snapshot/camunda-backups") ? 200 : 404, bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    });
    search.start();
    Path dir = Files.createTempDirectory("jsonhttp-tls");
    proxy = TlsBasicAuthProxy.inFrontOf("http://127.0.0.1:" + search.getAddress().getPort(), "backstop", PASSWORD, dir.resolve("proxy"));
    otherCaPem = TestCertificates.generate(dir.resolve("other")).caPem();
  }

  @AfterAll
  static void stop() {
    if (proxy != null) {
      proxy.close();
    }
    if (search != null) {
      search.stop(0);
    }
  }

  private static JsonHttp http() {
    return new JsonHttp(Duration.ofSeconds(2), Duration.ofSeconds(5));
  }

  @Test
  void shouldReachTheSearchEngineWithItsCredentialsThroughTheGivenCa() {
    // given
    JsonHttp http = http().trusting(proxy.caPem()).withAuthorization(new SearchAuth.Basic("backstop", PASSWORD).authorization());

    // when
    JsonHttp.Exchange root = http.get(proxy.url() + "/");

    // then
    assertThat(root.status()).as(root.toString()).isEqualTo(200);
    assertThat(root.json().path("version").path("number").asText()).isEqualTo("2.19.1");
  }

  @Test
  void shouldBeAnswered401WithoutOrWithWrongCredentials() {
    JsonHttp trusting = http().trusting(proxy.caPem());

    assertThat(trusting.get(proxy.url() + "/").status()).isEqualTo(401);
    JsonHttp.Exchange wrong = trusting.withAuthorization(new SearchAuth.Basic("backstop", "wrong").authorization()).get(proxy.url() + "/");
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(wrong.summary()).doesNotContain("wrong");
  }

  @Test
  void shouldRefuseACertificateTheGivenCaDidNotSignSayingSo() {
    // given: the CA of another operator
    JsonHttp http = http().trusting(otherCaPem).withAuthorization(new SearchAuth.Basic("backstop", PASSWORD).authorization());

    // when
    JsonHttp.Exchange exchange = http.get(proxy.url() + "/");

    // then: no answer, and the failure says TLS and not trusted, never the credentials
    assertThat(exchange.answered()).isFalse();
    assertThat(exchange.failure()).hasValueSatisfying(
        failure -> assertThat(failure).startsWith("TLS failed: the server's certificate is not trusted (checked against the given CA certificate)")
            .doesNotContain(PASSWORD));
  }

  @Test
  void shouldCheckAgainstTheJdksDefaultCasWhenNoneIsGiven() {
    JsonHttp.Exchange exchange = http().get(proxy.url() + "/");

    assertThat(exchange.answered()).isFalse();
    assertThat(exchange.failure()).hasValueSatisfying(
        failure -> assertThat(failure).startsWith("TLS failed: the server's certificate is not trusted (checked against the JDK's default CAs)"));
  }

  @Test
  void shouldTellInPreflightThatTheSearchEngineRefusedTheCredentials() {
    // given: a registration with the right CA and a wrong password
    ComponentEndpoints endpoints = endpoints(Optional.of(new SearchAuth.Basic("backstop", "not-the-password")), Optional.of(proxy.caPem()));

    // when
    PreflightReport report = new CamundaPreflight(http(), Clock.systemUTC()).check(endpoints);

    // then: reachable, not configured, "authentication failed"
    PreflightReport.Check search = searchCheck(report);
    assertThat(search.reachable()).isTrue();
    assertThat(search.backupConfigured()).isFalse();
    assertThat(search.detail()).startsWith("search engine: authentication failed (HTTP 401) with the registered username and password")
        .doesNotContain("not-the-password");
  }

  @Test
  void shouldTellInPreflightThatTheCertificateIsNotTrusted() {
    ComponentEndpoints endpoints = endpoints(Optional.of(new SearchAuth.Basic("backstop", PASSWORD)), Optional.of(otherCaPem));

    PreflightReport.Check search = searchCheck(new CamundaPreflight(http(), Clock.systemUTC()).check(endpoints));

    assertThat(search.reachable()).isFalse();
    assertThat(search.detail()).contains("TLS failed").contains("not trusted").doesNotContain(PASSWORD);
  }

  @Test
  void shouldPassPreflightWithTheRightCredentialsAndCa() {
    ComponentEndpoints endpoints = endpoints(Optional.of(new SearchAuth.Basic("backstop", PASSWORD)), Optional.of(proxy.caPem()));

    PreflightReport.Check search = searchCheck(new CamundaPreflight(http(), Clock.systemUTC()).check(endpoints));

    assertThat(search.reachable()).isTrue();
    assertThat(search.backupConfigured()).as(search.detail()).isTrue();
    assertThat(search.version()).hasValue("2.19.1");
  }

  @Test
  void shouldReachManagementEndpointsThroughTheirCaWithoutTheSearchEnginesCredentials() throws Exception {
    try (TlsBasicAuthProxy zeebe = TlsBasicAuthProxy.tlsOnly("http://127.0.0.1:" + search.getAddress().getPort(), Files.createTempDirectory("zeebe-tls"))) {
      // given: Zeebe's management endpoint behind TLS with a CA of its own, the search engine behind the proxy with credentials
      ComponentEndpoints endpoints =
          new ComponentEndpoints(
              zeebe.url(), Optional.empty(), Optional.empty(), Optional.empty(),
              new ComponentEndpoints.Search(proxy.url(), "camunda-backups", "zeebe-record", Optional.of(new SearchAuth.Basic("backstop", PASSWORD)),
                  Optional.of(proxy.caPem())),
              Optional.of(zeebe.caPem()));

      // when
      PreflightReport report = new CamundaPreflight(http(), Clock.systemUTC()).check(endpoints);

      // then: Zeebe answered through TLS (the fake behind it has no Zeebe API: 404), and no request to it carried credentials
      PreflightReport.Check zeebeCheck = report.checks().stream().filter(check -> check.component().equals("zeebe")).findFirst().orElseThrow();
      assertThat(zeebeCheck.reachable()).as(zeebeCheck.detail()).isTrue();
      assertThat(zeebe.forwarded()).isNotEmpty();
      assertThat(zeebe.withCredentials()).isZero();
      assertThat(searchCheck(report).backupConfigured()).isTrue();

      // and without its CA, Zeebe's TLS fails, saying so
      PreflightReport.Check untrusted =
          new CamundaPreflight(http(), Clock.systemUTC()).check(withoutManagementCa(endpoints))
              .checks().get(0);
      assertThat(untrusted.reachable()).isFalse();
      assertThat(untrusted.detail()).startsWith("TLS failed: the server's certificate is not trusted (checked against the JDK's default CAs)");
    }
  }

  private static ComponentEndpoints withoutManagementCa(ComponentEndpoints endpoints) {
    return new ComponentEndpoints(
        endpoints.zeebeManagementUrl(), endpoints.operateManagementUrl(), endpoints.tasklistManagementUrl(), endpoints.optimizeManagementUrl(),
        endpoints.search(), Optional.empty());
  }

  private static ComponentEndpoints endpoints(Optional<SearchAuth> auth, Optional<String> ca) {
    // Zeebe is nowhere: only the search check matters here, and the credentials must not go to Zeebe
    return new ComponentEndpoints(
        "http://127.0.0.1:1", Optional.empty(), Optional.empty(), Optional.empty(),
        new ComponentEndpoints.Search(proxy.url(), "camunda-backups", "zeebe-record", auth, ca));
  }

  private static PreflightReport.Check searchCheck(PreflightReport report) {
    return report.checks().stream().filter(check -> check.component().equals("search")).findFirst().orElseThrow();
  }
}
