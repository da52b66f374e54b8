package dev.backstop.server.notification;

import dev.backstop.server.persistence.AfterCommit;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import dev.backstop.core.event.Event;
import dev.backstop.core.notification.Delivery;
import dev.backstop.core.notification.Notification;
import dev.backstop.core.notification.Webhook;
import dev.backstop.server.event.RecordedEventListener;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

/**
 * Turns a recorded event into deliveries: for each webhook of the cluster's organization that
 * {@linkplain Webhook#wants wants} it, a PENDING delivery with the body fixed now, and its
 * db-scheduler task instance due at once — both in the transaction that records the event (the
 * task's row too: db-scheduler writes through the transaction-aware data source), so an event is
 * either recorded with its deliveries or not at all. No network here: the task sends, after the
 * commit.
 */
@Component
public class WebhookNotifier implements RecordedEventListener {

  private static final Logger LOG = LoggerFactory.getLogger(WebhookNotifier.class);

  private final JdbcWebhooks webhooks;
  private final ObjectMapper json;
  private final Clock clock;
  private final ObjectProvider<Scheduler> scheduler;
  private final CustomTask<Void> deliveryTask;

  public WebhookNotifier(
      JdbcWebhooks webhooks, ObjectMapper json, Clock clock, ObjectProvider<Scheduler> scheduler,
      @Qualifier("webhookDeliveryTask") CustomTask<Void> deliveryTask) {
    this.webhooks = webhooks;
    this.json = json;
    this.clock = clock;
    this.scheduler = scheduler;
    this.deliveryTask = deliveryTask;
  }

  @Override
  public void recorded(Event event, Optional<UUID> organizationId) {
    Optional<Notification> notification = Notification.of(event);
    if (organizationId.isEmpty() || notification.isEmpty()) {
      return;
    }
    List<Webhook> targets = webhooks.subscribedTo(organizationId.get(), notification.get().type()).stream().filter(w -> w.wants(event)).toList();
    if (targets.isEmpty()) {
      return;
    }
    String body = body(notification.get());
    Instant now = clock.instant();
    int queued = 0;
    for (Webhook webhook : targets) {
      Delivery delivery = Delivery.due(UUID.randomUUID(), webhook.id(), notification.get().id(), notification.get().type(), now);
      if (webhooks.insertDelivery(delivery, event.key(), body)) {
        scheduler.getObject().scheduleIfNotExists(deliveryTask.instance(delivery.id().toString()), now);
        queued++;
      }
    }
    LOG.info("{} of cluster {}: {} webhook deliveries queued", event.action(), event.clusterId(), queued);
    if (queued > 0) {
      sendAfterCommit();
    }
  }

  private String body(Notification notification) {
    try {
      return json.writeValueAsString(WebhookPayload.of(notification));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a webhook body could not be written", e); // plain strings, numbers, an instant: a defect
    }
  }

  /** The due check must see the rows: after the recording transaction commits, not before. */
  private void sendAfterCommit() {
    AfterCommit.run(() -> scheduler.getObject().triggerCheckForDueExecutions());
  }
}
