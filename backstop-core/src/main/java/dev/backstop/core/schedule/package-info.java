/**
 * Scheduled backups: a cluster's {@link dev.backstop.core.schedule.BackupSchedule} (daily or
 * weekly, at a local time in a time zone) and its pure next-run computation, daylight-saving changes
 * included; {@link dev.backstop.core.schedule.MissedRuns}, which decides what a run that comes
 * late does; and {@link dev.backstop.core.schedule.ScheduleService}, the use cases of a cluster's
 * schedule, over the {@link dev.backstop.core.schedule.ScheduleStore} and {@link
 * dev.backstop.core.schedule.RunPlanner} ports.
 */
package dev.backstop.core.schedule;
