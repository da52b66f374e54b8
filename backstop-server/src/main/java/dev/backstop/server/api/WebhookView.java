package dev.backstop.server.api;

import dev.backstop.core.notification.EventType;
import dev.backstop.core.notification.Webhook;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A webhook as listed and shown: never its secret.
 *
 * @param events e.g. {@code backup.failed}
 * @param noCompletedBackupHours with {@code backup.overdue}, else null
 */
public record WebhookView(UUID id, UUID organizationId, String url, List<String> events, Integer noCompletedBackupHours, Instant createdAt) {

  static WebhookView of(Webhook webhook) {
    return new WebhookView(
        webhook.id(),
        webhook.organizationId(),
        webhook.url().toString(),
        webhook.orderedEvents().stream().map(EventType::wireName).toList(),
        webhook.noCompletedBackupHours().orElse(null),
        webhook.createdAt());
  }
}
