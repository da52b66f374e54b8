package dev.backstop.server.notification;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import dev.backstop.core.notification.OverdueBackups;
import dev.backstop.server.event.EventHub;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The recurring db-scheduler task ({@value #TASK_NAME}, one instance runs it at a time, every
 * {@code backstop.notifications.overdue-check-interval}) behind {@code backup.overdue}: for each
 * cluster watched by a webhook subscribing to it, {@link OverdueBackups} decides, and an overdue
 * cluster is told to the {@link EventHub} — recorded in the audit trail and notified once per
 * cluster, threshold and last completed backup, however many checks see it overdue.
 */
@Configuration(proxyBeanMethods = false)
public class OverdueBackupCheck {

  public static final String TASK_NAME = "backup-overdue-check";

  private static final Logger LOG = LoggerFactory.getLogger(OverdueBackupCheck.class);

  @Bean
  RecurringTask<Void> backupOverdueCheckTask(JdbcWebhooks webhooks, EventHub events, Clock clock, NotificationSettings settings) {
    OverdueBackups check = new OverdueBackups(webhooks::overdueWatches, events, clock);
    return Tasks.recurring(TASK_NAME, FixedDelay.of(settings.overdueCheckInterval()))
        .execute(
            (instance, context) -> {
              int overdue = check.check();
              LOG.debug("Overdue-backup check: {} watched clusters overdue", overdue);
            });
  }
}
