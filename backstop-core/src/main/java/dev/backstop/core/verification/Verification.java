package dev.backstop.core.verification;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The check of a completed backup's objects, done without restoring it: in every region that holds
 * it, each Zeebe partition's manifest COMPLETED with every file it lists present at its size, and
 * each search snapshot of the backup SUCCESS with every blob it references present at its size.
 * Immutable; changes are checked by {@link VerificationState}.
 *
 * @param state what the last check found
 * @param at when the last check was done (empty while PENDING)
 * @param detail for a DAMAGED backup, what is missing or wrong (region, object key, sizes)
 */
public record Verification(VerificationState state, Optional<Instant> at, Optional<String> detail) {

  /** How many problems the detail names; the rest are counted. */
  static final int PROBLEMS_NAMED = 5;

  public Verification {
    Objects.requireNonNull(state);
    Objects.requireNonNull(at);
    Objects.requireNonNull(detail);
  }

  /** Not checked yet. */
  public static Verification pending() {
    return new Verification(VerificationState.PENDING, Optional.empty(), Optional.empty());
  }

  /**
   * The outcome of a check at {@code now}: VERIFIED without problems, else DAMAGED naming the first
   * {@value #PROBLEMS_NAMED} and counting the rest.
   *
   * @param problems each names the region and the object, and what is wrong with it
   */
  public Verification checked(List<String> problems, Instant now) {
    VerificationState next = problems.isEmpty() ? VerificationState.VERIFIED : VerificationState.DAMAGED;
    state.requireChangeTo(next);
    Optional<String> detail = Optional.empty();
    if (!problems.isEmpty()) {
      String named = String.join("; ", problems.subList(0, Math.min(PROBLEMS_NAMED, problems.size())));
      int more = problems.size() - PROBLEMS_NAMED;
      detail = Optional.of(more > 0 ? named + "; and " + more + " more" : named);
    }
    return new Verification(next, Optional.of(now), detail);
  }

  /** Whether the last check found it damaged: it then counts as no good backup. */
  public boolean damaged() {
    return state == VerificationState.DAMAGED;
  }
}
