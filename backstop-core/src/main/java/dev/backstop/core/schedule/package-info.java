/**
 * Scheduled backups: a cluster's {@link dev.backstop.core.schedule.BackupSchedule} (daily or
 * weekly, at a local time in a time zone) and its pure next-run computation, daylight-saving changes
 * included; and {@link dev.backstop.core.schedule.MissedRuns}, which decides what a run that comes
 * late does.
 */
package dev.backstop.core.schedule;
