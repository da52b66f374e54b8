package dev.backstop.core.notification;

import dev.backstop.core.event.Event;
import dev.backstop.core.event.EventSink;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The periodic check behind {@link EventType#BACKUP_OVERDUE}: a cluster watched with a threshold
 * of N hours is overdue when no backup of it completed for more than N hours — counted from its
 * newest completed backup, or from its registration when none ever completed. Each overdue (cluster,
 * threshold) is told as {@link Event.NoRecentBackup}, whose key names the cluster, the threshold and
 * the last completed backup's time: told at every check, it is recorded and notified once, until a
 * newer backup completes (and is overdue in its turn).
 */
public final class OverdueBackups {

  /**
   * A cluster some webhook watches, with that webhook's threshold (a cluster watched with two
   * thresholds is two watches).
   *
   * @param lastCompletedAt when its newest completed backup completed; empty if none did
   */
  public record Watch(String clusterId, Instant registeredAt, Optional<Instant> lastCompletedAt, int thresholdHours) {
    public Watch {
      Objects.requireNonNull(clusterId, "clusterId");
      Objects.requireNonNull(registeredAt, "registeredAt");
      if (thresholdHours < 1) {
        throw new IllegalArgumentException("thresholdHours must be at least 1, was " + thresholdHours);
      }
    }
  }

  /** Port: every (cluster, threshold) that a webhook subscribing to backup.overdue watches. */
  @FunctionalInterface
  public interface Watches {
    List<Watch> all();
  }

  private final Watches watches;
  private final EventSink events;
  private final Clock clock;

  public OverdueBackups(Watches watches, EventSink events, Clock clock) {
    this.watches = watches;
    this.events = events;
    this.clock = clock;
  }

  /**
   * The event to tell for a watch at {@code now}: present when the time since the last completed
   * backup (or the registration) is longer than the threshold — exactly the threshold is not yet
   * overdue.
   */
  public static Optional<Event.NoRecentBackup> decide(Watch watch, Instant now) {
    Instant since = watch.lastCompletedAt().orElse(watch.registeredAt());
    if (Duration.between(since, now).compareTo(Duration.ofHours(watch.thresholdHours())) <= 0) {
      return Optional.empty();
    }
    return Optional.of(new Event.NoRecentBackup(now, watch.clusterId(), watch.lastCompletedAt(), watch.thresholdHours()));
  }

  /** Tells every overdue watch (the sink records each once); answers how many were overdue. */
  public int check() {
    Instant now = clock.instant();
    int overdue = 0;
    for (Watch watch : watches.all()) {
      Optional<Event.NoRecentBackup> event = decide(watch, now);
      if (event.isPresent()) {
        overdue++;
        events.publish(event.get());
      }
    }
    return overdue;
  }
}
