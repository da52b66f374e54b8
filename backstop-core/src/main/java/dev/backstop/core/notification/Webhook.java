package dev.backstop.core.notification;

import dev.backstop.core.event.Event;
import java.net.URI;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * A URL of an organization that is told of some events of the organization's clusters. Its secret,
 * which signs what is sent, is not part of it: it exists in the create answer ({@link NewWebhook})
 * and, encrypted, in the store, nowhere else.
 *
 * @param events what it is told of, at least one
 * @param noCompletedBackupHours with {@link EventType#BACKUP_OVERDUE}: after how many hours without
 *     a completed backup a cluster is overdue; empty otherwise
 */
public record Webhook(UUID id, UUID organizationId, URI url, Set<EventType> events, Optional<Integer> noCompletedBackupHours, Instant createdAt) {

  public Webhook {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(organizationId, "organizationId");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(createdAt, "createdAt");
    if (events.isEmpty()) {
      throw new IllegalArgumentException("a webhook has at least one event");
    }
    events = Set.copyOf(EnumSet.copyOf(events));
    if (events.contains(EventType.BACKUP_OVERDUE) != noCompletedBackupHours.isPresent()) {
      throw new IllegalArgumentException("noCompletedBackupHours goes with backup.overdue, and only with it");
    }
    noCompletedBackupHours.filter(hours -> hours < 1).ifPresent(hours -> {
      throw new IllegalArgumentException("noCompletedBackupHours must be at least 1, was " + hours);
    });
  }

  /** The events in their declared order (as the API lists them). */
  public List<EventType> orderedEvents() {
    return EnumSet.copyOf(events).stream().toList();
  }

  /**
   * Whether this webhook is told of the event: its type is subscribed, and a {@link
   * Event.NoRecentBackup} is for this webhook's own threshold (a webhook watching for 48 h is not
   * told that 24 h passed).
   */
  public boolean wants(Event event) {
    Optional<EventType> type = EventType.of(event);
    if (type.isEmpty() || !events.contains(type.get())) {
      return false;
    }
    if (event instanceof Event.NoRecentBackup overdue) {
      return noCompletedBackupHours.map(hours -> hours == overdue.thresholdHours()).orElse(false);
    }
    return true;
  }
}
