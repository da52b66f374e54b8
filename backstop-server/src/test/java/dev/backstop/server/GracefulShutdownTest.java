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
import dev.backstop.testbed.Testbed;
import dev.backstop.testbed.TestbedExtension;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backstop is stopped the way an operator stops it (SIGTERM) while a backup has exporting paused
 * and waits on a search engine that does not answer: before it exits, it fails the backup and
 * resumes exporting, instead of leaving the cluster paused until another instance takes over.
 */
@ExtendWith(TestbedExtension.class)
class GracefulShutdownTest {

  @TempDir Path dir;

  @Test
  void shouldResumeExportingBeforeItExits(Testbed testbed) throws Exception {
    ComponentProbe probe = new ComponentProbe(testbed);
    try (EmbeddedPostgres database = EmbeddedPostgres.builder().setServerConfig("listen_addresses", "127.0.0.1").start();
        FaultProxy zeebePort = FaultProxy.inFrontOf(URI.create(testbed.zeebe().managementUrl()).getPort());
        FaultProxy searchPort = FaultProxy.inFrontOf(URI.create(testbed.searchUrl()).getPort())) {
      String jdbcUrl = database.getJdbcUrl("postgres", "postgres");
      BackstopProcess backstop = new BackstopProcess("backstop-stopping", jdbcUrl, dir).start();
      try {
        // given: a cluster whose Zeebe and search engine are reached through proxies
        Api operator = backstop.operator();
        String organization = operator.postJson("/admin/organizations", Map.of("name", "stopping", "plan", "ENTERPRISE")).json().path("id").asText();
        Map<String, Object> registration =
          TestCluster.registration(organization, "stopping", "8.6.0", testbed, Map.of("zeebe", zeebePort.url(), "search", searchPort.url()));
        Api.Answer cluster = operator.postJson("/clusters", registration);
        assertThat(cluster.status()).as(cluster.toString()).isEqualTo(201);
        String clusterId = cluster.json().path("uuid").asText();

        // and: a backup stuck right after the pause, the search engine swallowing its records
        // snapshot's request (matched by the request itself: Backstop's connection to the search
        // engine is open already, from the web-app wait and the copy ahead of the pause)
        CountDownLatch paused =
            searchPort.failFrom("PUT /_snapshot/" + Testbed.SEARCH_REPOSITORY + "/camunda_zeebe_records_backup_", FaultProxy.Mode.BLACKHOLE);
        Api.Answer created = operator.post("/clusters/" + clusterId + "/backups", null);
        assertThat(created.status()).as(created.toString()).isEqualTo(202);
        long backupId = created.json().path("backupId").asLong();
        FaultProxy.await(paused, 120);
        assertThat(probe.exporterPhases()).containsOnly("SOFT_PAUSED");

        // when: Backstop is stopped
        backstop.process().stop();

        // then: it resumed exporting before it exited, and recorded why the backup failed
        assertThat(backstop.process().isRunning()).isFalse();
        assertThat(probe.exporterPhases()).containsOnly("EXPORTING");
        searchPort.set(FaultProxy.Mode.PASS);
        try (BackstopProcess again = new BackstopProcess("backstop-again", jdbcUrl, dir).start()) {
          JsonNode backup = again.operator().get("/clusters/" + clusterId + "/backups/" + backupId).json();
          assertThat(backup.path("state").asText()).as(backup.toString()).isEqualTo("FAILED");
          assertThat(backup.path("failureReason").asText()).startsWith("Backstop stopped while exporting was paused");
          assertThat(backup.path("exportingPaused").asBoolean()).isFalse();
          // and the restarted instance finishes its cleanup: nothing of it is left in the components
          await("the cleanup is finished").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500))
              .until(() -> probe.snapshotsOf(backupId).isEmpty() && probe.backupState(testbed.zeebe(), backupId).equals("404"));
        }
      } finally {
        backstop.process().kill();
        new Http().postJson(testbed.zeebe().managementUrl() + "/actuator/exporting/resume", "");
      }
    }
  }
}
