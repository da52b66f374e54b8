package dev.backstop.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backstop.server.support.Api;
import dev.backstop.server.support.ComponentProbe;
import dev.backstop.server.support.TestCluster;
import dev.backstop.testbed.Http;
import dev.backstop.testbed.Jdk;
import dev.backstop.testbed.ManagedProcess;
import dev.backstop.testbed.Ports;
import dev.backstop.testbed.Testbed;
import dev.backstop.testbed.TestbedExtension;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backstop dies right after it paused exporting (the JVM halts, as on {@code kill -9}); the next
 * Backstop on the same database resumes exporting and finishes the backup.
 */
@ExtendWith(TestbedExtension.class)
class CrashRecoveryTest {

  private static final String OPERATOR = "crash-operator";
  private static final String SECRET = "crash-operator-secret-0123";

  @TempDir Path dir;

  @Test
  void shouldResumeExportingAndResolveTheBackupAfterACrashWhileExportingWasPaused(Testbed testbed) throws Exception {
    ComponentProbe probe = new ComponentProbe(testbed);
    try (EmbeddedPostgres database = EmbeddedPostgres.builder().setServerConfig("listen_addresses", "127.0.0.1").start()) {
      String jdbcUrl = database.getJdbcUrl("postgres", "postgres");

      // given: a Backstop that halts right after pausing exporting
      ManagedProcess first = backstop("backstop-crashing", jdbcUrl, "PAUSE_EXPORTING");
      long backupId;
      try {
        first.start();
        Api operator = Api.as(url(first), OPERATOR, SECRET);
        String organization =
            operator.postJson("/admin/organizations", Map.of("name", "crash-tenant", "plan", "ENTERPRISE")).json().path("id").asText();
        Api.Answer cluster = operator.postJson("/clusters", TestCluster.registration(organization, "crash-cluster", "8.6.0", testbed));
        assertThat(cluster.status()).as(cluster.toString()).isEqualTo(201);
        String clusterId = cluster.json().path("uuid").asText();
        operator.putJson("/admin/clusters/" + clusterId + "/backup-policy", Map.of("manualRateLimit", "PT0S", "manualRetention", 3, "scheduledRetention", 3));

        // when: a backup runs and Backstop dies with exporting paused
        Api.Answer created = operator.post("/clusters/" + clusterId + "/backups", null);
        assertThat(created.status()).as(created.toString()).isEqualTo(202);
        backupId = created.json().path("backupId").asLong();
        await("the first Backstop halts").atMost(Duration.ofMinutes(2)).until(() -> !first.isRunning());
        assertThat(first.logTail(200)).contains("Fault injection: halting after step PAUSE_EXPORTING");
        assertThat(probe.exporterPhases()).containsOnly("SOFT_PAUSED");

        // and: Backstop is started again on the same database
        ManagedProcess second = backstop("backstop-restarted", jdbcUrl, "");
        try {
          second.start();
          Api again = Api.as(url(second), OPERATOR, SECRET);

          // then: exporting is resumed and the backup resolved
          JsonNode[] backup = new JsonNode[1];
          await("the restarted Backstop finishes the backup")
              .atMost(Duration.ofMinutes(2))
              .pollInterval(Duration.ofMillis(500))
              .until(() -> {
                backup[0] = again.get("/clusters/" + clusterId + "/backups/" + backupId).json();
                return List.of("COMPLETED", "FAILED").contains(backup[0].path("state").asText());
              });
          assertThat(probe.exporterPhases()).containsOnly("EXPORTING");
          assertThat(backup[0].path("state").asText()).as(backup[0].toString()).isEqualTo("COMPLETED");
          assertThat(probe.backupState(testbed.zeebe(), backupId)).isEqualTo("COMPLETED");
          assertThat(probe.snapshotsOf(backupId)).contains("camunda_zeebe_records_backup_" + backupId);
          assertThat(second.logTail(400)).contains("Taking over backup " + backupId);
        } finally {
          second.stop();
        }
      } finally {
        first.kill();
        // Whatever happened, never leave the shared test bed paused.
        new Http().postJson(testbed.zeebe().managementUrl() + "/actuator/exporting/resume", "");
      }
    }
  }

  private ManagedProcess backstop(String name, String jdbcUrl, String haltAfterStep) {
    int port = Ports.freeLoopbackPort();
    List<String> command =
        new ArrayList<>(
            List.of(
                Jdk.findJava().toString(),
                "-Xmx384m",
                "-cp",
                System.getProperty("java.class.path"),
                BackstopApplication.class.getName(),
                "--server.port=" + port,
                "--spring.datasource.url=" + jdbcUrl,
                "--spring.datasource.username=postgres",
                "--backstop.data-dir=" + dir.resolve(name),
                "--backstop.admin.client-id=" + OPERATOR,
                "--backstop.admin.client-secret=" + SECRET,
                "--backstop.backup.lease=PT5S",
                "--backstop.backup.first-poll=PT0.25S",
                "--backstop.backup.max-poll=PT1S",
                "--backstop.regions.local-a.endpoint=http://127.0.0.1:1",
                "--backstop.regions.local-a.bucket=unused"));
    if (!haltAfterStep.isEmpty()) {
      command.add("--backstop.backup.halt-after-step=" + haltAfterStep);
    }
    String health = "http://127.0.0.1:" + port + "/actuator/health";
    return new ManagedProcess(
        new ManagedProcess.Spec(
            name, command, Map.of(), dir, dir.resolve(name + ".log"), () -> new Http().isOk(health), Duration.ofMinutes(2)));
  }

  private static String url(ManagedProcess process) {
    String log = process.logTail(10_000);
    java.util.regex.Matcher port = java.util.regex.Pattern.compile("Tomcat started on port (\\d+)").matcher(log);
    String last = null;
    while (port.find()) {
      last = port.group(1);
    }
    if (last == null) {
      throw new AssertionError("no port in the log of " + process.name());
    }
    return "http://127.0.0.1:" + last;
  }
}
