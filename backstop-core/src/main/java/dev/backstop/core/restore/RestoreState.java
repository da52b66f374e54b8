package dev.backstop.core.restore;

import java.util.Set;

/**
 * Where a restore's lifecycle stands. REQUESTED → RUNNING ⇄ WAITING → COMPLETED or FAILED; the
 * legal changes are listed here and checked in one place ({@link #requireChangeTo}).
 */
public enum RestoreState {
  REQUESTED,
  RUNNING,
  /** A manual runtime waits for the operator to confirm a stop, restore or start. */
  WAITING,
  COMPLETED,
  FAILED;

  private Set<RestoreState> next() {
    return switch (this) {
      case REQUESTED -> Set.of(RUNNING, FAILED);
      case RUNNING -> Set.of(RUNNING, WAITING, COMPLETED, FAILED);
      case WAITING -> Set.of(RUNNING, WAITING, FAILED);
      case COMPLETED, FAILED -> Set.of();
    };
  }

  /** Whether the restore still occupies its cluster. */
  public boolean active() {
    return this == REQUESTED || this == RUNNING || this == WAITING;
  }

  /** @throws IllegalStateException if a restore in this state cannot move to {@code target} */
  public void requireChangeTo(RestoreState target) {
    if (!next().contains(target)) {
      throw new IllegalStateException("a restore cannot go from " + this + " to " + target);
    }
  }
}
