package dev.backstop.server.api;

import dev.backstop.server.persistence.JdbcClusters;
import dev.backstop.server.persistence.JdbcClusters.StoredCluster;
import dev.backstop.server.security.Caller;

/** The clusters a caller reaches, for the controllers that read clusters as stored. */
final class VisibleClusters {

  private VisibleClusters() {}

  /** The cluster, if the caller may see it; 404 otherwise, as if it did not exist. */
  static StoredCluster find(JdbcClusters clusters, Caller caller, String clusterId) {
    return clusters
        .findStored(clusterId)
        .filter(stored -> caller.canSee(stored.cluster().organizationId()))
        .orElseThrow(() -> ApiProblem.notFound("No cluster " + clusterId + "."));
  }
}
