package dev.backstop.core.restore;

import dev.backstop.core.backup.BackupId;
import dev.backstop.core.cluster.Cluster;

/**
 * Stops, starts and restores a cluster's components: what a restore cannot do through the
 * components' own APIs. Adapters: a local-process runtime (the test bed, the sandbox), a manual
 * runtime for clusters Backstop does not control (it asks the operator); a Kubernetes runtime
 * would scale the StatefulSet and Deployments and run the restore tool as a Job, behind the same
 * three calls.
 *
 * <p>Every call is idempotent and may be called again after a crash at any point of an earlier
 * call (a component already stopped stays stopped, one already running is left running, a restore
 * of a broker starts over from an empty data directory). Failures are thrown as {@link
 * RuntimeFailure}, with what went wrong in words.
 */
public interface ClusterRuntime {

  /** What a call did. */
  sealed interface Step {}

  /** Done; the detail says what was done (for the restore's phase). */
  record Done(String detail) implements Step {}

  /** The runtime cannot do it: the operator must, then confirm; the instructions say exactly what. */
  record AwaitOperator(String instructions) implements Step {}

  /** Stops Zeebe's brokers and gateways, Operate, Tasklist and Optimize; the search engine keeps running. */
  Step stopComponents(Cluster cluster);

  /**
   * Empties each broker's data directory and runs Zeebe's restore tool on it for backup {@code
   * id}, reading the backup store in {@code sourceRegion}; with every broker's own node id and the
   * cluster's size, partition count and replication factor.
   */
  Step restoreBrokers(Cluster cluster, BackupId id, String sourceRegion);

  /** Starts Zeebe, then the web apps, and returns once they run (not necessarily healthy). */
  Step startComponents(Cluster cluster);

  /** Finds the runtime of a cluster (by {@link Cluster#runtime()}). */
  @FunctionalInterface
  interface Factory {
    ClusterRuntime of(Cluster cluster);
  }

  /** A runtime could not do what was asked. */
  final class RuntimeFailure extends RuntimeException {
    public RuntimeFailure(String message) {
      super(message);
    }

    public RuntimeFailure(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
