package dev.backstop.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backstop.testbed.ManagedProcess;
import dev.backstop.testbed.Testbed;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** The sandbox's application: a real local Camunda cluster next to the server, stopped with it. */
class SandboxTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dataDir;

  @Test
  void shouldStartTheTestbedWithTheServerRestoreItThroughTheApiAndStopItOnShutdown() throws Exception {
    List<ProcessHandle> processes;
    List<ProcessHandle> restarted;
    // when
    try (ConfigurableApplicationContext server =
        new SpringApplicationBuilder(BackstopSandboxApplication.class)
            .run(
                "--server.port=0",
                "--backstop.data-dir=" + dataDir,
                "--backstop.admin.client-id=sandbox-operator",
                "--backstop.admin.client-secret=sandbox-operator-secret")) {

      // then: every component runs, with its data under the data directory
      Sandbox sandbox = server.getBean(Sandbox.class);
      Testbed testbed = sandbox.testbed().orElseThrow();
      assertThat(sandbox.health().getStatus()).isEqualTo(Status.UP);
      assertThat(testbed.workDirectory()).isEqualTo(dataDir.toAbsolutePath().resolve("sandbox"));
      assertThat(testbed.processes())
          .extracting(ManagedProcess::name)
          .containsExactlyInAnyOrder("s3proxy-local-a", "s3proxy-local-b", "opensearch", "zeebe", "operate", "tasklist");
      processes =
          testbed.processes().stream()
              .map(p -> ProcessHandle.of(p.pid().orElseThrow()).orElseThrow())
              .toList();
      assertThat(processes).allMatch(ProcessHandle::isAlive);

      // and: the server's health includes the sandbox
      String url = "http://127.0.0.1:" + server.getEnvironment().getProperty("local.server.port");
      assertThat(get(url, "/actuator/health", null).path("status").asText()).isEqualTo("UP");

      // and: its cluster is registered as "sandbox" of the ENTERPRISE organization "sandbox"
      String token = token(url, "sandbox-operator", "sandbox-operator-secret");
      JsonNode cluster = get(url, "/clusters/sandbox", token);
      assertThat(cluster.path("generation").asText()).isEqualTo("8.6.0");
      assertThat(cluster.path("backupLocation").path("type").asText()).isEqualTo("DUAL_REGION");
      assertThat(cluster.path("backupLocation").path("secondaryRegion").asText()).isEqualTo("local-b");
      assertThat(cluster.path("preflight").path("checks").findValuesAsText("reachable")).containsOnly("true");
      assertThat(cluster.path("components").path("zeebe").path("managementUrl").asText()).isEqualTo(testbed.zeebe().managementUrl());
      JsonNode organizations = get(url, "/admin/organizations", token);
      assertThat(organizations.findValuesAsText("name")).contains("sandbox");
      assertThat(organizations.get(organizations.findValuesAsText("name").indexOf("sandbox")).path("plan").asText()).isEqualTo("ENTERPRISE");

      // and: the sandbox restores itself through the API, its runtime stopping and starting its components
      assertThat(cluster.path("runtime").path("type").asText()).isEqualTo("LOCAL_PROCESS");
      long backupId = send(post(url, "/clusters/sandbox/backups", token), 202).path("backupId").asLong();
      JsonNode backup = awaitState(url, "/clusters/sandbox/backups/" + backupId, token, List.of("COMPLETED", "FAILED"));
      assertThat(backup.path("state").asText()).as(backup.toString()).isEqualTo("COMPLETED");
      String restoreId = send(post(url, "/clusters/sandbox/backups/" + backupId + "/restore", token), 202).path("id").asText();
      JsonNode restore = awaitState(url, "/clusters/sandbox/restores/" + restoreId, token, List.of("COMPLETED", "FAILED"));
      assertThat(restore.path("state").asText()).as(restore.toString()).isEqualTo("COMPLETED");
      assertThat(sandbox.health().getStatus()).isEqualTo(Status.UP);
      assertThat(processes).filteredOn(ProcessHandle::isAlive).hasSize(3); // the regions and OpenSearch were never stopped
      restarted = testbed.runtimeProcesses();
      assertThat(restarted).hasSize(3).allMatch(ProcessHandle::isAlive);
    }

    // and: shutting the server down stops them all, also those the restore started
    assertThat(processes).noneMatch(ProcessHandle::isAlive);
    assertThat(restarted).noneMatch(ProcessHandle::isAlive);
  }

  private static JsonNode awaitState(String url, String path, String token, List<String> ends) throws Exception {
    long deadline = System.nanoTime() + java.time.Duration.ofMinutes(6).toNanos();
    JsonNode current = get(url, path, token);
    while (!ends.contains(current.path("state").asText()) && System.nanoTime() < deadline) {
      Thread.sleep(1000);
      current = get(url, path, token);
    }
    return current;
  }

  private static HttpRequest post(String url, String path, String token) {
    return HttpRequest.newBuilder(URI.create(url + path))
        .header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.noBody())
        .build();
  }

  private static String token(String url, String clientId, String secret) throws Exception {
    String form =
        "grant_type=client_credentials&client_id=" + URLEncoder.encode(clientId, StandardCharsets.UTF_8)
            + "&client_secret=" + URLEncoder.encode(secret, StandardCharsets.UTF_8);
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url + "/oauth/token"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build();
    return send(request).path("access_token").asText();
  }

  private static JsonNode get(String url, String path, String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + path));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return send(request.build());
  }

  private static JsonNode send(HttpRequest request) throws Exception {
    return send(request, 200);
  }

  private static JsonNode send(HttpRequest request, int status) throws Exception {
    try (HttpClient client = HttpClient.newHttpClient()) {
      HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as("%s %s: %s", request.method(), request.uri(), response.body()).isEqualTo(status);
      return JSON.readTree(response.body());
    }
  }
}
