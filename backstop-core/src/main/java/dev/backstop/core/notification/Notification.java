package dev.backstop.core.notification;

import dev.backstop.core.backup.BackupId;
import dev.backstop.core.event.Event;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * What a delivery's body says about an event; the same for every webhook told of it.
 *
 * @param id the event's id: derived from its {@linkplain Event#key key}, so an event told twice has
 *     one id
 * @param outcome {@code SUCCEEDED} (a restore completed), {@code SKIPPED} (a scheduled run that did
 *     not start a backup) or {@code FAILED} (everything else a webhook hears of: a failure, an
 *     overdue backup)
 * @param detail in words, as in the audit trail
 */
public record Notification(
    UUID id, EventType type, Instant at, String clusterId, Optional<Long> backupId, Optional<String> restoreId, String outcome, String detail) {

  /** The notification of an event, if webhooks can subscribe to its type. */
  public static Optional<Notification> of(Event event) {
    return EventType.of(event)
        .map(type -> new Notification(
            eventId(event), type, event.at(), event.clusterId(), event.backupId().map(BackupId::value), event.restoreId(), outcomeOf(event),
            event.detail()));
  }

  static UUID eventId(Event event) {
    return UUID.nameUUIDFromBytes(("backstop-event:" + event.key()).getBytes(StandardCharsets.UTF_8));
  }

  private static String outcomeOf(Event event) {
    if (event instanceof Event.ScheduledRunSkipped) {
      return "SKIPPED";
    }
    return event.succeeded() ? "SUCCEEDED" : "FAILED";
  }
}
