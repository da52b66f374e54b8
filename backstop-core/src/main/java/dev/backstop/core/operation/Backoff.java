package dev.backstop.core.operation;

import java.time.Duration;
import java.util.Objects;

/**
 * How long to wait before attempt n+1 after n failed ones: {@code first}, doubled after each
 * failure, never more than {@code max}. Pure.
 *
 * @param first the wait after the first failure
 * @param max the longest wait
 */
public record Backoff(Duration first, Duration max) {

  public Backoff {
    Objects.requireNonNull(first);
    Objects.requireNonNull(max);
    if (first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
      throw new IllegalArgumentException("need 0 < first <= max, got " + first + " and " + max);
    }
  }

  /** The wait after {@code failedAttempts} failures (1 or more). */
  public Duration delayAfter(int failedAttempts) {
    Duration delay = first;
    for (int i = 1; i < failedAttempts && delay.compareTo(max) < 0; i++) {
      delay = delay.multipliedBy(2);
    }
    return delay.compareTo(max) > 0 ? max : delay;
  }
}
