package dev.backstop.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backstop.server.support.Api;
import dev.backstop.server.support.BackstopProcess;
import dev.backstop.server.support.RegionContents;
import dev.backstop.server.support.TestCluster;
import dev.backstop.testbed.FaultProxy;
import dev.backstop.testbed.ManagedProcess;
import dev.backstop.testbed.Testbed;
import dev.backstop.testbed.TestbedExtension;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backstop is killed ({@code kill -9}) in the middle of a replication; another Backstop on the same
 * database takes the backup's operation over and completes the replication without writing again
 * any object the secondary region held whole at the moment of the kill. The moment is placed by a
 * proxy in front of the secondary region: right after the first search-repository blob went up,
 * Backstop is killed.
 */
@ExtendWith(TestbedExtension.class)
class ReplicationCrashTest {

  @TempDir Path dir;

  @Test
  void shouldCompleteAReplicationOnAnotherInstanceAfterACrashWithoutCopyingAgainWhatWasCopied(Testbed testbed) throws Exception {
    try (EmbeddedPostgres database = EmbeddedPostgres.builder().setServerConfig("listen_addresses", "127.0.0.1").start();
        FaultProxy secondary = FaultProxy.inFrontOf(URI.create(testbed.secondaryRegion().endpoint()).getPort())) {
      String jdbcUrl = database.getJdbcUrl("postgres", "postgres");
      List<String> regionList = new ArrayList<>(BackstopProcess.regionArguments(testbed.primaryRegion()));
      regionList.addAll(BackstopProcess.regionArguments(testbed.secondaryRegion(), secondary.url()));
      String[] regions = regionList.toArray(String[]::new);
      BackstopProcess crashing = new BackstopProcess("backstop-replicating", jdbcUrl, dir, regions);
      ManagedProcess first = crashing.process();
      try {
        crashing.start();
        Api operator = crashing.operator();
        String organization =
            operator.postJson("/admin/organizations", Map.of("name", "replication-crash", "plan", "ENTERPRISE")).json().path("id").asText();
        Map<String, Object> registration = TestCluster.registration(organization, "replication-crash", "8.6.0", testbed);
        registration.put("backupLocation", Map.of("type", "DUAL_REGION", "secondaryRegion", testbed.secondaryRegion().name()));
        Api.Answer cluster = operator.postJson("/clusters", registration);
        assertThat(cluster.status()).as(cluster.toString()).isEqualTo(201);
        String clusterId = cluster.json().path("uuid").asText();
        operator.putJson("/admin/clusters/" + clusterId + "/backup-policy", Map.of("manualRateLimit", "PT0S", "manualRetention", 3, "scheduledRetention", 3));

        // when: a backup completes, and Backstop is killed as soon as a search blob was copied
        CountDownLatch copying =
            secondary.tripAfter("/" + Testbed.SEARCH_BASE_PATH + "/indices/", first::kill);
        Api.Answer created = operator.post("/clusters/" + clusterId + "/backups", null);
        assertThat(created.status()).as(created.toString()).isEqualTo(202);
        long backupId = created.json().path("backupId").asLong();
        FaultProxy.await(copying, 180);
        await().atMost(Duration.ofSeconds(10)).until(() -> !first.isRunning());

        // what the secondary held of the backup at that moment (each object whole: S3 writes are
        // atomic): its Zeebe objects and the search repository's data blobs
        Map<String, RegionContents.FileIdentity> before = RegionContents.replicatedFiles(testbed, testbed.secondaryRegion(), backupId);
        assertThat(before.keySet()).as("copied before the kill").anyMatch(key -> key.contains(Testbed.SEARCH_BASE_PATH + "/indices/"));
        Map<String, RegionContents.Listed> all = RegionContents.zeebeObjectsOf(testbed.primaryRegion(), backupId);

        // and: another Backstop is started on the same database
        BackstopProcess other = new BackstopProcess("backstop-taking-over", jdbcUrl, dir, regions);
        ManagedProcess second = other.process();
        try {
          other.start();
          Api again = other.operator();

          // then: it completes the replication
          JsonNode[] backup = new JsonNode[1];
          await("the other Backstop completes the replication").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
              .until(() -> {
                backup[0] = again.get("/clusters/" + clusterId + "/backups/" + backupId).json();
                return List.of("COMPLETED", "FAILED").contains(backup[0].path("location").path("replication").asText());
              });
          assertThat(backup[0].path("location").path("replication").asText()).as(backup[0].toString()).isEqualTo("COMPLETED");
          assertThat(RegionContents.zeebeObjectsOf(testbed.secondaryRegion(), backupId).keySet()).isEqualTo(all.keySet());
          assertThat(RegionContents.list(testbed.secondaryRegion(), Testbed.SEARCH_BASE_PATH + "/index.latest")).hasSize(1);
          // and: nothing the secondary held whole at the kill was written again
          // (what an earlier test left there and this generation does not use may have been removed)
          Map<String, RegionContents.Listed> after = RegionContents.list(testbed.secondaryRegion(), "");
          assertThat(after.keySet()).containsAll(RegionContents.zeebeObjectsOf(testbed.secondaryRegion(), backupId).keySet());
          long kept = 0;
          for (Map.Entry<String, RegionContents.FileIdentity> held : before.entrySet()) {
            if (after.containsKey(held.getKey())) {
              assertThat(RegionContents.fileOf(testbed, testbed.secondaryRegion(), held.getKey())).as(held.getKey()).isEqualTo(held.getValue());
              kept++;
            }
          }
          assertThat(kept).as("objects copied before the kill and still used").isPositive();
          assertThat(second.logTail(400)).contains("Running backup " + backupId);
        } finally {
          second.stop();
        }
      } finally {
        first.kill();
      }
    }
  }
}
