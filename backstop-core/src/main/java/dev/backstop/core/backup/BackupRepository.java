package dev.backstop.core.backup;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Where backups are kept (Backstop's database). Implementations are safe for several Backstop
 * instances sharing one database.
 */
public interface BackupRepository {

  /**
   * Runs {@code work} in one transaction holding the cluster's lock, so that the admissions and id
   * allocations of one cluster never interleave, across instances too. Everything {@code work}
   * does through this repository commits or rolls back together.
   *
   * @throws java.util.NoSuchElementException if the cluster does not exist
   */
  <T> T inClusterTransaction(String clusterId, Supplier<T> work);

  /** The highest backup id ever allocated for the cluster (ids are never reused). */
  Optional<BackupId> lastAllocatedId(String clusterId);

  void recordAllocatedId(String clusterId, BackupId id);

  /**
   * Inserts a new backup, leased to {@code owner} until {@code leaseUntil}.
   *
   * @throws OperationRunningException if the cluster has a backup IN_PROGRESS already
   */
  void insert(Backup backup, String owner, Instant leaseUntil);

  /** Saves the backup's state and progress. Atomic per backup. */
  void update(Backup backup);

  Optional<Backup> find(String clusterId, BackupId id);

  /** The cluster's backups, newest first. */
  List<Backup> list(String clusterId);

  /** Removes a backup whose parts are all gone. */
  void remove(String clusterId, BackupId id);

  /**
   * Takes over the backups that have work left (a procedure unfinished, a deletion, exporting to
   * resume) and whose lease has expired or was never taken, leasing them to {@code owner}.
   * Atomic: two instances never take the same backup.
   */
  List<Backup> claimAbandoned(String owner, Instant now, Instant leaseUntil);

  /** Leases a backup to {@code owner} until {@code leaseUntil}, whoever held it before. */
  void lease(String clusterId, BackupId id, String owner, Instant leaseUntil);

  /** Extends the leases {@code owner} holds. */
  void renewLeases(String owner, Instant leaseUntil);

  /** Gives up the lease on a backup that has no work left. */
  void release(String clusterId, BackupId id);

  /** The insert found another backup of the cluster in progress. */
  final class OperationRunningException extends RuntimeException {
    public OperationRunningException(String message) {
      super(message);
    }
  }
}
