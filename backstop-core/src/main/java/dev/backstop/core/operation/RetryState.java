package dev.backstop.core.operation;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The attempts at work that must be repeated until it succeeds (a resume, a part's removal, a
 * deletion), as the operation records them and the API shows them. Kept once the work is done, so
 * that what it took stays visible.
 *
 * @param attempts how many attempts failed (at least 1)
 * @param lastAttemptAt when the last attempt ended, failed or not
 * @param lastError why the last failed attempt failed
 * @param nextAttemptAt when the next attempt is due; empty once the work is done
 */
public record RetryState(int attempts, Instant lastAttemptAt, String lastError, Optional<Instant> nextAttemptAt) {

  public RetryState {
    Objects.requireNonNull(lastAttemptAt);
    Objects.requireNonNull(nextAttemptAt);
    lastError = lastError == null ? "" : lastError;
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be at least 1");
    }
  }

  /** The record after one more failed attempt, the next one spaced by {@code backoff}. */
  public static RetryState failed(Optional<RetryState> previous, String error, Instant now, Backoff backoff) {
    int attempts = previous.filter(RetryState::pending).map(RetryState::attempts).orElse(0) + 1;
    return new RetryState(attempts, now, error, Optional.of(now.plus(backoff.delayAfter(attempts))));
  }

  /** The record once an attempt succeeded: nothing is due any more. */
  public RetryState succeeded(Instant now) {
    return new RetryState(attempts, now, lastError, Optional.empty());
  }

  /** Whether another attempt is due. */
  public boolean pending() {
    return nextAttemptAt.isPresent();
  }
}
