package dev.backstop.core.notification;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * When a delivery that failed is tried again: {@code first} after the first failed attempt, each
 * wait {@code factor} times the one before, never more than {@code max}; after {@code attempts}
 * failed attempts it is given up. Pure. With the defaults (10 s, ×3, 1 h, 10 attempts) the waits
 * are 10 s, 30 s, 1.5 min, 4.5 min, 13.5 min, 40.5 min, then 1 h: a receiver may be away for about
 * five hours.
 *
 * @param first the wait after the first failed attempt
 * @param factor how much longer each next wait is (at least 1)
 * @param max the longest wait
 * @param attempts how many attempts in all (at least 1)
 */
public record RetrySchedule(Duration first, int factor, Duration max, int attempts) {

  public static final RetrySchedule DEFAULT = new RetrySchedule(Duration.ofSeconds(10), 3, Duration.ofHours(1), 10);

  public RetrySchedule {
    Objects.requireNonNull(first, "first");
    Objects.requireNonNull(max, "max");
    if (first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
      throw new IllegalArgumentException("need 0 < first <= max, got " + first + " and " + max);
    }
    if (factor < 1) {
      throw new IllegalArgumentException("factor must be at least 1, was " + factor);
    }
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be at least 1, was " + attempts);
    }
  }

  /** The wait after {@code failedAttempts} failed attempts (1 or more). */
  public Duration delayAfter(int failedAttempts) {
    if (failedAttempts < 1) {
      throw new IllegalArgumentException("failedAttempts must be at least 1, was " + failedAttempts);
    }
    Duration delay = first;
    for (int i = 1; i < failedAttempts && delay.compareTo(max) < 0; i++) {
      delay = delay.multipliedBy(factor);
    }
    return delay.compareTo(max) > 0 ? max : delay;
  }

  /**
   * When to attempt again after {@code failedAttempts} failed attempts, the last one at {@code
   * lastAttemptAt}; empty when none is left.
   */
  public Optional<Instant> nextAttempt(int failedAttempts, Instant lastAttemptAt) {
    return failedAttempts >= attempts ? Optional.empty() : Optional.of(lastAttemptAt.plus(delayAfter(failedAttempts)));
  }
}
