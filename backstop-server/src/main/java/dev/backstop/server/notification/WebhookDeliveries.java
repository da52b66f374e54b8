package dev.backstop.server.notification;

import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import com.github.kagkarlsson.scheduler.task.ExecutionOperations;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import dev.backstop.core.notification.Attempt;
import dev.backstop.core.notification.Delivery;
import dev.backstop.core.notification.RetrySchedule;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The db-scheduler task that sends webhook deliveries ({@value #TASK_NAME}): one task instance per
 * delivery, named by its id, due when its next attempt is. db-scheduler hands an execution to one
 * instance at a time (the pick is a conditional update of the task's row), so across any number
 * of Backstop instances one delivery is sent by one of them at a time; the delivery's row is the
 * truth about its attempts, and the task only its timer.
 *
 * <p>An execution makes one attempt ({@link WebhookSender}), records it ({@link Delivery#after},
 * written only if no other run recorded an attempt meanwhile) and reschedules itself for the next
 * attempt, or ends. A delivery whose webhook was deleted ends without being sent. An instance that
 * dies while sending has its execution revived elsewhere, which sends again: delivery is at least
 * once, and the {@code Backstop-Delivery} header lets receivers drop the repeat.
 */
@Configuration(proxyBeanMethods = false)
public class WebhookDeliveries {

  public static final String TASK_NAME = "webhook-delivery";

  private static final Logger LOG = LoggerFactory.getLogger(WebhookDeliveries.class);

  @Bean
  CustomTask<Void> webhookDeliveryTask(JdbcWebhooks webhooks, WebhookSecrets secrets, WebhookSender sender, NotificationSettings settings, Clock clock) {
    RetrySchedule schedule = settings.retrySchedule();
    return Tasks.custom(TASK_NAME, Void.class)
        .onFailure(new AgainLater(schedule, clock))
        .execute((instance, context) -> attempt(UUID.fromString(instance.getId()), webhooks, secrets, sender, schedule, clock));
  }

  static CompletionHandler<Void> attempt(UUID deliveryId, JdbcWebhooks webhooks, WebhookSecrets secrets, WebhookSender sender, RetrySchedule schedule, Clock clock) {
    Optional<JdbcWebhooks.Due> found = webhooks.due(deliveryId);
    if (found.isEmpty() || found.get().delivery().state() != Delivery.State.PENDING) {
      return (complete, operations) -> operations.remove(); // its webhook was deleted, or it ended
    }
    JdbcWebhooks.Due due = found.get();
    Delivery before = due.delivery();
    Instant dueAt = before.nextAttemptAt().orElseThrow();
    if (dueAt.isAfter(clock.instant())) {
      return (complete, operations) -> operations.reschedule(complete, dueAt);
    }
    Attempt attempt;
    try {
      String secret = secrets.open(before.webhookId(), due.sealedSecret());
      attempt = sender.send(due.url(), secret, before.id(), before.type(), due.payload());
    } catch (IllegalStateException unopened) {
      // A secret that does not open (another key) will not open later either: an attempt, so that it ends FAILED.
      attempt = new Attempt.NotSent(clock.instant(), unopened.getMessage());
    }
    Delivery after = before.after(attempt, schedule);
    if (!webhooks.record(after, before.attempts())) {
      // Another run recorded an attempt meanwhile (this one was taken over): it owns the task now.
      LOG.info("Webhook delivery {}: attempt {} not recorded, another run recorded one meanwhile", before.id(), after.attempts());
      return (complete, operations) -> {};
    }
    String destination = due.url().getScheme() + "://" + due.url().getAuthority(); // never the path: it may hold a token
    return switch (after.state()) {
      case DELIVERED -> {
        LOG.info("Webhook delivery {} ({}) to {}: delivered at attempt {}", after.id(), after.type().wireName(), destination, after.attempts());
        yield (complete, operations) -> operations.remove();
      }
      case PENDING -> {
        Instant next = after.nextAttemptAt().orElseThrow();
        LOG.info("Webhook delivery {} ({}) to {}: attempt {} failed ({}); next at {}", after.id(), after.type().wireName(), destination,
            after.attempts(), after.lastError().orElse(""), next);
        yield (complete, operations) -> operations.reschedule(complete, next);
      }
      case FAILED -> {
        LOG.warn("Webhook delivery {} ({}) to {}: FAILED after {} attempts, the last: {}", after.id(), after.type().wireName(), destination,
            after.attempts(), after.lastError().orElse(""));
        yield (complete, operations) -> operations.remove();
      }
    };
  }

  /**
   * An execution that broke off (the database away, a secret that does not open) runs again after
   * the schedule's longest wait, without counting an attempt: nothing was sent, or it was not recorded.
   */
  private record AgainLater(RetrySchedule schedule, Clock clock) implements FailureHandler<Void> {
    @Override
    public void onFailure(ExecutionComplete complete, ExecutionOperations<Void> operations) {
      Instant next = clock.instant().plus(schedule.max());
      LOG.warn("Webhook delivery {} broke off: {}; running it again at {}", complete.getExecution().taskInstance.getId(),
          complete.getCause().map(Throwable::toString).orElse("no cause"), next);
      operations.reschedule(complete, next);
    }
  }
}
