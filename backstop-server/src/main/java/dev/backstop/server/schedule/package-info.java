/**
 * Scheduled backups: schedules and their run history in PostgreSQL, executed by db-scheduler
 * (persistent and cluster-safe: each due run is picked by exactly one Backstop instance sharing the
 * database). One db-scheduler task instance per cluster holds the next due time.
 */
package dev.backstop.server.schedule;
