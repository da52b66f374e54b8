package dev.backstop.core.verification;

import java.util.EnumSet;
import java.util.Set;

/**
 * What the last check of a completed backup's objects found.
 *
 * <pre>
 * PENDING ──> VERIFIED <──> DAMAGED     (every later check may find either; none goes back to PENDING)
 *    └───────────────────────^
 * </pre>
 *
 * A DAMAGED backup that a later check finds whole again (an object put back) is VERIFIED again:
 * the state says what the newest check found.
 */
public enum VerificationState {
  /** Completed, not checked yet. */
  PENDING,
  /** Every region that holds it was found whole at the time of the check. */
  VERIFIED,
  /** Some region lacks an object of it, or holds one at another size: it is not a good backup. */
  DAMAGED;

  private Set<VerificationState> next() {
    return switch (this) {
      case PENDING, VERIFIED, DAMAGED -> EnumSet.of(VERIFIED, DAMAGED);
    };
  }

  public boolean isValidChange(VerificationState target) {
    return next().contains(target);
  }

  void requireChangeTo(VerificationState target) {
    if (!isValidChange(target)) {
      throw new IllegalStateException("a verification cannot go from " + this + " to " + target);
    }
  }
}
