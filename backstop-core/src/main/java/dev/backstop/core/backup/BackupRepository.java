package dev.backstop.core.backup;

import dev.backstop.core.operation.Ownership;
import dev.backstop.core.operation.OwnershipLost;
import dev.backstop.core.operation.Ticket;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Where backups are kept (Backstop's database). Implementations are safe for several Backstop
 * instances sharing one database.
 *
 * <p>A backup with work left is an operation of the engine (see {@code dev.backstop.core.operation}):
 * its runner claims it ({@link #claim}) and every write it makes then is fenced by that ownership,
 * so that a runner that was taken over writes nothing. The writes of a request ({@link #insert},
 * {@link #startDeleting}) happen inside {@link #inClusterTransaction}.
 */
public interface BackupRepository {

  /**
   * Runs {@code work} in one transaction holding the cluster's lock, so that the admissions and id
   * allocations of one cluster never interleave, across instances too. Everything {@code work}
   * does through this repository (and the operation queue) commits or rolls back together.
   *
   * @throws java.util.NoSuchElementException if the cluster does not exist
   */
  <T> T inClusterTransaction(String clusterId, Supplier<T> work);

  /**
   * The highest backup id ever allocated for the cluster (ids are never reused); an
   * implementation that knows the cluster's Zeebe also counts the ids allocated for that Zeebe
   * under other clusters (a Zeebe registered twice, or again).
   */
  Optional<BackupId> lastAllocatedId(String clusterId);

  void recordAllocatedId(String clusterId, BackupId id);

  /**
   * Inserts a new backup.
   *
   * @throws OperationRunningException if another backup of the cluster {@linkplain
   *     Backup#occupiesCluster() occupies} it: the database's own guard, whatever races the
   *     admission checks
   */
  void insert(Backup backup);

  /**
   * Claims the backup for one run of its operation: succeeds only while {@code ticket} is the
   * engine's current run of it, and fences out every earlier claim. Atomic.
   *
   * @throws OwnershipLost if the ticket is stale (the operation was taken over) or the backup is gone
   */
  Ownership claim(String clusterId, BackupId id, Ticket ticket);

  /**
   * Saves the backup's state and progress, if {@code owner} still holds it. Atomic per backup.
   *
   * @throws OwnershipLost if another run claimed it since (nothing is written)
   */
  void update(Backup backup, Ownership owner);

  /**
   * Marks a backup DELETING (a user's or retention's request), fencing out any earlier claim.
   * Call inside {@link #inClusterTransaction}.
   */
  void startDeleting(Backup deleting);

  /**
   * Saves a change a request makes to a backup that no run is working on (a failed replication
   * asked for again), fencing out any earlier claim, as {@link #startDeleting} does. Call inside
   * {@link #inClusterTransaction}.
   */
  void reopen(Backup changed);

  Optional<Backup> find(String clusterId, BackupId id);

  /** The cluster's backups, newest first. */
  List<Backup> list(String clusterId);

  /** Every backup, of any cluster, that {@linkplain Backup#hasWork() has work left}. */
  List<Backup> withWork();

  /**
   * Removes a backup whose parts are all gone, if {@code owner} still holds it.
   *
   * @throws OwnershipLost if another run claimed it since (nothing is removed)
   */
  void remove(String clusterId, BackupId id, Ownership owner);

  /** The insert found another backup occupying the cluster. */
  final class OperationRunningException extends RuntimeException {
    public OperationRunningException(String message) {
      super(message);
    }
  }
}
