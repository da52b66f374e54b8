package dev.backstop.server.schedule;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import com.github.kagkarlsson.scheduler.task.ExecutionContext;
import com.github.kagkarlsson.scheduler.task.ExecutionOperations;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import dev.backstop.core.backup.BackupService;
import dev.backstop.core.event.Event;
import dev.backstop.core.event.EventSink;
import dev.backstop.server.event.EventHub;
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
      JdbcSchedules schedules, BackupService backups, Clock clock, @Value("${backstop.schedule.grace:PT1H}") Duration grace, EventHub events) {
    return Tasks.custom(TASK_NAME, Void.class)
        .onFailure(new NextDueTimeOnFailure(schedules, clock))
        .execute((TaskInstance<Void> instance, ExecutionContext context) -> run(instance.getId(), context.getExecution().getExecutionTime(), schedules, backups, clock, grace, events));
  }

  private static CompletionHandler<Void> run(
      String clusterId, Instant plannedFor, JdbcSchedules schedules, BackupService backups, Clock clock, Duration grace, EventSink events) {
    Optional<BackupSchedule> schedule = schedules.find(clusterId).filter(BackupSchedule::enabled);
    if (schedule.isEmpty()) {
      return (complete, operations) -> operations.remove();
    }
    Instant now = clock.instant();
    switch (MissedRuns.decide(schedule.get(), plannedFor, now, grace)) {
      case MissedRuns.Skip skip -> {
        schedules.recordRun(clusterId, skip.dueAt(), now, "SKIPPED", Optional.empty(), Optional.of(skip.reason()));
        LOG.info("Scheduled backup of {} due at {} skipped: {}", clusterId, skip.dueAt(), skip.reason());
        events.publish(new Event.ScheduledRunSkipped(now, clusterId, skip.dueAt(), skip.reason()));
      }
      case MissedRuns.Run run -> {
        // The run is recorded in the transaction that records the backup: one cannot exist without the other.
        BackupService.RequestResult requested =
            backups.requestScheduledBackup(
                clusterId,
                accepted -> schedules.recordRun(clusterId, run.dueAt(), now, "IN_PROGRESS", Optional.of(accepted.id().value()), Optional.empty()));
        switch (requested) {
          case BackupService.Accepted accepted -> {
            LOG.info("Scheduled backup {} of {} started (due at {})", accepted.backup().id(), clusterId, run.dueAt());
            events.publish(new Event.ScheduledRunStarted(now, clusterId, run.dueAt(), accepted.backup().id()));
          }
          case BackupService.Rejected rejected -> {
            schedules.recordRun(clusterId, run.dueAt(), now, "SKIPPED", Optional.empty(), Optional.of(rejected.rejection().detail()));
            LOG.info("Scheduled backup of {} due at {} skipped: {}", clusterId, run.dueAt(), rejected.rejection().detail());
            events.publish(new Event.ScheduledRunSkipped(now, clusterId, run.dueAt(), rejected.rejection().detail()));
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

  /**
   * A run that threw is not retried (db-scheduler's default would run it again 5 minutes later,
   * which could start a second backup for the same due time): the next run is the next due time,
   * as for a failed backup.
   */
  static final class NextDueTimeOnFailure implements FailureHandler<Void> {
    private final JdbcSchedules schedules;
    private final Clock clock;

    NextDueTimeOnFailure(JdbcSchedules schedules, Clock clock) {
      this.schedules = schedules;
      this.clock = clock;
    }

    @Override
    public void onFailure(ExecutionComplete complete, ExecutionOperations<Void> operations) {
      String clusterId = complete.getExecution().taskInstance.getId();
      Optional<Instant> next = schedules.find(clusterId).filter(BackupSchedule::enabled).flatMap(s -> s.nextRunAfter(clock.instant()));
      LOG.warn(
          "Scheduled run of {} failed: {}; not retried, next run at {}",
          clusterId,
          complete.getCause().map(Throwable::toString).orElse("no cause"),
          next.map(Instant::toString).orElse("none"));
      next.ifPresentOrElse(at -> operations.reschedule(complete, at), operations::remove);
    }
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
