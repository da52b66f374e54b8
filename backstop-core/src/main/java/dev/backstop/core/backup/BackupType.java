package dev.backstop.core.backup;

/** Who asked for a backup: a user, or the cluster's schedule. */
public enum BackupType {
  MANUAL,
  SCHEDULED
}
