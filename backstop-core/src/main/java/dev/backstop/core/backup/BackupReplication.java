package dev.backstop.core.backup;

import dev.backstop.core.cluster.Cluster;
import dev.backstop.core.event.Event;
import dev.backstop.core.event.EventSink;
import dev.backstop.core.operation.Ownership;
import dev.backstop.core.operation.OwnershipLost;
import dev.backstop.core.operation.RetryState;
import dev.backstop.core.operation.RunOutcome;
import dev.backstop.core.replication.Replication;
import dev.backstop.core.replication.ReplicationException;
import dev.backstop.core.replication.Replicator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The replication step of a backup's operation: copies a completed backup of a dual-region
 * cluster to its secondary region, records what was copied as it goes, and turns failures into
 * retries with backoff until {@link BackupService.ReplicationSettings#attempts} are spent, then into a FAILED replication
 * with the reason.
 */
final class BackupReplication {

  private static final Logger LOG = Logger.getLogger(BackupReplication.class.getName());

  private final BackupRepository backups;
  private final Replicator replicator;
  private final Clock clock;
  private final BackupService.ReplicationSettings settings;
  private volatile EventSink events = EventSink.NONE;

  BackupReplication(BackupRepository backups, Replicator replicator, Clock clock, BackupService.ReplicationSettings settings) {
    this.backups = backups;
    this.replicator = replicator;
    this.clock = clock;
    this.settings = settings;
  }

  void publishEventsTo(EventSink sink) {
    this.events = sink;
  }

  private void publishEnded(Backup ended) {
    try {
      events.publish(new Event.ReplicationEnded(ended.replication().endedAt().orElseGet(clock::instant), ended));
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Could not tell the end of backup " + ended.id() + "'s replication", e);
    }
  }

  /** One attempt; the outcome says when to run again, if at all. */
  RunOutcome run(Backup backup, Cluster cluster, Ownership owner) {
    Backup started = backup.withReplication(backup.replication().inProgress(clock.instant()));
    backups.update(started, owner);
    Counts counts = new Counts(started, owner);
    try {
      Replicator.Copied copied = replicator.replicate(cluster, backup.id(), counts);
      Instant now = clock.instant();
      Backup done = counts.latest().withReplication(counts.total().completed(now)).withRetry(started.retry().map(r -> r.succeeded(now)).orElse(null));
      backups.update(done, owner);
      publishEnded(done);
      LOG.info(() -> "Backup " + backup.id() + " of " + cluster.id() + " replicated to " + cluster.location().secondaryRegion().orElseThrow() + ": "
          + copied.objects() + " objects (" + copied.bytes() + " bytes) copied, " + copied.alreadyThere() + " already there");
      return RunOutcome.finished();
    } catch (ReplicationException e) {
      counts.lostCheck();
      Instant now = clock.instant();
      RetryState retry = RetryState.failed(started.retry(), e.getMessage(), now, settings.retries());
      Backup latest = counts.latest().withReplication(counts.total());
      if (retry.attempts() >= settings.attempts()) {
        String reason = "Replication to " + cluster.location().secondaryRegion().orElseThrow() + " failed " + retry.attempts() + " times; last: " + e.getMessage();
        Backup failed = latest.withReplication(latest.replication().failed(reason, now)).withRetry(new RetryState(retry.attempts(), now, e.getMessage(), Optional.empty()));
        backups.update(failed, owner);
        publishEnded(failed);
        LOG.warning(() -> "Backup " + backup.id() + " of " + cluster.id() + ": " + reason);
        return RunOutcome.finished();
      }
      backups.update(latest.withRetry(retry), owner);
      LOG.info(() -> "Backup " + backup.id() + " of " + cluster.id() + ": replication attempt " + retry.attempts() + " failed, retried at " + retry.nextAttemptAt().orElseThrow() + ": " + e.getMessage());
      return new RunOutcome.RetryAt(retry.nextAttemptAt().orElseThrow(), e.getMessage());
    }
  }

  /** Counts the copies and saves them every {@link BackupService.ReplicationSettings#saveEvery}, fenced, from whichever thread copied. */
  private final class Counts implements Replicator.Progress {
    private final Ownership owner;
    private final Replication base;
    private final AtomicLong objects = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicReference<Backup> latest;
    private final AtomicReference<OwnershipLost> lost = new AtomicReference<>();
    private volatile Instant lastSave;

    Counts(Backup started, Ownership owner) {
      this.owner = owner;
      this.base = started.replication();
      this.latest = new AtomicReference<>(started);
      this.lastSave = clock.instant();
    }

    @Override
    public void copied(String key, long size) {
      objects.incrementAndGet();
      bytes.addAndGet(size);
      Instant now = clock.instant();
      if (Duration.between(lastSave, now).compareTo(settings.saveEvery()) >= 0 && lost.get() == null) {
        synchronized (this) {
          if (Duration.between(lastSave, now).compareTo(settings.saveEvery()) < 0) {
            return;
          }
          lastSave = now;
          try {
            Backup saved = latest.get().withReplication(total());
            backups.update(saved, owner);
            latest.set(saved);
          } catch (OwnershipLost e) {
            lost.set(e); // told to the run once the copies stop
          }
        }
      }
    }

    Replication total() {
      return base.copied(objects.get(), bytes.get());
    }

    Backup latest() {
      lostCheck();
      return latest.get();
    }

    void lostCheck() {
      if (lost.get() != null) {
        throw lost.get();
      }
    }
  }
}
