package dev.backstop.server.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down guessing of client secrets: at most {@code maxAttempts} failed attempts per key (a
 * client id, or a client id from one address) within {@code window}; beyond, no token (429,
 * Retry-After) until the oldest has left the window — whether the id exists or not, so that the
 * answer tells nothing about it. An attempt is reserved before the secret is checked, so that
 * parallel requests count too, and a success clears the key. Per instance, in memory. Pure over
 * its {@link Clock}.
 */
public final class TokenThrottle {

  /** At most this many keys are tracked; idle ones are forgotten first. */
  static final int MAX_TRACKED = 100_000;

  private final int maxAttempts;
  private final Duration window;
  private final Clock clock;
  private final ConcurrentHashMap<String, Deque<Instant>> attempts = new ConcurrentHashMap<>();
  private volatile Instant lastSweep = Instant.MIN;

  public TokenThrottle(int maxAttempts, Duration window, Clock clock) {
    this.maxAttempts = maxAttempts;
    this.window = window;
    this.clock = clock;
  }

  /**
   * Reserves an attempt for the key, counted as failed until {@link #succeeded}.
   *
   * @return how long to wait first when the key has no attempt left (nothing is reserved then)
   */
  public Optional<Duration> reserve(String key) {
    forgetIdleWhenFull();
    Deque<Instant> recent = attempts.computeIfAbsent(key, k -> new ArrayDeque<>());
    synchronized (recent) {
      Instant now = clock.instant();
      prune(recent, now);
      if (recent.size() >= maxAttempts) {
        return Optional.of(Duration.between(now, recent.peekFirst().plus(window)));
      }
      recent.addLast(now);
      return Optional.empty();
    }
  }

  /** The attempt was right: the key starts afresh. */
  public void succeeded(String key) {
    attempts.remove(key);
  }

  private void forgetIdleWhenFull() {
    Instant now = clock.instant();
    // At most one sweep per window: a map kept full on purpose must not make every request scan it.
    if (attempts.size() < MAX_TRACKED || lastSweep.plus(window).isAfter(now)) {
      return;
    }
    lastSweep = now;
    attempts.values().removeIf(recent -> {
      synchronized (recent) {
        prune(recent, now);
        return recent.isEmpty();
      }
    });
  }

  private void prune(Deque<Instant> recent, Instant now) {
    while (!recent.isEmpty() && !recent.peekFirst().plus(window).isAfter(now)) {
      recent.removeFirst();
    }
  }
}
