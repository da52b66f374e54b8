package dev.backstop.storage.replication;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstop.core.backup.BackupId;
import dev.backstop.core.cluster.BackupLocation;
import dev.backstop.core.cluster.Cluster;
import dev.backstop.core.cluster.ComponentEndpoints;
import dev.backstop.core.cluster.Generation;
import dev.backstop.core.restore.BackupInventory;
import dev.backstop.storage.InMemoryObjectStore;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Checking a backup's Zeebe objects in a region, on manifests as Zeebe 8.6 writes them. */
class ZeebeBackupInventoryTest {

  private final InMemoryObjectStore store = new InMemoryObjectStore();
  private final ZeebeBackupInventory inventory = new ZeebeBackupInventory(region -> store);

  @Test
  void shouldFindABackupWholeWhenEveryPartitionIsCompletedWithItsFiles() {
    partition(1, "completed", "raft-partition-partition-1-1.log");
    partition(2, "completed", "raft-partition-partition-2-1.log");

    BackupInventory.ZeebeCopy copy = inventory.zeebe(cluster(), "region-a", new BackupId(42));

    assertThat(copy.complete()).as(copy.toString()).isTrue();
    assertThat(copy.partitions()).isEqualTo(2);
    assertThat(copy.brokerVersion()).contains("8.6.0");
  }

  @Test
  void shouldNameAMissingFileAPartitionWithoutManifestAndOneNotCompleted() {
    partition(1, "completed", "raft-partition-partition-1-1.log");
    store.delete("zeebe/1/42/0/segments/raft-partition-partition-1-1.log");

    BackupInventory.ZeebeCopy copy = inventory.zeebe(cluster(), "region-a", new BackupId(42));

    assertThat(copy.complete()).isFalse();
    assertThat(copy.problems()).containsExactly(
        "partition 1 lacks segments file raft-partition-partition-1-1.log (zeebe/1/42/0/segments/raft-partition-partition-1-1.log)",
        "partition 2 has no manifest");

    partition(2, "failed", "raft-partition-partition-2-1.log");
    assertThat(inventory.zeebe(cluster(), "region-a", new BackupId(42)).problems()).contains("partition 2 is FAILED");
  }

  @Test
  void shouldTakeAPartitionWholeWhenOneOfItsBrokersCompletedIt() {
    partition(1, "completed", "raft-partition-partition-1-1.log");
    partition(2, "completed", "raft-partition-partition-2-1.log");
    // broker 1 had led partition 2 before, and its manifest failed
    put("zeebe/2/42/1/manifest.json", """
        {"statusCode":"failed","failureReason":"leader changed","id":{"nodeId":1,"partitionId":2,"checkpointId":42},
         "descriptor":{"numberOfPartitions":2,"brokerVersion":"8.6.0"},"snapshotFiles":{"files":{}},"segmentFiles":{"files":{}}}
        """);

    BackupInventory.ZeebeCopy copy = inventory.zeebe(cluster(), "region-a", new BackupId(42));

    assertThat(copy.complete()).as(copy.toString()).isTrue();
  }

  @Test
  void shouldFindNothingOfAnotherBackupId() {
    partition(1, "completed", "raft-partition-partition-1-1.log");

    BackupInventory.ZeebeCopy copy = inventory.zeebe(cluster(), "region-a", new BackupId(4));

    assertThat(copy.partitions()).isZero();
    assertThat(copy.complete()).isFalse();
  }

  private void partition(int partition, String status, String segment) {
    String folder = "zeebe/" + partition + "/42/0/";
    put(folder + "segments/" + segment, "log");
    put(folder + "manifest.json", """
        {"statusCode":"%s","id":{"nodeId":0,"partitionId":%d,"checkpointId":42},
         "descriptor":{"snapshotId":null,"checkpointPosition":180,"numberOfPartitions":2,"brokerVersion":"8.6.0"},
         "snapshotFiles":{"files":{}},"segmentFiles":{"files":{"%s":{}}}}
        """.formatted(status, partition, segment));
  }

  private void put(String key, String content) {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    store.put(key, bytes.length, new ByteArrayInputStream(bytes), Map.of());
  }

  private static Cluster cluster() {
    return new Cluster(
        "c1", "cluster", UUID.randomUUID(), Generation.parse("8.6.0"), "region-a", BackupLocation.sameRegion(),
        new ComponentEndpoints("http://zeebe:9600", Optional.empty(), Optional.empty(), Optional.empty(),
            new ComponentEndpoints.Search("http://search:9200", "camunda-backups", "zeebe-record")),
        new Cluster.StorageLayout("zeebe", "search"),
        Instant.parse("2026-11-01T00:00:00Z"));
  }
}
