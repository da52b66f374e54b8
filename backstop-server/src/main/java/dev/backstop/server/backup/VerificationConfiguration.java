package dev.backstop.server.backup;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import dev.backstop.core.backup.BackupService;
import dev.backstop.core.event.EventSink;
import dev.backstop.core.verification.VerificationService;
import dev.backstop.server.BackupSettings;
import dev.backstop.server.Regions;
import dev.backstop.server.event.EventHub;
import dev.backstop.server.operation.OperationEngine;
import dev.backstop.server.persistence.JdbcBackupRepository;
import dev.backstop.server.persistence.JdbcClusters;
import dev.backstop.storage.replication.StoreBackupVerifier;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the verification of completed backups: each check is a one-time db-scheduler task of its
 * own ({@value #VERIFICATION_TASK}, one instance per backup, durable like the backup's operation),
 * queued when a backup or its secondary copy completes; a recurring task ({@value #SWEEP_TASK})
 * queues the checks that are due, re-checking every completed backup every {@code
 * backstop.verification.interval} (default 6 hours).
 */
@Configuration(proxyBeanMethods = false)
public class VerificationConfiguration {

  public static final String VERIFICATION_TASK = "backup-verification";
  public static final String SWEEP_TASK = "backup-verification-sweep";

  /** The sweep runs at least this often, so that a check owed (e.g. after a crash) waits no longer. */
  static final Duration LONGEST_SWEEP_DELAY = Duration.ofMinutes(1);

  private static final Logger LOG = LoggerFactory.getLogger(VerificationConfiguration.class);

  /** The engine of the verification operations; not an {@link OperationEngine} bean, which is the backups'. */
  public record VerificationEngine(OperationEngine engine) {}

  @Bean
  VerificationEngine verificationEngine(
      ObjectProvider<Scheduler> scheduler, Clock clock, ObjectProvider<VerificationService> verifications, BackupSettings settings,
      BackupConfiguration.DeadLimit deadLimit) {
    // Takeovers of a check are not told as events: a check only reads, and is simply run again.
    return new VerificationEngine(
        new OperationEngine(VERIFICATION_TASK, scheduler, clock, verifications::getObject, settings.cleanupRetries(), EventSink.NONE, deadLimit.value()));
  }

  @Bean
  CustomTask<Void> verificationTask(VerificationEngine engine) {
    return engine.engine().task();
  }

  @Bean
  VerificationService verificationService(
      JdbcBackupRepository backups, JdbcClusters clusters, Regions regions, VerificationEngine engine, Clock clock, EventHub events,
      BackupService backupService,
      @Value("${backstop.verification.interval:PT6H}") Duration interval,
      @Value("${backstop.verification.retry-after:PT1M}") Duration retryAfter,
      @Value("${backstop.verification.per-sweep:20}") int perSweep) {
    VerificationService service =
        new VerificationService(
            backups, clusters, new StoreBackupVerifier(regions), backups, engine.engine(), clock, new VerificationService.Settings(interval, retryAfter, perSweep));
    service.publishEventsTo(events);
    backupService.verifyWith(service);
    return service;
  }

  @Bean
  RecurringTask<Void> verificationSweepTask(
      ObjectProvider<VerificationService> verifications, @Value("${backstop.verification.interval:PT6H}") Duration interval) {
    Duration every = interval.compareTo(LONGEST_SWEEP_DELAY) < 0 ? interval : LONGEST_SWEEP_DELAY;
    return Tasks.recurring(SWEEP_TASK, FixedDelay.of(every))
        .execute((instance, context) -> {
          int queued = verifications.getObject().queueDue();
          if (queued > 0) {
            LOG.debug("{} backups are due to be verified", queued);
          }
        });
  }
}
