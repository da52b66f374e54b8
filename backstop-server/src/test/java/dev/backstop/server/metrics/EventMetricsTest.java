package dev.backstop.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.backstop.core.backup.Backup;
import dev.backstop.core.backup.BackupId;
import dev.backstop.core.backup.BackupType;
import dev.backstop.core.backup.Component;
import dev.backstop.core.event.Event;
import dev.backstop.core.replication.Replication;
import dev.backstop.core.restore.Restore;
import dev.backstop.core.restore.RestorePhase;
import dev.backstop.core.testing.SettableClock;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/** What each event does to the meters, read as Prometheus reads them. */
class EventMetricsTest {

  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final BackstopMeters meters = new BackstopMeters(registry);
  private final ClusterGauges gauges = new ClusterGauges(registry, meters, List::of, new SettableClock(T0), Duration.ofSeconds(15));
  private final EventMetrics metrics = new EventMetrics(meters, gauges);

  @Test
  void shouldCountAndTimeEndedBackupsByTypeAndOutcome() {
    // when: a manual backup completes after 95 s, a scheduled one fails after 20 s
    metrics.recorded(new Event.BackupEnded(T0.plusSeconds(95), completed("c-1", 1, BackupType.MANUAL, Duration.ofSeconds(95))), Optional.empty());
    Backup failed = backup("c-1", 2, BackupType.SCHEDULED).fail("ZEEBE failed at step 'await zeebe backup': gone", T0.plusSeconds(20));
    metrics.recorded(new Event.BackupEnded(T0.plusSeconds(20), failed), Optional.empty());

    // then
    Scrape scrape = scrape();
    assertThat(scrape.value("backstop_backups_total", "cluster", "c-1", "type", "MANUAL", "outcome", "completed")).hasValue(1.0);
    assertThat(scrape.value("backstop_backups_total", "cluster", "c-1", "type", "SCHEDULED", "outcome", "failed")).hasValue(1.0);
    assertThat(scrape.value("backstop_backup_duration_seconds_count", "type", "MANUAL", "outcome", "completed")).hasValue(1.0);
    assertThat(scrape.value("backstop_backup_duration_seconds_sum", "type", "MANUAL", "outcome", "completed")).hasValue(95.0);
    assertThat(scrape.value("backstop_backup_duration_seconds_sum", "type", "SCHEDULED", "outcome", "failed")).hasValue(20.0);
    // as a histogram: 95 s is in the 120 s bucket, not the 60 s one
    assertThat(scrape.value("backstop_backup_duration_seconds_bucket", "type", "MANUAL", "outcome", "completed", "le", "60.0")).hasValue(0.0);
    assertThat(scrape.value("backstop_backup_duration_seconds_bucket", "type", "MANUAL", "outcome", "completed", "le", "120.0")).hasValue(1.0);
  }

  @Test
  void shouldCountReplicationsTheirFailuresAndTheBytesOfEachCompletedOneOnce() {
    // given: backup 1's replication fails (1000 bytes copied), is retried and completes (1500 in all)
    Backup completed = completed("dual", 1, BackupType.SCHEDULED, Duration.ofMinutes(2));
    Replication failing = Replication.pending().inProgress(T0).copied(3, 1000).failed("secondary unreachable", T0.plusSeconds(60));
    Replication retried = failing.retried().inProgress(T0.plusSeconds(120)).copied(1, 500).completed(T0.plusSeconds(150));

    // when
    metrics.recorded(new Event.ReplicationEnded(T0.plusSeconds(60), completed.withReplication(failing)), Optional.empty());
    metrics.recorded(new Event.ReplicationEnded(T0.plusSeconds(150), completed.withReplication(retried)), Optional.empty());

    // then
    Scrape scrape = scrape();
    assertThat(scrape.value("backstop_replications_total", "cluster", "dual", "outcome", "failed")).hasValue(1.0);
    assertThat(scrape.value("backstop_replications_total", "cluster", "dual", "outcome", "completed")).hasValue(1.0);
    assertThat(scrape.value("backstop_replication_failures_total", "cluster", "dual")).hasValue(1.0);
    assertThat(scrape.value("backstop_replication_bytes_total", "cluster", "dual")).hasValue(1500.0);
  }

  @Test
  void shouldCountAndTimeRestoresAndTheirCompletedPhases() {
    // given: a restore whose phases each take a minute, and that fails in VERIFY
    Restore restore = Restore.requested("r-1", "c-1", new BackupId(7), "local-a", T0);
    Instant at = T0;
    for (RestorePhase phase : List.of(RestorePhase.PREFLIGHT, RestorePhase.STOP_COMPONENTS, RestorePhase.DELETE_INDICES, RestorePhase.RESTORE_SNAPSHOTS,
        RestorePhase.RESTORE_ZEEBE, RestorePhase.START_COMPONENTS)) {
      restore = restore.starting(phase, at).completed(phase, "done", at.plusSeconds(60));
      at = at.plusSeconds(60);
    }
    restore = restore.starting(RestorePhase.VERIFY, at).failed(RestorePhase.VERIFY, "partition 2 unhealthy", at.plusSeconds(30));

    // when
    metrics.recorded(new Event.RestoreEnded(at.plusSeconds(30), restore), Optional.empty());

    // then
    Scrape scrape = scrape();
    assertThat(scrape.value("backstop_restores_total", "cluster", "c-1", "outcome", "failed")).hasValue(1.0);
    assertThat(scrape.value("backstop_restore_duration_seconds_sum", "outcome", "failed")).hasValue(6 * 60.0 + 30);
    assertThat(scrape.value("backstop_restore_phase_duration_seconds_sum", "phase", "RESTORE_ZEEBE")).hasValue(60.0);
    assertThat(scrape.value("backstop_restore_phase_duration_seconds_count", "phase", "PREFLIGHT")).hasValue(1.0);
    // the failed phase is not timed as a phase: the restore's outcome tells
    assertThat(scrape.value("backstop_restore_phase_duration_seconds_count", "phase", "VERIFY")).isEmpty();
  }

  @Test
  void shouldCountScheduledRunsAndTakeovers() {
    metrics.recorded(new Event.ScheduledRunStarted(T0, "c-1", T0, new BackupId(3)), Optional.empty());
    metrics.recorded(new Event.ScheduledRunSkipped(T0, "c-1", T0.plusSeconds(86400), "a backup is running"), Optional.empty());
    metrics.recorded(new Event.ScheduledRunSkipped(T0, "c-1", T0.plusSeconds(2 * 86400), "a backup is running"), Optional.empty());
    metrics.recorded(new Event.OperationTakenOver(T0, "c-1", "c-1/3", 2, Optional.of(new BackupId(3)), Optional.empty()), Optional.empty());

    Scrape scrape = scrape();
    assertThat(scrape.value("backstop_schedule_runs_total", "cluster", "c-1", "outcome", "started")).hasValue(1.0);
    assertThat(scrape.value("backstop_schedule_runs_total", "cluster", "c-1", "outcome", "skipped")).hasValue(2.0);
    assertThat(scrape.value("backstop_operations_taken_over_total")).hasValue(1.0);
  }

  @Test
  void shouldCountAnEventOnlyOnceItsRecordCommitted() {
    Event ended = new Event.BackupEnded(T0.plusSeconds(60), completed("c-1", 1, BackupType.MANUAL, Duration.ofSeconds(60)));

    // a record that rolled back: not counted (the event is told again, and counted then)
    TransactionSynchronizationManager.initSynchronization();
    try {
      metrics.recorded(ended, Optional.empty());
      assertThat(scrape().valueOrZero("backstop_backups_total", "cluster", "c-1", "type", "MANUAL", "outcome", "completed")).isZero();
      TransactionSynchronizationManager.getSynchronizations().forEach(sync -> sync.afterCompletion(TransactionSynchronization.STATUS_ROLLED_BACK));
    } finally {
      TransactionSynchronizationManager.clearSynchronization();
    }
    assertThat(scrape().valueOrZero("backstop_backups_total", "cluster", "c-1", "type", "MANUAL", "outcome", "completed")).isZero();

    // a record that committed: counted then
    TransactionSynchronizationManager.initSynchronization();
    try {
      metrics.recorded(ended, Optional.empty());
      TransactionSynchronizationManager.getSynchronizations().forEach(TransactionSynchronization::afterCommit);
    } finally {
      TransactionSynchronizationManager.clearSynchronization();
    }
    assertThat(scrape().value("backstop_backups_total", "cluster", "c-1", "type", "MANUAL", "outcome", "completed")).hasValue(1.0);
  }

  @Test
  void shouldTimeTheProcedureAsTheObserverIsTold() {
    ProcedureMetrics procedure = new ProcedureMetrics(meters);
    Backup backup = backup("c-1", 1, BackupType.MANUAL);

    procedure.stepCompleted(backup, dev.backstop.core.backup.BackupStep.AWAIT_ZEEBE_BACKUP, Duration.ofMillis(2500));
    procedure.componentCompleted(backup, Component.OPERATE, Duration.ofSeconds(12));
    procedure.exportingResumed(backup, Duration.ofMillis(4200));

    Scrape scrape = scrape();
    assertThat(scrape.value("backstop_backup_step_duration_seconds_sum", "step", "AWAIT_ZEEBE_BACKUP")).hasValue(2.5);
    assertThat(scrape.value("backstop_backup_component_duration_seconds_count", "component", "OPERATE")).hasValue(1.0);
    assertThat(scrape.value("backstop_exporting_paused_seconds_count")).hasValue(1.0);
    assertThat(scrape.value("backstop_exporting_paused_seconds_sum").orElseThrow()).isCloseTo(4.2, within(1e-9));
  }

  private Scrape scrape() {
    return new Scrape(registry.scrape());
  }

  static Backup backup(String cluster, long id, BackupType type) {
    return Backup.requested(cluster, new BackupId(id), Optional.empty(), type, Set.of(Component.ZEEBE, Component.OPERATE, Component.ZEEBE_RECORDS), T0);
  }

  static Backup completed(String cluster, long id, BackupType type, Duration took) {
    return backup(cluster, id, type).complete(T0.plus(took));
  }
}
