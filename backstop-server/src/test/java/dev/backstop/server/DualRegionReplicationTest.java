package dev.backstop.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backstop.server.support.Api;
import dev.backstop.server.support.BackstopIT;
import dev.backstop.server.support.ComponentProbe;
import dev.backstop.server.support.RegionContents;
import dev.backstop.server.support.TestCluster;
import dev.backstop.testbed.FaultProxy;
import dev.backstop.testbed.FreshSearch;
import dev.backstop.testbed.ZeebeRestoreRun;
import dev.backstop.testbed.Http;
import dev.backstop.testbed.Testbed;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A dual-region cluster's backups copied to the test bed's second S3 region (its own S3Proxy):
 * usable on their own there, copied incrementally, retried while the region is down, and deleted
 * there too. The test bed's components are registered once more as a dual-region cluster.
 */
class DualRegionReplicationTest extends BackstopIT {

  private static final Duration REPLICATION_TIMEOUT = Duration.ofMinutes(3);

  @TempDir Path dir;

  private String clusterId;
  private String clusterPath;

  @BeforeEach
  void registerDualRegionCluster() {
    Map<String, Object> registration = TestCluster.registration(testCluster.organizationId(), "dual-" + System.nanoTime(), "8.6.0", testbed);
    registration.put("backupLocation", Map.of("type", "DUAL_REGION", "secondaryRegion", testbed.secondaryRegion().name()));
    Api.Answer registered = operator.postJson("/clusters", registration);
    assertThat(registered.status()).as(registered.toString()).isEqualTo(201);
    clusterId = registered.json().path("uuid").asText();
    clusterPath = "/clusters/" + clusterId;
    Api.Answer policy =
        operator.putJson(
            "/admin/clusters/" + clusterId + "/backup-policy", Map.of("manualRateLimit", "PT0S", "manualRetention", 3, "scheduledRetention", 3));
    assertThat(policy.status()).as(policy.toString()).isEqualTo(200);
  }

  @AfterEach
  void deleteDualRegionCluster() {
    if (operator.get(clusterPath).status() == 200) {
      String name = operator.get(clusterPath).json().path("name").asText();
      assertThat(operator.delete(clusterPath + "?confirm=" + name).status()).isEqualTo(202);
      await("the dual-region cluster is gone").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
          .until(() -> operator.get(clusterPath).status() == 404);
    }
  }

  @Test
  void shouldCopyABackupToTheSecondaryRegionWhereItIsUsableOnItsOwn() throws Exception {
    // given: process instances, their records exported
    testbed.deployOrderProcess();
    testbed.startProcessInstances(Testbed.ORDER_PROCESS_ID, 3);
    Http http = new Http();
    await("records exported").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500))
        .until(() -> {
          // A records index just created answers 503 until its shard is allocated: not yet, not a failure.
          Http.Response count = http.get(testbed.searchUrl() + "/zeebe-record*/_count");
          return count.isSuccess() && count.json().path("count").asLong() > 0;
        });

    // when
    Api.Answer created = client.post(clusterPath + "/backups", null);

    // then: pending from the start, completed once copied, with what was copied
    assertThat(created.status()).as(created.toString()).isEqualTo(202);
    assertThat(created.json().path("location").path("replication").asText()).isEqualTo("PENDING");
    long id = created.json().path("backupId").asLong();
    JsonNode done = awaitReplicationEnded(id);
    assertThat(done.path("state").asText()).isEqualTo("COMPLETED");
    JsonNode location = done.path("location");
    assertThat(location.path("replication").asText()).as(done.toString()).isEqualTo("COMPLETED");
    assertThat(location.path("primaryRegion").asText()).isEqualTo("local-a");
    assertThat(location.path("secondaryRegion").asText()).isEqualTo("local-b");
    JsonNode detail = location.path("replicationDetail");
    assertThat(detail.path("objects").asLong()).isPositive();
    assertThat(detail.path("bytes").asLong()).isPositive();
    assertThat(detail.path("startedAt").isTextual()).isTrue();
    assertThat(detail.path("endedAt").isTextual()).isTrue();
    assertThat(detail.path("failureReason").isNull()).isTrue();
    System.out.printf(
        "Replication lag of a fresh backup (backup completed -> replication completed): %d ms for %d objects, %d bytes%n",
        java.time.Duration.between(java.time.Instant.parse(done.path("completed").asText()), java.time.Instant.parse(detail.path("endedAt").asText())).toMillis(),
        detail.path("objects").asLong(),
        detail.path("bytes").asLong());

    // and: every Zeebe object of the backup (both partitions) is in the secondary region, as it is in the primary
    Map<String, RegionContents.Listed> primaryZeebe = RegionContents.zeebeObjectsOf(testbed.primaryRegion(), id);
    assertThat(primaryZeebe.keySet()).anyMatch(key -> key.startsWith("zeebe/1/")).anyMatch(key -> key.startsWith("zeebe/2/"));
    Map<String, RegionContents.Listed> secondaryZeebe = RegionContents.zeebeObjectsOf(testbed.secondaryRegion(), id);
    assertThat(sizes(secondaryZeebe)).isEqualTo(sizes(primaryZeebe));

    // and: a fresh OpenSearch that only knows the secondary bucket restores the backup's snapshots
    // (Camunda's snapshots: Backstop's copy of the records ahead of the pause is replicated too,
    // but never restored: it holds the same indices as the records snapshot)
    List<String> all = new ComponentProbe(testbed).snapshotsOf(id);
    assertThat(all).contains("backstop_records_ahead_" + id);
    List<String> snapshots = all.stream().filter(name -> name.startsWith("camunda_")).toList();
    assertThat(snapshots).hasSizeGreaterThanOrEqualTo(3).contains("camunda_zeebe_records_backup_" + id);
    try (FreshSearch fresh = testbed.startFreshSearch(testbed.secondaryRegion(), dir.resolve("fresh-search"))) {
      JsonNode listed = http.get(fresh.url() + "/_snapshot/" + Testbed.SEARCH_REPOSITORY + "/_all").successJson();
      assertThat(listed.path("snapshots").findValuesAsText("snapshot")).containsAll(snapshots);
      int restoredShards = 0;
      for (String snapshot : snapshots) {
        JsonNode restored =
            http.postJson(
                    fresh.url() + "/_snapshot/" + Testbed.SEARCH_REPOSITORY + "/" + snapshot + "/_restore?wait_for_completion=true",
                    Map.of("include_global_state", false))
                .successJson();
        // (a part of Operate's backup may hold no index at all)
        assertThat(restored.path("snapshot").path("shards").path("failed").asInt()).as(restored.toString()).isZero();
        restoredShards += restored.path("snapshot").path("shards").path("successful").asInt();
      }
      assertThat(restoredShards).isPositive();
      http.postJson(fresh.url() + "/_refresh", Map.of()).successJson();
      long records = http.get(fresh.url() + "/zeebe-record*/_count").successJson().path("count").asLong();
      assertThat(records).as("exported records restored from the secondary region").isPositive();
    }

    // and: the Zeebe restore tool pointed at the secondary bucket restores a broker from it
    ZeebeRestoreRun restore = testbed.restoreZeebe(testbed.secondaryRegion(), id, dir.resolve("restored-broker"));
    assertThat(restore.exitCode()).as(restore.logTail()).isZero();
  }

  @Test
  void shouldApplyRetentionInBothRegionsKeepingWhatAKeptBackupUsesAndNotCopyItAgain() {
    operator.putJson("/admin/clusters/" + clusterId + "/backup-policy", Map.of("manualRateLimit", "PT0S", "manualRetention", 1, "scheduledRetention", 1));
    // given: one replicated backup
    long first = takeReplicatedBackup();
    Map<String, RegionContents.FileIdentity> firstBlobs = new HashMap<>();
    RegionContents.dataBlobsOf(testbed.secondaryRegion()).keySet()
        .forEach(key -> firstBlobs.put(key, RegionContents.fileOf(testbed, testbed.secondaryRegion(), key)));
    assertThat(firstBlobs).isNotEmpty();

    // when: a second one completes, and retention deletes the first
    long second = takeReplicatedBackup();
    await("retention deleted the first backup").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
        .until(() -> client.get(clusterPath + "/backups/" + first).status() == 404);

    // then: the first is gone from both regions, the second is in both
    assertThat(RegionContents.zeebeObjectsOf(testbed.primaryRegion(), first)).isEmpty();
    assertThat(RegionContents.zeebeObjectsOf(testbed.secondaryRegion(), first)).isEmpty();
    assertThat(sizes(RegionContents.zeebeObjectsOf(testbed.secondaryRegion(), second)))
        .isNotEmpty()
        .isEqualTo(sizes(RegionContents.zeebeObjectsOf(testbed.primaryRegion(), second)));
    // and: the secondary's search repository holds exactly the data the primary's still holds
    // (OpenSearch itself removed from the primary what only the first backup's snapshots used)
    assertThat(dataBlobs(testbed.secondaryRegion())).isEqualTo(dataBlobs(testbed.primaryRegion()));
    // and: blobs the second backup shares with the first survived, never copied again
    List<String> shared = firstBlobs.keySet().stream().filter(dataBlobs(testbed.secondaryRegion())::containsKey).toList();
    assertThat(shared).as("blobs of the first backup the second still uses").isNotEmpty();
    for (String key : shared) {
      assertThat(RegionContents.fileOf(testbed, testbed.secondaryRegion(), key)).as(key).isEqualTo(firstBlobs.get(key));
    }

    // when: the cluster is deleted
    deleteDualRegionCluster();

    // then: neither region holds any of its backups (the repository is the test bed's, shared
    // with other tests' clusters: what they keep stays, in both regions alike)
    assertThat(RegionContents.zeebeObjectsOf(testbed.primaryRegion(), second)).isEmpty();
    assertThat(RegionContents.zeebeObjectsOf(testbed.secondaryRegion(), second)).isEmpty();
    assertThat(RegionContents.snapshotsListedIn(testbed.secondaryRegion()))
        .noneMatch(name -> name.contains("_" + first + "_") || name.endsWith("_" + first))
        .noneMatch(name -> name.contains("_" + second + "_") || name.endsWith("_" + second));
    assertThat(dataBlobs(testbed.secondaryRegion())).isEqualTo(dataBlobs(testbed.primaryRegion()));
  }

  @Test
  void shouldRetryWhileTheSecondaryRegionIsDownAndCompleteOnceItIsBack() {
    try (FaultProxy secondary = FaultProxy.inFrontOf(URI.create(testbed.secondaryRegion().endpoint()).getPort())) {
      useRegion(testbed.secondaryRegion(), secondary.url());
      secondary.set(FaultProxy.Mode.REFUSE);

      // when: a backup completes while the secondary region refuses every connection
      Api.Answer created = client.post(clusterPath + "/backups", null);
      long id = created.json().path("backupId").asLong();

      // then: its replication is retried, with the reason shown
      JsonNode[] backup = new JsonNode[1];
      await("replication failed twice").atMost(REPLICATION_TIMEOUT).pollInterval(Duration.ofMillis(300))
          .until(() -> (backup[0] = client.get(clusterPath + "/backups/" + id).json()).path("retry").path("attempts").asInt() >= 2);
      assertThat(backup[0].path("state").asText()).isEqualTo("COMPLETED");
      assertThat(backup[0].path("location").path("replication").asText()).isEqualTo("IN_PROGRESS");
      assertThat(backup[0].path("retry").path("lastError").asText()).isNotBlank();
      assertThat(backup[0].path("retry").path("nextAttemptAt").isTextual()).isTrue();

      // when: the region is back
      secondary.set(FaultProxy.Mode.PASS);

      // then: the running Backstop completes the replication
      JsonNode done = awaitReplicationEnded(id);
      assertThat(done.path("location").path("replication").asText()).as(done.toString()).isEqualTo("COMPLETED");
      assertThat(sizes(RegionContents.zeebeObjectsOf(testbed.secondaryRegion(), id)))
          .isNotEmpty()
          .isEqualTo(sizes(RegionContents.zeebeObjectsOf(testbed.primaryRegion(), id)));
    } finally {
      useRegion(testbed.secondaryRegion(), testbed.secondaryRegion().endpoint());
    }
  }

  private long takeReplicatedBackup() {
    Api.Answer created = client.post(clusterPath + "/backups", null);
    assertThat(created.status()).as(created.toString()).isEqualTo(202);
    long id = created.json().path("backupId").asLong();
    JsonNode done = awaitReplicationEnded(id);
    assertThat(done.path("location").path("replication").asText()).as(done.toString()).isEqualTo("COMPLETED");
    return id;
  }

  private JsonNode awaitReplicationEnded(long id) {
    JsonNode[] last = new JsonNode[1];
    await("backup " + id + " replicated").atMost(REPLICATION_TIMEOUT).pollInterval(Duration.ofMillis(500))
        .until(() -> {
          last[0] = client.get(clusterPath + "/backups/" + id).json();
          return last[0].path("state").asText().equals("FAILED")
              || List.of("COMPLETED", "FAILED").contains(last[0].path("location").path("replication").asText());
        });
    return last[0];
  }

  private static Map<String, Long> sizes(Map<String, RegionContents.Listed> objects) {
    Map<String, Long> sizes = new HashMap<>();
    objects.forEach((key, listed) -> sizes.put(key, listed.size()));
    return sizes;
  }

  private static Map<String, RegionContents.Listed> dataBlobs(dev.backstop.testbed.S3Region region) {
    return RegionContents.dataBlobsOf(region);
  }
}
