package dev.backstop.core.policy;

import dev.backstop.core.backup.Backup;
import dev.backstop.core.backup.BackupState;
import dev.backstop.core.backup.BackupType;
import dev.backstop.core.cluster.Generation;
import dev.backstop.core.organization.Plan;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Whether a new manual backup of a cluster may start now. A pure function of the cluster's
 * situation and the time; the rules apply in this order, the first that rejects decides:
 *
 * <ol>
 *   <li>the organization's plan includes backups (else {@link Rejection#PLAN_WITHOUT_BACKUPS});
 *   <li>the cluster's generation is at least 8.2.4 ({@link Rejection#GENERATION_TOO_OLD}) and one
 *       whose procedure Backstop has ({@link Rejection#GENERATION_NOT_SUPPORTED_YET}: 8.9 and
 *       later, whose backup APIs Backstop cannot know yet; 8.2.4 to 8.8 are supported);
 *   <li>no backup or restore of the cluster is running ({@link Rejection#OPERATION_RUNNING}),
 *       including a failed backup whose cleanup is not done ({@link Backup#occupiesCluster()}):
 *       one operation per cluster at a time;
 *   <li>no manual backup holds the rate-limit window ({@link Rejection#RATE_LIMITED}): a manual
 *       backup created less than the window ago, in any state but DELETING, holds it; deleting it
 *       frees the window at once.
 * </ol>
 */
public final class Admission {

  /** Why a backup may not start. */
  public enum Rejection {
    PLAN_WITHOUT_BACKUPS,
    GENERATION_TOO_OLD,
    /** 8.9 and later: newer than any generation whose backup APIs Backstop knows. */
    GENERATION_NOT_SUPPORTED_YET,
    OPERATION_RUNNING,
    RATE_LIMITED,
    /** The components report another Camunda version than the cluster was registered with. */
    GENERATION_MISMATCH
  }

  /** Refuses a backup of a cluster whose components report another generation than the registered one. */
  public static Rejected generationMismatch(Generation registered, List<String> mismatches) {
    return new Rejected(Rejection.GENERATION_MISMATCH, registered.mismatchReason(mismatches), Optional.empty());
  }

  /** The outcome. */
  public sealed interface Decision {}

  public record Admitted() implements Decision {}

  /**
   * @param retryAfter for {@link Rejection#RATE_LIMITED}: when the window ends
   */
  public record Rejected(Rejection rejection, String detail, Optional<Duration> retryAfter) implements Decision {}

  private Admission() {}

  /**
   * @param plan the organization's plan
   * @param generation the cluster's generation
   * @param backups the cluster's backups (any type and state)
   * @param restoreRunning whether a restore of the cluster is running
   * @param policy the cluster's effective policy
   * @param now the current time
   */
  public static Decision ofManualBackup(
      Plan plan, Generation generation, List<Backup> backups, boolean restoreRunning, BackupPolicy policy, Instant now) {
    if (!plan.includesBackups()) {
      return rejected(Rejection.PLAN_WITHOUT_BACKUPS, "The organization's plan " + plan + " does not include backups.");
    }
    if (!generation.supportsBackups()) {
      return rejected(
          Rejection.GENERATION_TOO_OLD,
          "Backups need generation " + Generation.MINIMUM_FOR_BACKUPS + " or later; the cluster runs " + generation + ".");
    }
    if (generation.newerThanSupported()) {
      return rejected(
          Rejection.GENERATION_NOT_SUPPORTED_YET,
          "Backups of generation " + generation + " are not supported yet; " + Generation.MINIMUM_FOR_BACKUPS + " to 8.8 are.");
    }
    Optional<Backup> running = backups.stream().filter(Backup::occupiesCluster).findFirst();
    if (running.isPresent()) {
      Backup busy = running.get();
      return rejected(
          Rejection.OPERATION_RUNNING,
          busy.state() == BackupState.IN_PROGRESS
              ? "Backup " + busy.id() + " of this cluster is in progress."
              : "Backup " + busy.id() + " of this cluster failed and its cleanup is not done yet (Backstop keeps retrying it).");
    }
    if (restoreRunning) {
      return rejected(Rejection.OPERATION_RUNNING, "A restore of this cluster is running.");
    }
    Duration window = policy.manualRateLimit();
    if (!window.isZero()) {
      Optional<Backup> holder =
          backups.stream()
              .filter(b -> b.type() == BackupType.MANUAL && b.state() != BackupState.DELETING)
              .filter(b -> b.createdAt().plus(window).isAfter(now))
              .max(Comparator.comparing(Backup::createdAt));
      if (holder.isPresent()) {
        Duration retryAfter = Duration.between(now, holder.get().createdAt().plus(window));
        return new Rejected(
            Rejection.RATE_LIMITED,
            "One manual backup per %s: backup %s holds the window for %d more seconds; delete it to create a new one now."
                .formatted(window, holder.get().id(), ceilSeconds(retryAfter)),
            Optional.of(retryAfter));
      }
    }
    return new Admitted();
  }

  /**
   * Whether a scheduled backup may start now: rules 1 to 3 of the manual one; scheduled backups
   * are not rate-limited and do not consume the manual window.
   */
  public static Decision ofScheduledBackup(Plan plan, Generation generation, List<Backup> backups, boolean restoreRunning) {
    return ofManualBackup(plan, generation, backups, restoreRunning, new BackupPolicy(Duration.ZERO, 1, 1), Instant.EPOCH);
  }

  /** Whole seconds, rounded up: what a Retry-After header carries. */
  public static long ceilSeconds(Duration duration) {
    long seconds = duration.getSeconds();
    return duration.getNano() > 0 ? seconds + 1 : seconds;
  }

  private static Rejected rejected(Rejection rejection, String detail) {
    return new Rejected(rejection, detail, Optional.empty());
  }
}
