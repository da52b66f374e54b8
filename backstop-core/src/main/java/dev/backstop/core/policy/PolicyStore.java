package dev.backstop.core.policy;

/** Where a cluster's own backup policy is kept (Backstop's database). */
public interface PolicyStore {

  /**
   * Saves a cluster's policy, replacing the one before (or the defaults). Atomic; idempotent.
   *
   * @return whether it was saved; {@code false} when the cluster does not exist (any more, e.g.
   *     deleted while the request ran), and nothing changed
   */
  boolean save(String clusterId, BackupPolicy policy);
}
