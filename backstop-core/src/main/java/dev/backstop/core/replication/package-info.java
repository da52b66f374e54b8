/**
 * Replication of a dual-region cluster's backups to its secondary region: the lifecycle a backup's
 * copy goes through ({@link dev.backstop.core.replication.Replication}) and the port that copies
 * and removes the objects ({@link dev.backstop.core.replication.Replicator}). The backup's
 * operation runs it after the backup completed, on the durable engine, and retries it with
 * backoff.
 */
package dev.backstop.core.replication;
