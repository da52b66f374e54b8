/**
 * Metrics on {@code /actuator/prometheus} (Micrometer; the operator's token is required). Three
 * sources, each counted or timed once:
 *
 * <ul>
 *   <li>{@link dev.backstop.server.metrics.EventMetrics}: the core's events as the audit trail
 *       records them (backups, restores, replications, scheduled runs, takeovers ended);
 *   <li>{@link dev.backstop.server.metrics.ProcedureMetrics}: the backup procedure's own timings
 *       (steps, components, paused exporting), through the core port {@link
 *       dev.backstop.core.procedure.BackupObserver};
 *   <li>{@link dev.backstop.server.metrics.ClusterGauges}: per cluster, the age of the newest
 *       completed and replicated backup and the replication lag, from the database.
 * </ul>
 *
 * {@link dev.backstop.server.metrics.BackstopMeters} names every meter. The example alert rules
 * ({@code ops/prometheus}) and dashboard ({@code ops/grafana}) use only these names; a test keeps
 * them so.
 */
package dev.backstop.server.metrics;
