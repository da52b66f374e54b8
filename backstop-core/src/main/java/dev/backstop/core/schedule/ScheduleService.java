package dev.backstop.core.schedule;

import dev.backstop.core.cluster.ClusterAccess;
import dev.backstop.core.cluster.ClusterDirectory;
import dev.backstop.core.organization.Permission;
import dev.backstop.core.usecase.Actor;
import dev.backstop.core.usecase.Result;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The use cases of a cluster's backup schedule: show, set and remove it, list its runs. Reading
 * needs {@link Permission#BACKUPS_READ}, changing {@link Permission#BACKUPS_WRITE}; the cluster must
 * be visible to the actor and not being deleted.
 */
public final class ScheduleService {

  /** How many runs the history shows. */
  static final int RUNS_SHOWN = 100;

  /** A schedule and its next due time (empty when it is disabled). */
  public record Planned(BackupSchedule schedule, Optional<Instant> nextRunAt) {}

  /** The fields of a schedule as the caller gives them, unchecked. */
  public record Input(String frequency, String dayOfWeek, String time, String timeZone, Boolean enabled) {}

  private final ClusterDirectory clusters;
  private final ScheduleStore schedules;
  private final RunPlanner planner;
  private final Clock clock;

  public ScheduleService(ClusterDirectory clusters, ScheduleStore schedules, RunPlanner planner, Clock clock) {
    this.clusters = clusters;
    this.schedules = schedules;
    this.planner = planner;
    this.clock = clock;
  }

  public Result<Planned> get(Actor actor, String clusterId) {
    return cluster(actor, clusterId, Permission.BACKUPS_READ)
        .then(
            cluster ->
                schedules
                    .find(clusterId)
                    .<Result<Planned>>map(schedule -> Result.ok(planned(schedule, clock.instant())))
                    .orElseGet(() -> noSchedule(clusterId)));
  }

  /** Sets (or replaces) the schedule and plans its next run. */
  public Result<Planned> put(Actor actor, String clusterId, Input input) {
    return cluster(actor, clusterId, Permission.BACKUPS_WRITE)
        .then(
            cluster -> {
              BackupSchedule.Parsed parsed = BackupSchedule.parse(input.frequency(), input.dayOfWeek(), input.time(), input.timeZone(), input.enabled());
              if (parsed.schedule().isEmpty()) {
                return Result.invalid(parsed.errors());
              }
              BackupSchedule schedule = parsed.schedule().get();
              Instant now = clock.instant();
              if (!schedules.save(clusterId, schedule, now)) {
                return Result.notFound("No cluster " + clusterId + ".");
              }
              Planned planned = planned(schedule, now);
              planner.plan(clusterId, planned.nextRunAt());
              return Result.ok(planned);
            });
  }

  /** Removes the schedule; no run is due any more. */
  public Result<Result.Done> delete(Actor actor, String clusterId) {
    return cluster(actor, clusterId, Permission.BACKUPS_WRITE)
        .then(
            cluster -> {
              if (!schedules.delete(clusterId)) {
                return noSchedule(clusterId);
              }
              planner.plan(clusterId, Optional.empty());
              return Result.ok(Result.Done.DONE);
            });
  }

  /** Every run, newest first (the latest {@value #RUNS_SHOWN}): started, failed or skipped, with the reason. */
  public Result<List<ScheduleRun>> runs(Actor actor, String clusterId) {
    return cluster(actor, clusterId, Permission.BACKUPS_READ).map(cluster -> schedules.runs(clusterId, RUNS_SHOWN));
  }

  private Result<ClusterDirectory.ClusterContext> cluster(Actor actor, String clusterId, Permission permission) {
    return actor.<ClusterDirectory.ClusterContext>lacking(permission).orElseGet(() -> ClusterAccess.active(clusters, actor, clusterId));
  }

  private static Planned planned(BackupSchedule schedule, Instant now) {
    return new Planned(schedule, schedule.nextRunAfter(now));
  }

  private static <T> Result<T> noSchedule(String clusterId) {
    return Result.notFound("Cluster " + clusterId + " has no backup schedule.");
  }
}
