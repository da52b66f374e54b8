package dev.backstop.storage.replication;

import dev.backstop.core.backup.BackupId;
import dev.backstop.core.cluster.Cluster;
import dev.backstop.core.operation.Exclusion;
import dev.backstop.core.replication.ReplicationException;
import dev.backstop.core.replication.Replicator;
import dev.backstop.storage.ObjectStore;
import dev.backstop.storage.ObjectStoreException;
import dev.backstop.storage.StoredObject;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Replicates backups between the object stores of two regions: the Zeebe backup's objects of the
 * backup id, then the search repository mirrored ({@link SearchRepositoryMirror}). Objects are
 * copied in parallel, each verified ({@link Transfer}); what the secondary holds already is not
 * copied again, so a replication stopped anywhere carries on where it stopped, on any instance.
 */
public final class StoreReplicator implements Replicator {

  /** The store of each configured region. */
  @FunctionalInterface
  public interface RegionStores {
    /** @throws IllegalArgumentException for a region that is not configured */
    ObjectStore of(String region);
  }

  /** @param parallelism how many objects are copied at once */
  public record Settings(int parallelism) {
    public Settings {
      if (parallelism < 1) {
        throw new IllegalArgumentException("parallelism must be at least 1");
      }
    }
  }

  private final RegionStores stores;
  private final SearchRepositoryMirror mirror;
  private final Exclusion exclusion;
  private final Settings settings;

  /** A replicator of OpenSearch/Elasticsearch snapshot repositories and Zeebe's S3 backup store. */
  public static StoreReplicator create(RegionStores stores, Exclusion exclusion, Settings settings) {
    return new StoreReplicator(stores, new BlobStoreRepositoryReader(), exclusion, settings);
  }

  StoreReplicator(RegionStores stores, RepositoryReader reader, Exclusion exclusion, Settings settings) {
    this.stores = stores;
    this.mirror = new SearchRepositoryMirror(reader);
    this.exclusion = exclusion;
    this.settings = settings;
  }

  @Override
  public Copied replicate(Cluster cluster, BackupId id, Progress progress) {
    ObjectStore primary = storeOf(cluster.region());
    ObjectStore secondary = secondaryOf(cluster);
    Transfer transfer = new Transfer(primary, secondary, settings.parallelism(), progress);
    try {
      String zeebeBase = cluster.storage().zeebeBasePath();
      List<StoredObject> zeebe = ZeebeBackupObjects.of(primary.list(ZeebeBackupObjects.storePrefix(zeebeBase)), zeebeBase, id);
      List<StoredObject> manifests = zeebe.stream().filter(ZeebeBackupObjects::isManifest).toList();
      if (manifests.isEmpty()) {
        throw new ReplicationException("There is no Zeebe backup " + id + " under '" + zeebeBase + "/' in " + primary.describe());
      }
      Map<String, StoredObject> there = byKey(ZeebeBackupObjects.of(secondary.list(ZeebeBackupObjects.storePrefix(zeebeBase)), zeebeBase, id));
      transfer.stage("Zeebe backup files", zeebe.stream().filter(o -> !ZeebeBackupObjects.isManifest(o)).toList(), there);
      transfer.stage("Zeebe backup manifests", manifests, there);
      RepositoryGeneration mirrored = mirrorSearch(cluster, primary, secondary, transfer);
      if (mirrored.snapshots().stream().noneMatch(name -> isOf(name, id))) {
        throw new ReplicationException(
            "Generation " + mirrored.number() + " of the search repository in " + primary.describe() + " lists no snapshot of backup " + id);
      }
      return new Copied(transfer.objects(), transfer.bytes(), transfer.alreadyThere());
    } catch (ObjectStoreException | IllegalStateException e) {
      throw new ReplicationException(e.getMessage(), e);
    }
  }

  @Override
  public void removeFromSecondary(Cluster cluster, BackupId id) {
    ObjectStore primary = storeOf(cluster.region());
    ObjectStore secondary = secondaryOf(cluster);
    try {
      String zeebeBase = cluster.storage().zeebeBasePath();
      List<StoredObject> zeebe = ZeebeBackupObjects.of(secondary.list(ZeebeBackupObjects.storePrefix(zeebeBase)), zeebeBase, id);
      // Manifests first: a partition's backup never looks complete with files missing.
      zeebe.stream().filter(ZeebeBackupObjects::isManifest).forEach(o -> secondary.delete(o.key()));
      zeebe.stream().filter(o -> !ZeebeBackupObjects.isManifest(o)).forEach(o -> secondary.delete(o.key()));
      RepositoryGeneration mirrored =
          mirrorSearch(cluster, primary, secondary, new Transfer(primary, secondary, settings.parallelism(), Progress.NONE));
      List<String> left = mirrored.snapshots().stream().filter(name -> isOf(name, id)).toList();
      if (!left.isEmpty()) {
        throw new ReplicationException("The search repository in " + primary.describe() + " still lists " + left + " of backup " + id);
      }
    } catch (ObjectStoreException | IllegalStateException e) {
      throw new ReplicationException(e.getMessage(), e);
    }
  }

  private RepositoryGeneration mirrorSearch(Cluster cluster, ObjectStore primary, ObjectStore secondary, Transfer transfer) {
    // One mirror of a repository at a time, across instances: two could otherwise make an older
    // generation visible again, or remove what the other's newer generation uses.
    return exclusion.exclusively(
        "search-repository-mirror/" + cluster.id(),
        () -> mirror.mirror(primary, secondary, cluster.storage().searchBasePath(), transfer));
  }

  private ObjectStore secondaryOf(Cluster cluster) {
    return storeOf(
        cluster.location().secondaryRegion().orElseThrow(() -> new ReplicationException("cluster " + cluster.id() + " has no secondary region")));
  }

  /** A region's store; a region that is missing or misconfigured is told like any other failure. */
  private ObjectStore storeOf(String region) {
    try {
      return stores.of(region);
    } catch (IllegalArgumentException | ObjectStoreException e) {
      throw new ReplicationException("Region " + region + " cannot be used: " + e.getMessage(), e);
    }
  }

  /** Whether a snapshot belongs to the backup: Camunda's names carry the id between underscores or at the end. */
  static boolean isOf(String snapshot, BackupId id) {
    return snapshot.contains("_" + id.value() + "_") || snapshot.endsWith("_" + id.value());
  }

  private static Map<String, StoredObject> byKey(List<StoredObject> objects) {
    return objects.stream().collect(Collectors.toMap(StoredObject::key, Function.identity()));
  }
}
