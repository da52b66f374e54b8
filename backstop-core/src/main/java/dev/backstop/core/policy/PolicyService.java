package dev.backstop.core.policy;

import dev.backstop.core.cluster.ClusterAccess;
import dev.backstop.core.cluster.ClusterDirectory;
import dev.backstop.core.organization.Permission;
import dev.backstop.core.usecase.Actor;
import dev.backstop.core.usecase.Result;
import dev.backstop.core.usecase.Validation;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The operator's use cases for a cluster's backup policy: show the effective one, set the
 * cluster's own. Needs {@link Permission#ADMIN}.
 */
public final class PolicyService {

  private final ClusterDirectory clusters;
  private final PolicyStore policies;

  public PolicyService(ClusterDirectory clusters, PolicyStore policies) {
    this.clusters = clusters;
    this.policies = policies;
  }

  /** The cluster's effective policy: the defaults with its own values applied. */
  public Result<BackupPolicy> get(Actor actor, String clusterId) {
    Optional<Result<BackupPolicy>> refused = actor.lacking(Permission.ADMIN);
    if (refused.isPresent()) {
      return refused.get();
    }
    return ClusterAccess.visible(clusters, actor, clusterId).map(ClusterDirectory.ClusterContext::policy);
  }

  /**
   * Sets the cluster's policy, every value at once.
   *
   * @param manualRateLimit an ISO-8601 duration ({@code PT0S}: no limit)
   */
  public Result<BackupPolicy> set(Actor actor, String clusterId, String manualRateLimit, Integer manualRetention, Integer scheduledRetention) {
    Optional<Result<BackupPolicy>> refused = actor.lacking(Permission.ADMIN);
    if (refused.isPresent()) {
      return refused.get();
    }
    return ClusterAccess.visible(clusters, actor, clusterId)
        .then(
            cluster -> {
              Validation v = new Validation();
              Duration rateLimit = v.parse("manualRateLimit", manualRateLimit, PolicyService::duration);
              boolean unparsable = v.hasErrors();
              BackupPolicy.errors(rateLimit, manualRetention, scheduledRetention).stream()
                  .filter(error -> !(unparsable && error.field().equals("manualRateLimit")))
                  .forEach(error -> v.add(error.field(), error.message()));
              return v.orElse(
                  () -> {
                    BackupPolicy policy = new BackupPolicy(rateLimit, manualRetention, scheduledRetention);
                    return policies.save(clusterId, policy) ? Result.ok(policy) : Result.notFound("No cluster " + clusterId + ".");
                  });
            });
  }

  private static Duration duration(String text) {
    try {
      return Duration.parse(text);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("must be an ISO-8601 duration such as PT5H (PT0S: no limit)");
    }
  }
}
