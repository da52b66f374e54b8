/**
 * The durable operation engine on db-scheduler: a backup's operation is a persistent one-time
 * task, picked by one instance at a time, heartbeated while it runs, revived and picked by another
 * instance when its runner stops or stalls (its heartbeat older than the missed-heartbeats limit),
 * rescheduled when work is left, and retried with backoff when a run breaks off. Also the
 * housekeeping that runs beside it.
 */
package dev.backstop.server.operation;
