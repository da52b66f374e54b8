package dev.backstop.core.replication;

import dev.backstop.core.backup.BackupId;
import dev.backstop.core.cluster.Cluster;

/**
 * Copies a dual-region cluster's backups from its region's object store to its secondary region's,
 * and removes them there. Both calls are idempotent and may be repeated after any failure or a
 * crash: what the secondary already holds, verified, is not copied again.
 */
public interface Replicator {

  /** For Backstops without a second region: every call fails. */
  Replicator NONE =
      new Replicator() {
        @Override
        public Copied replicate(Cluster cluster, BackupId id, Progress progress) {
          throw new ReplicationException("no secondary region is configured for replication");
        }

        @Override
        public void removeFromSecondary(Cluster cluster, BackupId id) {
          throw new ReplicationException("no secondary region is configured for replication");
        }
      };

  /**
   * Copies every object of the backup that the secondary region lacks: the Zeebe backup's objects
   * of that id (every partition and broker) and the search repository's files its snapshots use,
   * each verified (size and checksum) before the next stage, data before metadata, the search
   * repository's root index last. The secondary copy is usable on its own at every moment.
   *
   * @param progress told of each object copied, from several threads
   * @return what was copied
   * @throws ReplicationException when a store failed after its own retries, or what the primary
   *     holds is not what the backup needs; transient: the caller retries with backoff
   */
  Copied replicate(Cluster cluster, BackupId id, Progress progress);

  /**
   * Removes the backup from the secondary region once its components have dropped it in the
   * primary: its Zeebe objects, and the search repository's files that no snapshot still listed
   * uses (never a file a kept snapshot uses).
   *
   * @throws ReplicationException as {@link #replicate}
   */
  void removeFromSecondary(Cluster cluster, BackupId id);

  /** What one call copied, and what it found already there. */
  record Copied(long objects, long bytes, long alreadyThere) {}

  /** Told of copies as they complete. */
  @FunctionalInterface
  interface Progress {
    void copied(String key, long bytes);

    Progress NONE = (key, bytes) -> {};
  }
}
