package dev.backstop.server.api;

import dev.backstop.core.notification.EventType;
import dev.backstop.core.notification.NewWebhook;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A webhook just created: the only answer that ever holds its secret, which signs every delivery
 * ({@code Backstop-Signature}).
 */
public record NewWebhookView(
    UUID id, UUID organizationId, String url, List<String> events, Integer noCompletedBackupHours, Instant createdAt, String secret) {

  static NewWebhookView of(NewWebhook created) {
    return new NewWebhookView(
        created.webhook().id(),
        created.webhook().organizationId(),
        created.webhook().url().toString(),
        created.webhook().orderedEvents().stream().map(EventType::wireName).toList(),
        created.webhook().noCompletedBackupHours().orElse(null),
        created.webhook().createdAt(),
        created.secret());
  }

  @Override
  public String toString() {
    return "NewWebhookView[id=" + id + ", organizationId=" + organizationId + ", events=" + events + ", secret=<redacted>]";
  }
}
