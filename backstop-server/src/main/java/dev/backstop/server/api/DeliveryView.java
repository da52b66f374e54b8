package dev.backstop.server.api;

import dev.backstop.core.notification.Delivery;
import java.time.Instant;
import java.util.UUID;

/**
 * One delivery of an event to a webhook, with its last attempt.
 *
 * @param id the {@code Backstop-Delivery} header of its attempts
 * @param eventId the body's {@code id}
 * @param event e.g. {@code backup.failed}
 * @param state {@code PENDING}, {@code DELIVERED} or {@code FAILED}
 * @param lastStatus the last attempt's HTTP status, null if it got no answer (or none was made)
 * @param lastError why the last attempt did not deliver, else null
 * @param nextAttemptAt when PENDING: when it is tried (again)
 * @param deliveredAt when DELIVERED
 */
public record DeliveryView(
    UUID id,
    UUID eventId,
    String event,
    String state,
    int attempts,
    Instant createdAt,
    Instant lastAttemptAt,
    Integer lastStatus,
    String lastError,
    Instant nextAttemptAt,
    Instant deliveredAt) {

  static DeliveryView of(Delivery delivery) {
    return new DeliveryView(
        delivery.id(),
        delivery.eventId(),
        delivery.type().wireName(),
        delivery.state().name(),
        delivery.attempts(),
        delivery.createdAt(),
        delivery.lastAttemptAt().orElse(null),
        delivery.lastStatus().orElse(null),
        delivery.lastError().orElse(null),
        delivery.nextAttemptAt().orElse(null),
        delivery.deliveredAt().orElse(null));
  }
}
