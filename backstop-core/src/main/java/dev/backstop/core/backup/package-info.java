/**
 * Backups: the {@link dev.backstop.core.backup.Backup} aggregate and its lifecycle ({@link
 * dev.backstop.core.backup.BackupState}), ids, parts per component, the repository port, and the
 * use cases ({@link dev.backstop.core.backup.BackupService}): request, run, retain, delete, take over.
 */
package dev.backstop.core.backup;
