package dev.backstop.server.notification;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.backstop.core.notification.Notification;
import java.time.Instant;

/**
 * A delivery's JSON body: {@code {id, type, at, clusterId, backupId?, restoreId?, outcome,
 * detail}}; {@code backupId} and {@code restoreId} only when the event concerns one.
 */
public record WebhookPayload(
    String id,
    String type,
    Instant at,
    String clusterId,
    @JsonInclude(JsonInclude.Include.NON_NULL) Long backupId,
    @JsonInclude(JsonInclude.Include.NON_NULL) String restoreId,
    String outcome,
    String detail) {

  static WebhookPayload of(Notification notification) {
    return new WebhookPayload(
        notification.id().toString(),
        notification.type().wireName(),
        notification.at(),
        notification.clusterId(),
        notification.backupId().orElse(null),
        notification.restoreId().orElse(null),
        notification.outcome(),
        notification.detail());
  }
}
