package dev.backstop.core.event;

import dev.backstop.core.backup.Backup;
import dev.backstop.core.backup.BackupId;
import dev.backstop.core.backup.BackupState;
import dev.backstop.core.replication.ReplicationState;
import dev.backstop.core.restore.RestoreState;
import dev.backstop.core.restore.Restore;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Something that happened without a request asking for it at that moment. Every event has a
 * {@link #key}: an operation may be run again after a crash and tell the same event twice, and the
 * two carry the same key, so that listeners record and notify it once.
 */
public sealed interface Event {

  /** When it happened. */
  Instant at();

  String clusterId();

  /** The same for the same happening, however often it is told. */
  String key();

  /** What happened, as the audit trail names it (e.g. {@code backup.failed}). */
  String action();

  /** Whether it went as it should ({@code false}: a failure someone should look at). */
  default boolean succeeded() {
    return true;
  }

  /** The backup it concerns, if one. */
  default Optional<BackupId> backupId() {
    return Optional.empty();
  }

  /** The restore it concerns, if one. */
  default Optional<String> restoreId() {
    return Optional.empty();
  }

  /** In words, for the audit trail and notifications. */
  String detail();

  /** A backup's procedure ended: COMPLETED or FAILED. */
  record BackupEnded(Instant at, Backup backup) implements Event {
    @Override
    public String clusterId() {
      return backup.clusterId();
    }

    @Override
    public String key() {
      return "backup-ended/" + backup.clusterId() + "/" + backup.id();
    }

    @Override
    public String action() {
      return succeeded() ? "backup.completed" : "backup.failed";
    }

    @Override
    public boolean succeeded() {
      return backup.state() == BackupState.COMPLETED;
    }

    @Override
    public Optional<BackupId> backupId() {
      return Optional.of(backup.id());
    }

    @Override
    public String detail() {
      return backup.type() + " backup " + backup.id() + " " + backup.state() + backup.failureReason().map(r -> ": " + r).orElse("");
    }
  }

  /** Retention started deleting a backup its cluster's policy lets go. */
  record RetentionDeletion(Instant at, String clusterId, BackupId id, String reason) implements Event {
    @Override
    public String key() {
      return "retention/" + clusterId + "/" + id;
    }

    @Override
    public String action() {
      return "backup.deleted-by-retention";
    }

    @Override
    public Optional<BackupId> backupId() {
      return Optional.of(id);
    }

    @Override
    public String detail() {
      return reason;
    }
  }

  /** A backup being deleted is gone from every component and region. */
  record BackupRemoved(Instant at, String clusterId, BackupId id) implements Event {
    @Override
    public String key() {
      return "backup-removed/" + clusterId + "/" + id;
    }

    @Override
    public String action() {
      return "backup.removed";
    }

    @Override
    public Optional<BackupId> backupId() {
      return Optional.of(id);
    }

    @Override
    public String detail() {
      return "Backup " + id + " deleted from every component and region";
    }
  }

  /** A cluster being deleted is gone, every backup of it deleted first. */
  record ClusterRemoved(Instant at, String clusterId, UUID organizationId) implements Event {
    @Override
    public String key() {
      return "cluster-removed/" + clusterId;
    }

    @Override
    public String action() {
      return "cluster.removed";
    }

    @Override
    public String detail() {
      return "Cluster " + clusterId + " deleted with all its backups";
    }
  }

  /**
   * A backup's copy to the secondary region ended: COMPLETED or FAILED (its retries spent).
   * A replication retried after failing ends again, with another end time and so another key.
   */
  record ReplicationEnded(Instant at, Backup backup) implements Event {
    @Override
    public String clusterId() {
      return backup.clusterId();
    }

    @Override
    public String key() {
      // the outcome too: a failed end and the completed end of its retry may carry the same instant
      return "replication-ended/" + backup.clusterId() + "/" + backup.id() + "/" + backup.replication().state() + "/"
          + backup.replication().endedAt().map(Instant::toString).orElse("");
    }

    @Override
    public String action() {
      return succeeded() ? "replication.completed" : "replication.failed";
    }

    @Override
    public boolean succeeded() {
      return backup.replication().state() == ReplicationState.COMPLETED;
    }

    @Override
    public Optional<BackupId> backupId() {
      return Optional.of(backup.id());
    }

    @Override
    public String detail() {
      return "Replication of backup " + backup.id() + " " + backup.replication().state() + ": " + backup.replication().objects() + " objects, "
          + backup.replication().bytes() + " bytes copied" + backup.replication().failureReason().map(r -> "; " + r).orElse("");
    }
  }

  /**
   * A check of a completed backup's objects found it damaged (an object missing, or at another
   * size), where the check before had not: it no longer counts as a good backup.
   */
  record BackupDamaged(Instant at, String clusterId, BackupId id, String problems) implements Event {
    @Override
    public String key() {
      return "backup-damaged/" + clusterId + "/" + id + "/" + at;
    }

    @Override
    public String action() {
      return "backup.damaged";
    }

    @Override
    public boolean succeeded() {
      return false;
    }

    @Override
    public Optional<BackupId> backupId() {
      return Optional.of(id);
    }

    @Override
    public String detail() {
      return "Backup " + id + " is damaged: " + problems;
    }
  }

  /** A restore ended: COMPLETED or FAILED. */
  record RestoreEnded(Instant at, Restore restore) implements Event {
    @Override
    public String clusterId() {
      return restore.clusterId();
    }

    @Override
    public String key() {
      return "restore-ended/" + restore.clusterId() + "/" + restore.id();
    }

    @Override
    public String action() {
      return succeeded() ? "restore.completed" : "restore.failed";
    }

    @Override
    public boolean succeeded() {
      return restore.state() == RestoreState.COMPLETED;
    }

    @Override
    public Optional<BackupId> backupId() {
      return Optional.of(restore.backupId());
    }

    @Override
    public Optional<String> restoreId() {
      return Optional.of(restore.id());
    }

    @Override
    public String detail() {
      return "Restore of backup " + restore.backupId() + " from " + restore.sourceRegion() + " " + restore.state() + " at " + restore.phase()
          + restore.failureReason().map(r -> ": " + r).orElse("");
    }
  }

  /** A scheduled run started its backup. */
  record ScheduledRunStarted(Instant at, String clusterId, Instant dueAt, BackupId id) implements Event {
    @Override
    public String key() {
      return "schedule-run/" + clusterId + "/" + dueAt;
    }

    @Override
    public String action() {
      return "schedule.run-started";
    }

    @Override
    public Optional<BackupId> backupId() {
      return Optional.of(id);
    }

    @Override
    public String detail() {
      return "Scheduled backup " + id + " started (due at " + dueAt + ")";
    }
  }

  /** A scheduled run did not start a backup (another operation ran, Backstop was down too long…). */
  record ScheduledRunSkipped(Instant at, String clusterId, Instant dueAt, String reason) implements Event {
    @Override
    public String key() {
      return "schedule-run/" + clusterId + "/" + dueAt;
    }

    @Override
    public String action() {
      return "schedule.run-skipped";
    }

    @Override
    public boolean succeeded() {
      return false;
    }

    @Override
    public String detail() {
      return "Scheduled run due at " + dueAt + " skipped: " + reason;
    }
  }

  /** An instance took over an operation whose instance stopped heartbeating (crashed or stalled). */
  record OperationTakenOver(Instant at, String clusterId, String operation, long run, Optional<BackupId> backup, Optional<String> restore)
      implements Event {
    @Override
    public String key() {
      return "takeover/" + operation + "/" + run;
    }

    @Override
    public String action() {
      return "operation.taken-over";
    }

    @Override
    public Optional<BackupId> backupId() {
      return backup;
    }

    @Override
    public Optional<String> restoreId() {
      return restore;
    }

    @Override
    public String detail() {
      return "Operation " + operation + " taken over (its instance stopped heartbeating)";
    }
  }

  /** No backup of the cluster completed for longer than a watcher's threshold. */
  record NoRecentBackup(Instant at, String clusterId, Optional<Instant> lastCompletedAt, long thresholdHours) implements Event {
    @Override
    public String key() {
      return "no-recent-backup/" + clusterId + "/" + thresholdHours + "/" + lastCompletedAt.map(Instant::toString).orElse("never");
    }

    @Override
    public String action() {
      return "backup.overdue";
    }

    @Override
    public boolean succeeded() {
      return false;
    }

    @Override
    public String detail() {
      return "No backup completed for more than " + thresholdHours + " h"
          + lastCompletedAt.map(t -> " (last completed at " + t + ")").orElse(" (none ever completed)");
    }
  }
}
