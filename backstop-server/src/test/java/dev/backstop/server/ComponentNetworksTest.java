package dev.backstop.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backstop.server.support.Api;
import dev.backstop.server.support.FakeComponents;
import dev.backstop.server.support.StandaloneBackstopTest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The networks component URLs may point to are checked at every call, not only at registration: a
 * cluster registered while its network was allowed is not called once it no longer is, and the
 * operator is told at start which clusters that leaves out.
 */
@ExtendWith(OutputCaptureExtension.class)
class ComponentNetworksTest {

  @TempDir Path dataDir;

  @Test
  void shouldCallNoComponentOutsideTheAllowedNetworksAndNameTheClustersAtStart(CapturedOutput output) {
    try (FakeComponents components = new FakeComponents(Duration.ZERO)) {
      // given: a cluster on loopback, registered while loopback was allowed
      String clusterId;
      try (ConfigurableApplicationContext server = start("--backstop.security.component-networks=127.0.0.0/8")) {
        Api operator = Api.as(url(server), "operator", "operator-secret-0123456");
        String organization = operator.postJson("/admin/organizations", Map.of("name", "acme", "plan", "ENTERPRISE")).json().path("id").asText();
        Api.Answer registered = operator.postJson("/clusters", StandaloneBackstopTest.registration(organization, "on-loopback", components.url()));
        assertThat(registered.status()).as(registered.toString()).isEqualTo(201);
        clusterId = registered.json().path("uuid").asText();
      }
      int before = components.requests();

      // when: Backstop starts again allowing public addresses only (the default)
      try (ConfigurableApplicationContext server = start()) {
        // then: the operator is told which cluster is left out and which setting to change
        assertThat(output.getOut()).contains("Cluster " + clusterId + " (on-loopback) cannot be backed up or restored")
            .contains("backstop.security.component-networks");
        // and a backup fails saying why, without a single request reaching the components
        Api operator = Api.as(url(server), "operator", "operator-secret-0123456");
        Api.Answer created = operator.post("/clusters/" + clusterId + "/backups", null);
        assertThat(created.status()).as(created.toString()).isEqualTo(202);
        long id = created.json().path("backupId").asLong();
        JsonNode[] last = new JsonNode[1];
        await("the backup fails").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(300)).until(() -> {
          last[0] = operator.get("/clusters/" + clusterId + "/backups/" + id).json();
          return last[0].path("state").asText().equals("FAILED");
        });
        assertThat(last[0].path("failureReason").asText()).contains("not called").contains("loopback").contains("backstop.security.component-networks");
        assertThat(components.requests()).isEqualTo(before);
      }
    }
  }

  private ConfigurableApplicationContext start(String... more) {
    List<String> args = new ArrayList<>(List.of(
        "--server.port=0", "--backstop.data-dir=" + dataDir, "--backstop.admin.client-id=operator",
        "--backstop.admin.client-secret=operator-secret-0123456",
        "--backstop.regions.local-a.endpoint=http://127.0.0.1:1", "--backstop.regions.local-a.bucket=unused",
        "--backstop.backup.unreachable-tolerance=PT1S", "--backstop.backup.exporting-timeout=PT1S",
        "--backstop.backup.first-poll=PT0.1S", "--backstop.backup.max-poll=PT0.5S", "--db-scheduler.polling-interval=1s"));
    args.addAll(List.of(more));
    return new SpringApplicationBuilder(BackstopApplication.class).run(args.toArray(String[]::new));
  }

  private static String url(ConfigurableApplicationContext server) {
    return "http://127.0.0.1:" + server.getEnvironment().getProperty("local.server.port");
  }
}
