package dev.backstop.server.metrics;

import dev.backstop.server.persistence.AfterCommit;
import dev.backstop.core.backup.Backup;
import dev.backstop.core.backup.BackupState;
import dev.backstop.core.event.Event;
import dev.backstop.core.replication.ReplicationState;
import dev.backstop.core.restore.PhaseRun;
import dev.backstop.core.restore.Restore;
import dev.backstop.core.restore.RestoreState;
import dev.backstop.server.event.RecordedEventListener;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Counts and times what the use cases tell ({@link Event}s), once each: the {@link
 * dev.backstop.server.event.EventHub} tells a listener only the first time an event is recorded,
 * so an operation run again after a crash is not counted twice. The meters change once the
 * transaction that recorded the event committed (never for an event whose record rolled back),
 * on the instance that recorded it: sum over the instances.
 */
@Component
public class EventMetrics implements RecordedEventListener {

  private final BackstopMeters meters;
  private final ClusterGauges gauges;

  public EventMetrics(BackstopMeters meters, ClusterGauges gauges) {
    this.meters = meters;
    this.gauges = gauges;
  }

  @Override
  public void recorded(Event event, Optional<UUID> organizationId) {
    AfterCommit.run(() -> count(event));
  }

  /** Changes the meters for one recorded event. */
  void count(Event event) {
    switch (event) {
      case Event.BackupEnded ended -> {
        backupEnded(ended);
        gauges.refreshSoon();
      }
      case Event.ReplicationEnded ended -> {
        replicationEnded(ended.backup());
        gauges.refreshSoon();
      }
      case Event.RestoreEnded ended -> restoreEnded(ended.restore());
      case Event.ScheduledRunStarted started -> meters.scheduleRuns(started.clusterId(), BackstopMeters.STARTED).increment();
      case Event.ScheduledRunSkipped skipped -> meters.scheduleRuns(skipped.clusterId(), BackstopMeters.SKIPPED).increment();
      case Event.OperationTakenOver takenOver -> meters.takeovers().increment();
      case Event.RetentionDeletion deletion -> gauges.refreshSoon();
      case Event.BackupDamaged damaged -> gauges.refreshSoon(); // no longer the last good backup
      case Event.BackupRemoved removed -> gauges.refreshSoon();
      case Event.ClusterRemoved removed -> gauges.refreshSoon();
      case Event.NoRecentBackup overdue -> {
        // the per-cluster age gauges show it; alert rules decide
      }
    }
  }

  private void backupEnded(Event.BackupEnded ended) {
    Backup backup = ended.backup();
    String outcome = backup.state() == BackupState.COMPLETED ? BackstopMeters.COMPLETED : BackstopMeters.FAILED;
    meters.backups(backup.clusterId(), backup.type(), outcome).increment();
    Instant end = backup.completedAt().orElse(ended.at());
    meters.backupDuration(backup.type(), outcome).record(nonNegative(Duration.between(backup.createdAt(), end)));
  }

  private void replicationEnded(Backup backup) {
    boolean completed = backup.replication().state() == ReplicationState.COMPLETED;
    meters.replications(backup.clusterId(), completed ? BackstopMeters.COMPLETED : BackstopMeters.FAILED).increment();
    if (completed) {
      // The backup's bytes over all its attempts (a retry skips what was copied): counted once, here.
      meters.replicationBytes(backup.clusterId()).increment(backup.replication().bytes());
    } else {
      meters.replicationFailures(backup.clusterId()).increment();
    }
  }

  private void restoreEnded(Restore restore) {
    String outcome = restore.state() == RestoreState.COMPLETED ? BackstopMeters.COMPLETED : BackstopMeters.FAILED;
    meters.restores(restore.clusterId(), outcome).increment();
    restore.endedAt().ifPresent(end -> meters.restoreDuration(outcome).record(nonNegative(Duration.between(restore.requestedAt(), end))));
    for (PhaseRun run : restore.phases()) {
      if (run.state() == PhaseRun.State.COMPLETED && run.startedAt().isPresent() && run.endedAt().isPresent()) {
        meters.restorePhaseDuration(run.phase()).record(nonNegative(Duration.between(run.startedAt().get(), run.endedAt().get())));
      }
    }
  }

  private static Duration nonNegative(Duration duration) {
    return duration.isNegative() ? Duration.ZERO : duration;
  }
}
