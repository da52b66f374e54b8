package dev.backstop.core.schedule;

import java.time.Instant;
import java.util.Optional;

/**
 * One run of a schedule, as its history keeps it (append-only; a started run's outcome follows
 * its backup).
 *
 * @param id the run's number, increasing
 * @param dueAt when it was due
 * @param ranAt when it ran (or was skipped)
 * @param outcome {@code IN_PROGRESS}, {@code COMPLETED}, {@code FAILED} or {@code SKIPPED}
 * @param backupId the backup it started, if it started one
 * @param reason why it was skipped or failed
 */
public record ScheduleRun(long id, Instant dueAt, Instant ranAt, String outcome, Optional<Long> backupId, Optional<String> reason) {}
