package dev.backstop.camunda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.backstop.core.backup.BackupId;
import dev.backstop.core.backup.Component;
import dev.backstop.core.cluster.ComponentEndpoints;
import dev.backstop.core.cluster.Generation;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Which endpoint each generation's backup calls reach: the one place that knows the generations apart. */
class CamundaClusterApisTest {

  private final BackupId id = new BackupId(1_795_300_000L);
  private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
  private HttpServer server;
  private ComponentEndpoints endpoints;

  @BeforeEach
  void start() throws Exception {
    // Answers 404 to everything ("no such backup"): only where the calls go matters here.
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
      FakeHttp.answer(exchange, 404, "{\"message\":\"not found\"}");
    });
    server.start();
    String url = "http://127.0.0.1:" + server.getAddress().getPort();
    endpoints =
        new ComponentEndpoints(
            url + "/zeebe", Optional.of(url + "/operate"), Optional.of(url + "/tasklist"), Optional.of(url + "/optimize"),
            new ComponentEndpoints.Search(url + "/search", "repo", "zeebe-record"));
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void shouldReachEachComponentsOwnBackupsEndpointUpTo87() {
    CamundaClusterApis apis = new CamundaClusterApis(JsonHttp.withDefaults(), Generation.parse("8.7.3"), endpoints);

    apis.zeebe().backupStatus(id);
    apis.webApp(Component.OPERATE).orElseThrow().status(id);
    apis.webApp(Component.TASKLIST).orElseThrow().status(id);
    apis.webApp(Component.OPTIMIZE).orElseThrow().status(id);

    assertThat(requests).containsExactly(
        "GET /zeebe/actuator/backups/" + id, "GET /operate/actuator/backups/" + id, "GET /tasklist/actuator/backups/" + id,
        "GET /optimize/actuator/backups/" + id);
    assertThat(apis.webApp(Component.OPERATE).orElseThrow()).isNotSameAs(apis.webApp(Component.TASKLIST).orElseThrow());
  }

  @Test
  void shouldReachTheRuntimeAndOneSharedHistoryBackupIn88() {
    CamundaClusterApis apis = new CamundaClusterApis(JsonHttp.withDefaults(), Generation.parse("8.8.2"), endpoints);

    apis.zeebe().backupStatus(id);
    apis.webApp(Component.OPERATE).orElseThrow().status(id);
    apis.webApp(Component.OPTIMIZE).orElseThrow().status(id);

    assertThat(requests).containsExactly(
        "GET /zeebe/actuator/backupRuntime/" + id, "GET /operate/actuator/backupHistory/" + id, "GET /optimize/actuator/backups/" + id);
    assertThat(apis.webApp(Component.TASKLIST).orElseThrow()).as("one history backup for both").isSameAs(apis.webApp(Component.OPERATE).orElseThrow());
    assertThat(apis.webApp(Component.OPERATE).orElseThrow().snapshotPrefix(id)).isEqualTo("camunda_webapps_" + id + "_");
  }

  @Test
  void shouldAskTasklistsUrlForTheHistoryBackupOfAn88ClusterWithoutOperate() {
    ComponentEndpoints tasklistOnly =
        new ComponentEndpoints(endpoints.zeebeManagementUrl(), Optional.empty(), endpoints.tasklistManagementUrl(), Optional.empty(), endpoints.search());
    CamundaClusterApis apis = new CamundaClusterApis(JsonHttp.withDefaults(), Generation.parse("8.8.0"), tasklistOnly);

    apis.webApp(Component.TASKLIST).orElseThrow().status(id);

    assertThat(apis.webApp(Component.OPERATE)).isEmpty();
    assertThat(requests).containsExactly("GET /tasklist/actuator/backupHistory/" + id);
  }

  @Test
  void shouldRefuseAGenerationNewerThan88() {
    assertThatThrownBy(() -> new CamundaClusterApis(JsonHttp.withDefaults(), Generation.parse("8.9.0"), endpoints))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("8.9.0");
    assertThat(requests).isEmpty();
  }
}
