package dev.backstop.server.api;

import dev.backstop.core.schedule.ScheduleRun;
import java.time.Instant;

/**
 * One run of a schedule as the API shows it.
 *
 * @param outcome {@code IN_PROGRESS}, {@code COMPLETED}, {@code FAILED} or {@code SKIPPED}
 * @param backupId the backup it started, else null
 * @param reason why it was skipped or failed, else null
 */
public record ScheduleRunView(Instant dueAt, Instant ranAt, String outcome, Long backupId, String reason) {

  static ScheduleRunView of(ScheduleRun run) {
    return new ScheduleRunView(run.dueAt(), run.ranAt(), run.outcome(), run.backupId().orElse(null), run.reason().orElse(null));
  }
}
