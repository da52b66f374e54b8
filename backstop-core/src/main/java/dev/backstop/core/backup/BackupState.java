package dev.backstop.core.backup;

import java.util.Set;

/**
 * A backup's lifecycle. Legal changes: IN_PROGRESS → COMPLETED | FAILED; COMPLETED | FAILED →
 * DELETING. DELETING ends with the backup gone. {@link #requireChangeTo} is the one place that
 * rejects anything else.
 */
public enum BackupState {
  IN_PROGRESS("In progress"),
  COMPLETED("Complete"),
  FAILED("Failed"),
  DELETING("In progress");

  private final String camundaStatus;

  BackupState(String camundaStatus) {
    this.camundaStatus = camundaStatus;
  }

  /** The word Camunda's Administration API uses for this state. */
  public String camundaStatus() {
    return camundaStatus;
  }

  public boolean isValidChange(BackupState next) {
    return switch (this) {
      case IN_PROGRESS -> Set.of(COMPLETED, FAILED).contains(next);
      case COMPLETED, FAILED -> next == DELETING;
      case DELETING -> false;
    };
  }

  void requireChangeTo(BackupState next) {
    if (!isValidChange(next)) {
      throw new IllegalStateException("a backup cannot go from " + this + " to " + next);
    }
  }
}
