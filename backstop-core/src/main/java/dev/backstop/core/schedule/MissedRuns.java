package dev.backstop.core.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What a scheduled run does when it comes late (Backstop was down across its due time, maybe
 * several): it runs once, for the latest due time that has passed, if that is within the grace
 * period; otherwise it is recorded as skipped. Never a backlog of runs.
 */
public final class MissedRuns {

  /** The decision for one execution of a cluster's schedule. */
  public sealed interface Decision {}

  /** Run a backup now, for this due time. */
  public record Run(Instant dueAt) implements Decision {}

  /** Do not run; record why. */
  public record Skip(Instant dueAt, String reason) implements Decision {}

  private MissedRuns() {}

  /**
   * @param schedule the schedule
   * @param plannedFor the due time this execution was planned for (possibly long ago)
   * @param now the current time
   * @param grace how late a run may still start
   */
  public static Decision decide(BackupSchedule schedule, Instant plannedFor, Instant now, Duration grace) {
    Optional<Instant> latest = schedule.lastRunAtOrBefore(now);
    Instant dueAt = latest.filter(due -> !due.isBefore(plannedFor)).orElse(plannedFor);
    Duration late = Duration.between(dueAt, now);
    if (late.compareTo(grace) > 0) {
      return new Skip(dueAt, "missed: Backstop was not running at the due time, and it is " + late.toMinutes()
          + " min past it (grace period " + grace.toMinutes() + " min)");
    }
    return new Run(dueAt);
  }
}
