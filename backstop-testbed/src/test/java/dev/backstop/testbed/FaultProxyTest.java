package dev.backstop.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FaultProxyTest {

  private final AtomicInteger received = new AtomicInteger();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private HttpServer component;
  private FaultProxy proxy;

  @BeforeEach
  void start() throws IOException {
    component = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    component.createContext(
        "/",
        exchange -> {
          received.incrementAndGet();
          byte[] body = ("answer to " + exchange.getRequestMethod() + " " + exchange.getRequestURI()).getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    component.start();
    proxy = FaultProxy.inFrontOf(component.getAddress().getPort());
  }

  @AfterEach
  void stop() {
    proxy.close();
    component.stop(0);
  }

  @Test
  void shouldForwardBothWaysWhenPassing() throws Exception {
    assertThat(get("/a")).isEqualTo("answer to GET /a");
    assertThat(post("/b")).isEqualTo("answer to POST /b");
  }

  @Test
  void shouldRefuseConnectionsAndDeliverNothingLaterWhenRefusing() throws Exception {
    proxy.set(FaultProxy.Mode.REFUSE);

    assertThatThrownBy(() -> get("/lost")).isInstanceOf(ConnectException.class);
    proxy.set(FaultProxy.Mode.PASS);

    assertThat(get("/after")).isEqualTo("answer to GET /after");
    assertThat(received).hasValue(1);
  }

  @Test
  void shouldSwallowRequestsWhenBlackholed() {
    proxy.set(FaultProxy.Mode.BLACKHOLE);

    assertThatThrownBy(() -> send(HttpRequest.newBuilder(URI.create(proxy.url() + "/x")).timeout(Duration.ofMillis(500)).build()))
        .isInstanceOf(HttpTimeoutException.class);
    assertThat(received).hasValue(0);
  }

  @Test
  void shouldLetAnOpenConnectionGoSilentWhenBlackholed() throws Exception {
    assertThat(get("/before")).isEqualTo("answer to GET /before"); // the client keeps this connection open
    proxy.set(FaultProxy.Mode.BLACKHOLE);

    assertThatThrownBy(() -> send(HttpRequest.newBuilder(URI.create(proxy.url() + "/silent")).timeout(Duration.ofMillis(500)).build()))
        .isInstanceOf(HttpTimeoutException.class);
    assertThat(received).hasValue(1);
  }

  @Test
  void shouldSwitchRightAfterTheMarkedRequestWasAnswered() throws Exception {
    var tripped = proxy.tripAfter("POST /actuator/exporting/pause", FaultProxy.Mode.REFUSE);
    assertThat(get("/actuator/partitions")).isEqualTo("answer to GET /actuator/partitions");
    assertThat(proxy.mode()).isEqualTo(FaultProxy.Mode.PASS);

    assertThat(post("/actuator/exporting/pause?soft=true")).isEqualTo("answer to POST /actuator/exporting/pause?soft=true");
    FaultProxy.await(tripped, 5);

    assertThat(proxy.mode()).isEqualTo(FaultProxy.Mode.REFUSE);
    // refused, or reset when the client reuses a connection it had open: either way nothing goes through
    assertThatThrownBy(() -> post("/actuator/exporting/resume")).isInstanceOf(java.io.IOException.class);
    assertThat(received).hasValue(2);
  }

  @Test
  void shouldStrikeBeforeTheMarkedRequestReachesTheComponent() throws Exception {
    var tripped = proxy.tripBefore("POST /actuator/backups", FaultProxy.Mode.REFUSE);
    assertThat(get("/actuator/backups")).isEqualTo("answer to GET /actuator/backups");
    assertThat(proxy.mode()).isEqualTo(FaultProxy.Mode.PASS);

    assertThatThrownBy(() -> post("/actuator/backups")).isInstanceOf(java.io.IOException.class);
    FaultProxy.await(tripped, 5);

    assertThat(proxy.mode()).isEqualTo(FaultProxy.Mode.REFUSE);
    assertThat(received).as("the marked request never reached the component").hasValue(1);
  }

  @Test
  void shouldRunTheActionBeforeForwardingAndThenForwardInTheModeItLeft() throws Exception {
    java.util.concurrent.atomic.AtomicInteger seenByAction = new java.util.concurrent.atomic.AtomicInteger(-1);
    var tripped = proxy.tripBefore("PUT /_snapshot/", () -> seenByAction.set(received.get()));

    assertThat(send(HttpRequest.newBuilder(URI.create(proxy.url() + "/_snapshot/repo/name")).timeout(Duration.ofSeconds(5))
            .PUT(HttpRequest.BodyPublishers.ofString("{}")).build()))
        .isEqualTo("answer to PUT /_snapshot/repo/name");
    FaultProxy.await(tripped, 5);

    assertThat(seenByAction).as("the action ran before the component got the request").hasValue(0);
    assertThat(received).hasValue(1);
  }

  private String get(String path) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(proxy.url() + path)).timeout(Duration.ofSeconds(5)).build());
  }

  private String post(String path) throws Exception {
    return send(
        HttpRequest.newBuilder(URI.create(proxy.url() + path)).timeout(Duration.ofSeconds(5)).POST(HttpRequest.BodyPublishers.ofString("{}")).build());
  }

  private String send(HttpRequest request) throws Exception {
    return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
  }
}
