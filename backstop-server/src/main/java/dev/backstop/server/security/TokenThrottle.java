package dev.backstop.server.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down guessing of client secrets: after {@code maxFailures} wrong secrets for one client id
 * within {@code window}, that id gets no token (429, Retry-After) until the oldest failure has
 * left the window — whether the id exists or not, so that the answer tells nothing about it.
 * Per instance, in memory: behind a load balancer over n instances a guesser gets at most n times
 * as many tries. Pure over its {@link Clock}.
 */
public final class TokenThrottle {

  /** At most this many client ids are tracked; the oldest idle ones are forgotten first. */
  static final int MAX_TRACKED = 100_000;

  private final int maxFailures;
  private final Duration window;
  private final Clock clock;
  private final ConcurrentHashMap<String, Deque<Instant>> failures = new ConcurrentHashMap<>();

  public TokenThrottle(int maxFailures, Duration window, Clock clock) {
    this.maxFailures = maxFailures;
    this.window = window;
    this.clock = clock;
  }

  /** How long this id must wait before trying again, if it must. */
  public Optional<Duration> waitBefore(String clientId) {
    Deque<Instant> recent = failures.get(clientId);
    if (recent == null) {
      return Optional.empty();
    }
    synchronized (recent) {
      Instant now = clock.instant();
      prune(recent, now);
      if (recent.size() < maxFailures) {
        return Optional.empty();
      }
      return Optional.of(Duration.between(now, recent.peekFirst().plus(window)));
    }
  }

  public void failed(String clientId) {
    if (failures.size() >= MAX_TRACKED) {
      Instant now = clock.instant();
      failures.values().removeIf(recent -> {
        synchronized (recent) {
          prune(recent, now);
          return recent.isEmpty();
        }
      });
    }
    Deque<Instant> recent = failures.computeIfAbsent(clientId, id -> new ArrayDeque<>());
    synchronized (recent) {
      recent.addLast(clock.instant());
      while (recent.size() > maxFailures) {
        recent.removeFirst();
      }
    }
  }

  public void succeeded(String clientId) {
    failures.remove(clientId);
  }

  private void prune(Deque<Instant> recent, Instant now) {
    while (!recent.isEmpty() && !recent.peekFirst().plus(window).isAfter(now)) {
      recent.removeFirst();
    }
  }
}
