package dev.backstop.core.restore;

import dev.backstop.core.operation.OwnershipLost;
import dev.backstop.core.operation.Ownership;
import dev.backstop.core.operation.Ticket;
import java.util.List;
import java.util.Optional;

/**
 * Where restores are kept (Backstop's database), safe for several instances sharing it. A restore
 * is an operation of the engine: its runner claims it ({@link #claim}) and every write it makes is
 * fenced by that claim. Requests write inside the backup repository's cluster transaction.
 */
public interface RestoreRepository {

  /**
   * Inserts a new restore.
   *
   * @throws RestoreRunningException if another restore of the cluster is active: the database's
   *     own guard, whatever races the admission checks
   */
  void insert(Restore restore);

  Optional<Restore> find(String clusterId, String restoreId);

  /** The cluster's restores, newest first. */
  List<Restore> list(String clusterId);

  /** The cluster's active restore (REQUESTED, RUNNING or WAITING), if any. */
  Optional<Restore> active(String clusterId);

  /** Every restore, of any cluster, that a run must carry on (REQUESTED or RUNNING). */
  List<Restore> withWork();

  /**
   * Claims the restore for one run of its operation: succeeds only while {@code ticket} is the
   * engine's current run of it, and fences out every earlier claim. Atomic.
   *
   * @throws OwnershipLost if the ticket is stale or the restore is gone
   */
  Ownership claim(String clusterId, String restoreId, Ticket ticket);

  /**
   * Saves the restore, if {@code owner} still holds it.
   *
   * @throws OwnershipLost if another run claimed it since (nothing is written)
   */
  void update(Restore restore, Ownership owner);

  /** Saves a change a request makes (an operator's confirmation), fencing out any earlier claim. */
  void reopen(Restore restore);

  /** The insert found another active restore of the cluster. */
  final class RestoreRunningException extends RuntimeException {
    public RestoreRunningException(String message) {
      super(message);
    }
  }
}
