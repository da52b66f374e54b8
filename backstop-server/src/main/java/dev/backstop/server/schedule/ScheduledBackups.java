package dev.backstop.server.schedule;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.ExecutionContext;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import dev.backstop.core.backup.BackupService;
import dev.backstop.core.schedule.BackupSchedule;
import dev.backstop.core.schedule.MissedRuns;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The db-scheduler task that runs scheduled backups: one task instance per cluster, due at the
 * schedule's next run. Each execution decides ({@link MissedRuns}) whether to run or skip, asks for a
 * SCHEDULED backup (never queued: a running backup or restore makes it a skipped run), records the
 * run, and always reschedules itself to the next due time after now. A failed backup is therefore
 * not retried, and a Backstop that was down across due times runs once, not a backlog.
 */
@Configuration(proxyBeanMethods = false)
public class ScheduledBackups {

  public static final String TASK_NAME = "scheduled-backup";

  private static final Logger LOG = LoggerFactory.getLogger(ScheduledBackups.class);

  @Bean
  CustomTask<Void> scheduledBackupTask(
      JdbcSchedules schedules, BackupService backups, Clock clock, @Value("${backstop.schedule.grace:PT1H}") Duration grace) {
    return Tasks.custom(TASK_NAME, Void.class)
        .execute((TaskInstance<Void> instance, ExecutionContext context) -> run(instance.getId(), context.getExecution().getExecutionTime(), schedules, backups, clock, grace));
  }

  private static CompletionHandler<Void> run(
      String clusterId, Instant plannedFor, JdbcSchedules schedules, BackupService backups, Clock clock, Duration grace) {
    Optional<BackupSchedule> schedule = schedules.find(clusterId).filter(BackupSchedule::enabled);
    if (schedule.isEmpty()) {
      return (complete, operations) -> operations.remove();
    }
    Instant now = clock.instant();
    switch (MissedRuns.decide(schedule.get(), plannedFor, now, grace)) {
      case MissedRuns.Skip skip -> {
        schedules.recordRun(clusterId, skip.dueAt(), now, "SKIPPED", Optional.empty(), Optional.of(skip.reason()));
        LOG.info("Scheduled backup of {} due at {} skipped: {}", clusterId, skip.dueAt(), skip.reason());
      }
      case MissedRuns.Run run -> {
        switch (backups.requestScheduledBackup(clusterId)) {
          case BackupService.Accepted accepted -> {
            schedules.recordRun(clusterId, run.dueAt(), now, "IN_PROGRESS", Optional.of(accepted.backup().id().value()), Optional.empty());
            LOG.info("Scheduled backup {} of {} started (due at {})", accepted.backup().id(), clusterId, run.dueAt());
          }
          case BackupService.Rejected rejected -> {
            schedules.recordRun(clusterId, run.dueAt(), now, "SKIPPED", Optional.empty(), Optional.of(rejected.rejection().detail()));
            LOG.info("Scheduled backup of {} due at {} skipped: {}", clusterId, run.dueAt(), rejected.rejection().detail());
          }
          case BackupService.ClusterNotFound gone -> {
            return (complete, operations) -> operations.remove();
          }
        }
      }
    }
    Optional<Instant> next = schedule.get().nextRunAfter(now);
    return (complete, operations) -> next.ifPresentOrElse(at -> operations.reschedule(complete, at), operations::remove);
  }

  /** Keeps db-scheduler's next execution of a cluster in line with its schedule. */
  public static void plan(SchedulerClient scheduler, CustomTask<Void> task, String clusterId, Optional<Instant> next) {
    TaskInstanceId id = TaskInstanceId.of(TASK_NAME, clusterId);
    if (next.isEmpty()) {
      if (scheduler.getScheduledExecution(id).isPresent()) {
        scheduler.cancel(id);
      }
      return;
    }
    scheduler.schedule(task.instance(clusterId), next.get(), SchedulerClient.ScheduleOptions.WHEN_EXISTS_RESCHEDULE);
  }
}
