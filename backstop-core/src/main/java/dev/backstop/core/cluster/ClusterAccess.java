package dev.backstop.core.cluster;

import dev.backstop.core.cluster.ClusterDirectory.ClusterContext;
import dev.backstop.core.usecase.Actor;
import dev.backstop.core.usecase.Result;

/**
 * Which clusters an actor reaches: those of its organization (every one for the operator).
 * Another organization's cluster is not found, exactly as one that does not exist.
 */
public final class ClusterAccess {

  private ClusterAccess() {}

  /** The cluster if the actor may see it, also while it is being deleted. */
  public static Result<ClusterContext> visible(ClusterDirectory clusters, Actor actor, String clusterId) {
    return clusters
        .find(clusterId)
        .filter(context -> actor.canSee(context.cluster().organizationId()))
        .<Result<ClusterContext>>map(Result::ok)
        .orElseGet(() -> Result.notFound("No cluster " + clusterId + "."));
  }

  /** The cluster if the actor may see it and it is not being deleted. */
  public static Result<ClusterContext> active(ClusterDirectory clusters, Actor actor, String clusterId) {
    return visible(clusters, actor, clusterId)
        .then(context -> context.deleting() ? Result.notFound("Cluster " + clusterId + " is being deleted.") : Result.ok(context));
  }
}
