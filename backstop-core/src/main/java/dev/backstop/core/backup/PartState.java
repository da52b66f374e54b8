package dev.backstop.core.backup;

/** The state of one component's part of a backup. */
public enum PartState {
  /** Not started yet. */
  PENDING,
  IN_PROGRESS,
  COMPLETED,
  FAILED,
  /** Removed again: by the cleanup of a failed backup, or by deletion. */
  DELETED,
  /** The cleanup could not remove it; the detail says why. */
  CLEANUP_FAILED;

  /** Whether the component may hold something of this part that a cleanup must remove. */
  public boolean mayHoldData() {
    return this == IN_PROGRESS || this == COMPLETED || this == FAILED || this == CLEANUP_FAILED;
  }
}
