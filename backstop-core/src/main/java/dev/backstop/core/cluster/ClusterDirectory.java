package dev.backstop.core.cluster;

import dev.backstop.core.organization.Plan;
import dev.backstop.core.policy.BackupPolicy;
import java.util.Optional;

/** Looks up what the backup use cases need to know about a cluster. */
public interface ClusterDirectory {

  /**
   * @param cluster the cluster
   * @param plan its organization's plan
   * @param policy its effective backup policy (defaults with its overrides applied)
   * @param deleting whether the cluster is being deleted
   */
  record ClusterContext(Cluster cluster, Plan plan, BackupPolicy policy, boolean deleting) {}

  Optional<ClusterContext> find(String clusterId);
}
