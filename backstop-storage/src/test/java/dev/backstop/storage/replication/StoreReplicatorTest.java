package dev.backstop.storage.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backstop.core.backup.BackupId;
import dev.backstop.core.cluster.BackupLocation;
import dev.backstop.core.cluster.Cluster;
import dev.backstop.core.cluster.ComponentEndpoints;
import dev.backstop.core.cluster.Generation;
import dev.backstop.core.operation.Exclusion;
import dev.backstop.core.replication.ReplicationException;
import dev.backstop.core.replication.Replicator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The replicator between two in-memory stores: which objects it copies, in which order, what it
 * skips, how it fails, and what it removes. The search repository's format is stood in for by
 * {@link ManifestRepositoryReader}; real stores and OpenSearch's real files are exercised by the
 * adapter contract tests and the server's replication tests.
 */
class StoreReplicatorTest {

  private static final BackupId FIRST = new BackupId(100);
  private static final BackupId SECOND = new BackupId(200);

  private final ScriptedObjectStore primary = new ScriptedObjectStore("primary");
  private final ScriptedObjectStore secondary = new ScriptedObjectStore("secondary");
  private final StoreReplicator replicator =
      new StoreReplicator(
          region -> switch (region) {
            case "region-a" -> primary;
            case "region-b" -> secondary;
            default -> throw new IllegalArgumentException(region);
          },
          new ManifestRepositoryReader(),
          Exclusion.inProcess(),
          new StoreReplicator.Settings(4));
  private final Cluster cluster = cluster();

  @BeforeEach
  void twoBackupsInThePrimary() {
    for (BackupId id : List.of(FIRST, SECOND)) {
      for (int partition = 1; partition <= 2; partition++) {
        String prefix = "zeebe/" + partition + "/" + id.value() + "/0/";
        primary.put(prefix + "snapshot/000001.sst", "snapshot of partition " + partition + " at " + id);
        primary.put(prefix + "segments/raft-partition-" + partition + "-1.log", "segment of partition " + partition + " at " + id);
        primary.put(prefix + "manifest.json", "{\"statusCode\":\"COMPLETED\"}");
      }
    }
    primary.put("zeebe/1/300/0/manifest.json", "{\"statusCode\":\"IN_PROGRESS\"}");
    ManifestRepositoryReader.writeGeneration(primary, "search", 0, Map.of("camunda_operate_100_8.6.0_part_1_of_1", snapshotFiles("a", "100")));
    Map<String, List<String>> both = new LinkedHashMap<>();
    both.put("camunda_operate_100_8.6.0_part_1_of_1", snapshotFiles("a", "100"));
    both.put("camunda_operate_200_8.6.0_part_1_of_1", snapshotFiles("a", "200"));
    ManifestRepositoryReader.writeGeneration(primary, "search", 1, both);
  }

  @Test
  void shouldCopyTheBackupsZeebeObjectsAndTheSearchRepositoryDataBeforeMetadataAndTheRootLast() {
    List<String> told = new ArrayList<>();
    Replicator.Copied copied = replicator.replicate(cluster, FIRST, (key, bytes) -> { synchronized (told) { told.add(key); } });

    // exactly the first backup's Zeebe objects, every partition
    assertThat(keysUnder(secondary, "zeebe/"))
        .isEqualTo(keysUnder(primary, "zeebe/").stream().filter(k -> k.split("/")[2].equals("100")).collect(Collectors.toSet()))
        .hasSize(6);
    // and the search repository's newest generation, whole
    assertThat(keysUnder(secondary, "search/")).containsAll(keysUnder(primary, "search/indices/")).contains("search/index-1", "search/index.latest");
    assertThat(secondary.read("search/index-1")).isEqualTo(primary.read("search/index-1"));
    assertThat(secondary.bytes("search/index.latest")).isEqualTo(primary.bytes("search/index.latest"));

    // in an order that leaves the copy usable at every moment
    List<String> writes = secondary.writes();
    assertThat(lastIndexOf(writes, k -> k.startsWith("zeebe/") && !k.endsWith("manifest.json")))
        .isLessThan(firstIndexOf(writes, k -> k.endsWith("manifest.json")));
    assertThat(lastIndexOf(writes, k -> k.contains("/__"))).isLessThan(firstIndexOf(writes, k -> k.startsWith("search/") && !k.contains("/__")));
    assertThat(lastIndexOf(writes, k -> k.startsWith("search/indices/"))).isLessThan(firstIndexOf(writes, k -> k.startsWith("search/snap-")));
    assertThat(writes.get(writes.size() - 2)).isEqualTo("search/index-1");
    assertThat(writes.getLast()).isEqualTo("search/index.latest");

    assertThat(copied.objects()).isEqualTo(writes.size() - 1); // index.latest is written, not copied
    assertThat(told).hasSize((int) copied.objects());
    assertThat(copied.alreadyThere()).isZero();
  }

  @Test
  void shouldNotCopyAgainWhatTheSecondaryAlreadyHolds() {
    replicator.replicate(cluster, FIRST, Replicator.Progress.NONE);
    secondary.forgetWrites();

    Replicator.Copied again = replicator.replicate(cluster, FIRST, Replicator.Progress.NONE);
    assertThat(again.objects()).isZero();
    assertThat(secondary.writes()).isEmpty();

    Replicator.Copied second = replicator.replicate(cluster, SECOND, Replicator.Progress.NONE);
    assertThat(secondary.writes()).allMatch(key -> key.startsWith("zeebe/") && key.split("/")[2].equals("200"));
    assertThat(second.objects()).isEqualTo(6);
    assertThat(second.alreadyThere()).isPositive();
  }

  @Test
  void shouldNotMakeTheRepositoryCopyVisibleWhileItsDataIsIncompleteAndCarryOnWhereItStopped() {
    primary.keys().stream().filter(k -> k.contains("/__")).findFirst().ifPresent(secondary::failWritesOf);

    assertThatThrownBy(() -> replicator.replicate(cluster, FIRST, Replicator.Progress.NONE))
        .isInstanceOf(ReplicationException.class)
        .hasMessageContaining("refused");
    assertThat(secondary.keys()).noneMatch(k -> k.startsWith("search/index")).noneMatch(k -> k.startsWith("search/snap-"));
    List<String> copiedBeforeTheFailure = secondary.writes();
    assertThat(copiedBeforeTheFailure).isNotEmpty();

    secondary.allowWrites();
    secondary.forgetWrites();
    replicator.replicate(cluster, FIRST, Replicator.Progress.NONE);

    assertThat(secondary.writes()).doesNotContainAnyElementsOf(copiedBeforeTheFailure);
    assertThat(secondary.keys()).contains("search/index.latest");
  }

  @Test
  void shouldRefuseAnObjectWhoseBytesDoNotMatchItsChecksum() {
    String blob = primary.keys().stream().filter(k -> k.contains("/__")).findFirst().orElseThrow();
    primary.corruptReadsOf(blob);

    assertThatThrownBy(() -> replicator.replicate(cluster, FIRST, Replicator.Progress.NONE))
        .isInstanceOf(ReplicationException.class)
        .hasMessageContaining(blob)
        .hasMessageContaining("hashes to");
    assertThat(secondary.keys()).doesNotContain(blob, "search/index.latest");
  }

  @Test
  void shouldRemoveABackupFromTheSecondaryKeepingWhatAKeptSnapshotUses() {
    replicator.replicate(cluster, FIRST, Replicator.Progress.NONE);
    replicator.replicate(cluster, SECOND, Replicator.Progress.NONE);
    // the primary drops the first backup as the components do: a new generation without its
    // snapshot, then the files only it used
    ManifestRepositoryReader.writeGeneration(primary, "search", 2, Map.of("camunda_operate_200_8.6.0_part_1_of_1", snapshotFiles("a", "200")));
    Set<String> onlyFirst = Set.of("search/indices/a/0/__only-100", "search/snap-100.dat", "search/indices/a/0/snap-100.dat");
    onlyFirst.forEach(primary::delete);
    primary.keys().stream().filter(k -> k.startsWith("zeebe/") && k.split("/")[2].equals("100")).forEach(primary::delete);

    replicator.removeFromSecondary(cluster, FIRST);

    assertThat(secondary.keys()).noneMatch(k -> k.startsWith("zeebe/") && k.split("/")[2].equals("100"));
    assertThat(secondary.keys()).doesNotContainAnyElementsOf(onlyFirst).doesNotContain("search/index-0", "search/index-1");
    assertThat(secondary.keys()).contains("search/indices/a/0/__shared", "search/indices/a/0/__only-200", "search/index-2");
    assertThat(keysUnder(secondary, "zeebe/")).hasSize(6);
  }

  @Test
  void shouldNotMirrorARepositoryThePrimaryRegionLost() {
    replicator.replicate(cluster, FIRST, Replicator.Progress.NONE);
    Set<String> copy = secondary.keys();
    primary.keys().stream().filter(k -> k.startsWith("search/")).forEach(primary::delete);

    assertThatThrownBy(() -> replicator.removeFromSecondary(cluster, SECOND))
        .isInstanceOf(ReplicationException.class)
        .hasMessageContaining("behind the copy");
    assertThat(secondary.keys()).isEqualTo(copy);
  }

  @Test
  void shouldFailWhenThePrimaryHoldsNoZeebeBackupOfThatId() {
    assertThatThrownBy(() -> replicator.replicate(cluster, new BackupId(999), Replicator.Progress.NONE))
        .isInstanceOf(ReplicationException.class)
        .hasMessageContaining("no Zeebe backup 999");
    assertThat(secondary.keys()).isEmpty();
  }

  @Test
  void shouldTellARegionThatCannotBeUsedAsAReplicationFailureNamingIt() {
    Cluster toNowhere =
        new Cluster(cluster.id(), cluster.name(), cluster.organizationId(), cluster.generation(), "region-a",
            BackupLocation.dualRegion("region-x"), cluster.components(), cluster.storage(), cluster.createdAt());

    assertThatThrownBy(() -> replicator.replicate(toNowhere, FIRST, Replicator.Progress.NONE))
        .isInstanceOf(ReplicationException.class)
        .hasMessageContaining("Region region-x cannot be used");
    assertThatThrownBy(() -> replicator.removeFromSecondary(toNowhere, FIRST))
        .isInstanceOf(ReplicationException.class)
        .hasMessageContaining("Region region-x cannot be used");
  }

  /** A shard blob only this snapshot uses, one it shares, shard and index metadata, and its root files. */
  private static List<String> snapshotFiles(String index, String uuid) {
    return List.of(
        "indices/" + index + "/0/__shared",
        "indices/" + index + "/0/__only-" + uuid,
        "indices/" + index + "/0/snap-" + uuid + ".dat",
        "indices/" + index + "/meta-" + uuid + ".dat",
        "snap-" + uuid + ".dat",
        "meta-" + uuid + ".dat");
  }

  private static Set<String> keysUnder(ScriptedObjectStore store, String prefix) {
    return store.keys().stream().filter(k -> k.startsWith(prefix)).collect(Collectors.toSet());
  }

  private static int firstIndexOf(List<String> list, java.util.function.Predicate<String> test) {
    for (int i = 0; i < list.size(); i++) {
      if (test.test(list.get(i))) {
        return i;
      }
    }
    throw new AssertionError("nothing matched in " + list);
  }

  private static int lastIndexOf(List<String> list, java.util.function.Predicate<String> test) {
    for (int i = list.size() - 1; i >= 0; i--) {
      if (test.test(list.get(i))) {
        return i;
      }
    }
    throw new AssertionError("nothing matched in " + list);
  }

  private static Cluster cluster() {
    return new Cluster(
        "c-1",
        "orders",
        UUID.randomUUID(),
        Generation.parse("8.6.0"),
        "region-a",
        BackupLocation.dualRegion("region-b"),
        new ComponentEndpoints(
            "http://zeebe:9600", Optional.empty(), Optional.empty(), Optional.empty(),
            new ComponentEndpoints.Search("http://search:9200", "camunda-backups", "zeebe-record")),
        new Cluster.StorageLayout("zeebe", "search"),
        Instant.parse("2026-11-23T10:00:00Z"));
  }
}
