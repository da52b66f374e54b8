package dev.backstop.storage.replication;

import dev.backstop.core.backup.BackupId;
import dev.backstop.core.cluster.Cluster;
import dev.backstop.core.restore.BackupInventory;
import dev.backstop.core.verification.BackupVerifier;
import dev.backstop.core.verification.VerificationUnavailable;
import dev.backstop.storage.ObjectStore;
import dev.backstop.storage.ObjectStoreException;
import dev.backstop.storage.StoredObject;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Verifies a backup in a region's object store: Zeebe's part through its manifests ({@link
 * ZeebeBackupInventory}: every partition COMPLETED, every listed file present), and the search
 * snapshots of the backup through the repository's metadata ({@link
 * BlobStoreRepositoryReader#checkSnapshots}: SUCCESS, every blob present at its recorded length).
 *
 * <p>Zeebe's S3 manifests record file names and their compression only, no sizes (its {@code
 * FileSet.FileMetadata}): the sizes of the backup's Zeebe files are returned as {@link
 * Findings#unrecordedSizes()}, for the caller to remember at the first check and compare later.
 */
public final class StoreBackupVerifier implements BackupVerifier {

  private final StoreReplicator.RegionStores stores;
  private final BlobStoreRepositoryReader reader = new BlobStoreRepositoryReader();

  public StoreBackupVerifier(StoreReplicator.RegionStores stores) {
    this.stores = stores;
  }

  @Override
  public Findings inspect(Cluster cluster, BackupId id, String region) {
    ObjectStore store;
    try {
      store = stores.of(region);
    } catch (IllegalArgumentException | ObjectStoreException e) {
      throw new VerificationUnavailable("Region " + region + " cannot be used: " + e.getMessage(), e);
    }
    try {
      List<String> problems = new ArrayList<>();
      String zeebeBase = cluster.storage().zeebeBasePath();
      List<StoredObject> zeebe = ZeebeBackupObjects.of(store.list(ZeebeBackupObjects.storePrefix(zeebeBase)), zeebeBase, id);
      BackupInventory.ZeebeCopy copy;
      try {
        copy = ZeebeBackupInventory.check(store, zeebe);
      } catch (UncheckedIOException unreadable) {
        copy = new BackupInventory.ZeebeCopy(0, java.util.Optional.empty(), List.of("a manifest is unreadable: " + unreadable.getMessage()));
      }
      if (copy.partitions() == 0 && copy.problems().isEmpty()) {
        problems.add("no Zeebe manifest of backup " + id + " under '" + ZeebeBackupObjects.storePrefix(zeebeBase) + "'");
      }
      copy.problems().forEach(problem -> problems.add("Zeebe " + problem));
      String searchBase = cluster.storage().searchBasePath();
      try {
        problems.addAll(reader.checkSnapshots(store, searchBase, name -> StoreReplicator.isOf(name, id)));
      } catch (IllegalStateException unreadable) {
        problems.add("the search repository's metadata is unreadable: " + unreadable.getMessage());
      }
      Map<String, Long> sizes =
          zeebe.stream().filter(object -> !ZeebeBackupObjects.isManifest(object)).collect(Collectors.toMap(StoredObject::key, StoredObject::size));
      return new Findings(problems, sizes);
    } catch (ObjectStoreException e) {
      throw new VerificationUnavailable("Reading " + store.describe() + " failed: " + e.getMessage(), e);
    }
  }
}
