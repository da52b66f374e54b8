package dev.backstop.core.replication;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where a backup's copy in the secondary region stands.
 *
 * <pre>
 * NOT_REQUIRED                     (same-region cluster, or a backup that failed: nothing to copy)
 * PENDING ──> IN_PROGRESS ──> COMPLETED
 *    │            │  ▲
 *    │            ▼  │ (a later trigger retries)
 *    └──────────> FAILED           (after the retries were spent)
 * </pre>
 */
public enum ReplicationState {
  NOT_REQUIRED,
  PENDING,
  IN_PROGRESS,
  COMPLETED,
  FAILED;

  /** Whether copying is still to be done or under way. */
  public boolean unfinished() {
    return this == PENDING || this == IN_PROGRESS;
  }

  private Set<ReplicationState> next() {
    return switch (this) {
      case NOT_REQUIRED, COMPLETED -> EnumSet.noneOf(ReplicationState.class);
      case PENDING -> EnumSet.of(IN_PROGRESS, FAILED, NOT_REQUIRED);
      case IN_PROGRESS -> EnumSet.of(COMPLETED, FAILED);
      case FAILED -> EnumSet.of(PENDING);
    };
  }

  public void requireChangeTo(ReplicationState target) {
    if (!next().contains(target)) {
      throw new IllegalStateException("replication cannot go from " + this + " to " + target);
    }
  }
}
