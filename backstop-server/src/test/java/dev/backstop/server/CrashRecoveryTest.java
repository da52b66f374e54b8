package dev.backstop.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backstop.server.support.Api;
import dev.backstop.server.support.BackstopProcess;
import dev.backstop.server.support.ComponentProbe;
import dev.backstop.server.support.TestCluster;
import dev.backstop.testbed.FaultProxy;
import dev.backstop.testbed.Http;
import dev.backstop.testbed.ManagedProcess;
import dev.backstop.testbed.Testbed;
import dev.backstop.testbed.TestbedExtension;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backstop is killed ({@code kill -9}) while exporting is paused; the next Backstop on the same
 * database takes the backup's operation over, finishes the backup and resumes exporting. The
 * moment is placed by a proxy in front of Zeebe's management port: right after the pause went
 * through, Zeebe's port swallows every request, so Backstop is stuck at the step after the pause
 * when it is killed.
 */
@ExtendWith(TestbedExtension.class)
class CrashRecoveryTest {

  @TempDir Path dir;

  @Test
  void shouldResumeExportingAndResolveTheBackupAfterACrashWhileExportingWasPaused(Testbed testbed) throws Exception {
    ComponentProbe probe = new ComponentProbe(testbed);
    try (EmbeddedPostgres database = EmbeddedPostgres.builder().setServerConfig("listen_addresses", "127.0.0.1").start()) {
      String jdbcUrl = database.getJdbcUrl("postgres", "postgres");

      // given: a Backstop whose cluster's Zeebe is reached through the proxy
      BackstopProcess crashing = new BackstopProcess("backstop-crashing", jdbcUrl, dir);
      ManagedProcess first = crashing.process();
      long backupId;
      try (FaultProxy zeebePort = FaultProxy.inFrontOf(URI.create(testbed.zeebe().managementUrl()).getPort())) {
        crashing.start();
        Api operator = crashing.operator();
        String organization =
            operator.postJson("/admin/organizations", Map.of("name", "crash-tenant", "plan", "ENTERPRISE")).json().path("id").asText();
        Map<String, Object> registration =
          TestCluster.registration(organization, "crash-cluster", "8.6.0", testbed, Map.of("zeebe", zeebePort.url()));
        Api.Answer cluster = operator.postJson("/clusters", registration);
        assertThat(cluster.status()).as(cluster.toString()).isEqualTo(201);
        String clusterId = cluster.json().path("uuid").asText();
        operator.putJson("/admin/clusters/" + clusterId + "/backup-policy", Map.of("manualRateLimit", "PT0S", "manualRetention", 3, "scheduledRetention", 3));

        // when: a backup runs, and Backstop is killed once exporting is paused
        CountDownLatch paused = zeebePort.tripAfter("POST /actuator/exporting/pause", FaultProxy.Mode.BLACKHOLE);
        Api.Answer created = operator.post("/clusters/" + clusterId + "/backups", null);
        assertThat(created.status()).as(created.toString()).isEqualTo(202);
        backupId = created.json().path("backupId").asLong();
        FaultProxy.await(paused, 120);
        first.kill();
        assertThat(probe.exporterPhases()).containsOnly("SOFT_PAUSED");
        zeebePort.set(FaultProxy.Mode.PASS);

        // and: Backstop is started again on the same database
        BackstopProcess restarted = new BackstopProcess("backstop-restarted", jdbcUrl, dir);
        ManagedProcess second = restarted.process();
        try {
          restarted.start();
          Api again = restarted.operator();

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
          assertThat(second.logTail(400)).contains("Running backup " + backupId);
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
}
