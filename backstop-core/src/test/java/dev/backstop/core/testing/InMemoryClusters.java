package dev.backstop.core.testing;

import dev.backstop.core.cluster.BackupLocation;
import dev.backstop.core.cluster.Cluster;
import dev.backstop.core.cluster.ClusterDirectory;
import dev.backstop.core.cluster.ComponentEndpoints;
import dev.backstop.core.cluster.Generation;
import dev.backstop.core.organization.Plan;
import dev.backstop.core.policy.BackupPolicy;
import dev.backstop.core.policy.PolicyStore;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** Clusters and their policies in memory; a cluster can be removed or marked deleting at any moment. */
public final class InMemoryClusters implements ClusterDirectory, PolicyStore {

  private final Map<String, ClusterContext> clusters = new ConcurrentHashMap<>();
  private final BackupPolicy defaults = BackupPolicy.DEFAULTS;

  /** Adds an ENTERPRISE cluster of the organization with the default policy. */
  public Cluster add(String clusterId, UUID organizationId) {
    Cluster cluster =
        new Cluster(
            clusterId,
            clusterId,
            organizationId,
            Generation.parse("8.6.0"),
            "local-a",
            BackupLocation.sameRegion(),
            new ComponentEndpoints(
                "http://zeebe:9600", Optional.empty(), Optional.empty(), Optional.empty(),
                new ComponentEndpoints.Search("http://search:9200", "backups", "zeebe-record")),
            new Cluster.StorageLayout("zeebe", "search"),
            Instant.EPOCH);
    clusters.put(clusterId, new ClusterContext(cluster, Plan.ENTERPRISE, defaults, false));
    return cluster;
  }

  public void markDeleting(String clusterId) {
    clusters.computeIfPresent(clusterId, (id, c) -> new ClusterContext(c.cluster(), c.plan(), c.policy(), true));
  }

  public void remove(String clusterId) {
    clusters.remove(clusterId);
  }

  @Override
  public Optional<ClusterContext> find(String clusterId) {
    return Optional.ofNullable(clusters.get(clusterId));
  }

  @Override
  public boolean save(String clusterId, BackupPolicy policy) {
    return clusters.computeIfPresent(clusterId, (id, c) -> new ClusterContext(c.cluster(), c.plan(), policy, c.deleting())) != null;
  }
}
