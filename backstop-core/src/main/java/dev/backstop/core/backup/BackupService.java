package dev.backstop.core.backup;

import dev.backstop.core.cluster.Cluster;
import dev.backstop.core.cluster.ClusterDirectory;
import dev.backstop.core.cluster.ClusterDirectory.ClusterContext;
import dev.backstop.core.policy.Admission;
import dev.backstop.core.policy.Retention;
import dev.backstop.core.procedure.BackupProcedure;
import dev.backstop.core.procedure.ClusterApis;
import dev.backstop.core.procedure.ClusterApisFactory;
import dev.backstop.core.procedure.Outcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The backup use cases: request a backup (admission, id allocation, record), run its procedure,
 * apply retention, delete backups, and take over work another instance (or an earlier run of this
 * one) left unfinished.
 *
 * <p>Work runs on the given executor; whoever runs a backup's procedure or deletion holds its
 * lease in the repository, so that a Backstop that died leaves its work to be taken over once its
 * leases expire, and two live instances never work on the same backup.
 */
public final class BackupService {

  private static final Logger LOG = Logger.getLogger(BackupService.class.getName());

  /** The outcome of a request for a backup. */
  public sealed interface RequestResult {}

  public record Accepted(Backup backup) implements RequestResult {}

  public record Rejected(Admission.Rejected rejection) implements RequestResult {}

  public record ClusterNotFound() implements RequestResult {}

  /** Told when a backup's procedure ended, completed or failed (e.g. to update a schedule's history). */
  @FunctionalInterface
  public interface EndListener {
    void ended(Backup backup);

    EndListener NONE = backup -> {};
  }

  /** The outcome of a request to delete a backup. */
  public sealed interface DeleteResult {}

  public record DeletionStarted(Backup backup) implements DeleteResult {}

  public record StillInProgress(Backup backup) implements DeleteResult {}

  public record BackupNotFound() implements DeleteResult {}

  private final BackupRepository backups;
  private final ClusterDirectory clusters;
  private final ClusterApisFactory apis;
  private final BackupProcedure procedure;
  private final Clock clock;
  private final Executor executor;
  private final String instanceId;
  private final Duration lease;
  private volatile EndListener endListener = EndListener.NONE;

  public BackupService(
      BackupRepository backups,
      ClusterDirectory clusters,
      ClusterApisFactory apis,
      BackupProcedure procedure,
      Clock clock,
      Executor executor,
      String instanceId,
      Duration lease) {
    this.backups = backups;
    this.clusters = clusters;
    this.apis = apis;
    this.procedure = procedure;
    this.clock = clock;
    this.executor = executor;
    this.instanceId = instanceId;
    this.lease = lease;
  }

  public void onEnded(EndListener listener) {
    this.endListener = listener;
  }

  /**
   * Asks for a scheduled backup: the same procedure, type SCHEDULED, not rate-limited. Rejected
   * (never queued) while another backup or a restore runs.
   */
  public RequestResult requestScheduledBackup(String clusterId) {
    return request(clusterId, Optional.empty(), BackupType.SCHEDULED);
  }

  /**
   * Asks for a manual backup: admitted or rejected atomically (a rejected request changes
   * nothing), then run in the background.
   */
  public RequestResult requestManualBackup(String clusterId, Optional<String> name) {
    return request(clusterId, name, BackupType.MANUAL);
  }

  private RequestResult request(String clusterId, Optional<String> name, BackupType type) {
    Optional<ClusterContext> found = clusters.find(clusterId);
    if (found.isEmpty() || found.get().deleting()) {
      return new ClusterNotFound();
    }
    RequestResult result;
    try {
      result =
          backups.inClusterTransaction(
              clusterId,
              () -> {
                ClusterContext context = clusters.find(clusterId).orElseThrow();
                Instant now = clock.instant();
                List<Backup> existing = backups.list(clusterId);
                Admission.Decision decision =
                    type == BackupType.MANUAL
                        ? Admission.ofManualBackup(context.plan(), context.cluster().generation(), existing, false, context.policy(), now)
                        : Admission.ofScheduledBackup(context.plan(), context.cluster().generation(), existing, false);
                return switch (decision) {
                  case Admission.Rejected rejected -> new Rejected(rejected);
                  case Admission.Admitted admitted -> {
                    BackupId id = BackupId.next(backups.lastAllocatedId(clusterId), now);
                    backups.recordAllocatedId(clusterId, id);
                    Backup backup = Backup.requested(clusterId, id, name, type, context.cluster().backupComponents(), now);
                    backups.insert(backup, instanceId, now.plus(lease));
                    yield new Accepted(backup);
                  }
                };
              });
    } catch (BackupRepository.OperationRunningException e) {
      result =
          new Rejected(new Admission.Rejected(Admission.Rejection.OPERATION_RUNNING, e.getMessage(), Optional.empty()));
    }
    if (result instanceof Accepted accepted) {
      executor.execute(() -> runProcedure(accepted.backup()));
    }
    return result;
  }

  /** Runs (or carries on) a backup's procedure; then, if it completed, the cluster's retention. */
  void runProcedure(Backup backup) {
    Optional<ClusterContext> context = clusters.find(backup.clusterId());
    if (context.isEmpty()) {
      return;
    }
    Cluster cluster = context.get().cluster();
    ClusterApis clusterApis = apis.connect(cluster);
    if (backup.step() == BackupStep.REQUESTED) {
      awaitDeletions(backup);
    }
    Backup ended;
    try {
      ended = procedure.run(backup, cluster, clusterApis);
    } catch (BackupProcedure.Halt halt) {
      LOG.log(Level.WARNING, "Backup " + backup.id() + " of " + backup.clusterId() + " halted; it will be taken over", halt);
      return; // keep the lease: it expires, and the work is taken over then
    }
    LOG.info(
        () -> "Backup " + ended.id() + " of " + ended.clusterId() + " ended " + ended.state() + ended.failureReason().map(r -> ": " + r).orElse(""));
    try {
      endListener.ended(ended);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "End listener failed for backup " + ended.id(), e);
    }
    // After every end: completed backups push old ones out; failed ones are kept within their own limits.
    applyRetention(context.get());
    if (!ended.exportingPaused()) {
      backups.release(ended.clusterId(), ended.id());
    }
  }

  /**
   * Before a new backup touches the components: lets the cluster's running deletions finish, for
   * at most {@link #DELETIONS_WAIT}. A snapshot deleted while another is taken in the same
   * repository can leave the new one PARTIAL (seen with OpenSearch 3.1).
   */
  private void awaitDeletions(Backup backup) {
    Instant until = clock.instant().plus(DELETIONS_WAIT);
    while (backups.list(backup.clusterId()).stream().anyMatch(b -> b.state() == BackupState.DELETING)
        && clock.instant().isBefore(until)) {
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** How long a new backup waits for the cluster's deletions to finish. */
  static final Duration DELETIONS_WAIT = Duration.ofMinutes(2);

  /** Deletes the backups that the cluster's retention lets go. */
  public void applyRetention(ClusterContext context) {
    List<Backup> all = backups.list(context.cluster().id());
    List<Retention.Expired> expired =
        new java.util.ArrayList<>(Retention.ofManualBackups(all, context.policy()));
    expired.addAll(Retention.ofScheduledBackups(all, context.policy()));
    for (Retention.Expired backup : expired) {
      LOG.info(() -> "Retention deletes backup " + backup.backup().id() + " of " + context.cluster().id() + ": " + backup.reason());
      delete(context.cluster().id(), backup.backup().id());
    }
  }

  /**
   * Deletes a backup: DELETING at once, gone once every component dropped its part. Idempotent
   * for a backup already DELETING. Not while it is IN_PROGRESS.
   */
  public DeleteResult delete(String clusterId, BackupId id) {
    DeleteResult result;
    try {
      result =
          backups.inClusterTransaction(
              clusterId,
              () -> {
                Optional<Backup> found = backups.find(clusterId, id);
                if (found.isEmpty()) {
                  return new BackupNotFound();
                }
                Backup backup = found.get();
                return switch (backup.state()) {
                  case IN_PROGRESS -> new StillInProgress(backup);
                  case DELETING -> new DeletionStarted(backup);
                  case COMPLETED, FAILED -> {
                    if (backup.procedureUnfinished()) {
                      yield new StillInProgress(backup); // a failed backup still cleaning up
                    }
                    Backup deleting = backup.startDeleting(clock.instant());
                    backups.update(deleting);
                    // Leased to this instance: nobody else takes the deletion over while it runs.
                    backups.lease(clusterId, id, instanceId, clock.instant().plus(lease));
                    yield new DeletionStarted(deleting);
                  }
                };
              });
    } catch (java.util.NoSuchElementException clusterGone) {
      return new BackupNotFound();
    }
    if (result instanceof DeletionStarted started) {
      executor.execute(() -> deleteParts(started.backup()));
    }
    return result;
  }

  /** Deletes what each component holds of the backup; removes it when all are gone. */
  void deleteParts(Backup backup) {
    Optional<ClusterContext> context = clusters.find(backup.clusterId());
    if (context.isEmpty()) {
      return;
    }
    ClusterApis clusterApis = apis.connect(context.get().cluster());
    Backup current = backup;
    boolean allGone = true;
    for (Component component : List.copyOf(current.parts().keySet())) {
      ComponentPart part = current.part(component).orElseThrow();
      if (part.state() == PartState.DELETED || part.state() == PartState.PENDING) {
        continue;
      }
      Outcome<Void> deleted = procedure.deleteAndConfirm(current, component, part, clusterApis);
      if (deleted instanceof Outcome.Ok) {
        current = current.withPart(component, part.with(PartState.DELETED, "deleted"));
      } else {
        allGone = false;
        current = current.withPart(component, part.with(part.state(), "deletion pending: " + deleted.describe()));
      }
      backups.update(current);
    }
    if (allGone) {
      backups.remove(current.clusterId(), current.id());
      Backup gone = current;
      LOG.info(() -> "Backup " + gone.id() + " of " + gone.clusterId() + " deleted");
    }
    // else: the lease runs out, and the deletion is retried by whoever takes it over
  }

  /**
   * Takes over abandoned work: procedures of a Backstop that stopped, deletions that could not
   * finish, exporting that could not be resumed. Call it at start and then periodically.
   */
  public void recoverAbandonedWork() {
    Instant now = clock.instant();
    for (Backup backup : backups.claimAbandoned(instanceId, now, now.plus(lease))) {
      LOG.info(() -> "Taking over backup " + backup.id() + " of " + backup.clusterId() + " at " + backup.state() + "/" + backup.step());
      if (backup.state() == BackupState.DELETING) {
        executor.execute(() -> deleteParts(backup));
      } else if (backup.procedureUnfinished()) {
        executor.execute(() -> runProcedure(backup));
      } else if (backup.exportingPaused()) {
        executor.execute(() -> resumeExporting(backup));
      }
    }
  }

  /** A finished backup that could not resume exporting: try again. */
  void resumeExporting(Backup backup) {
    clusters.find(backup.clusterId()).ifPresent(context -> {
      Outcome<Void> resumed = apis.connect(context.cluster()).zeebe().resumeExporting();
      if (resumed instanceof Outcome.Ok) {
        backups.update(backup.withExportingPaused(false));
        backups.release(backup.clusterId(), backup.id());
        LOG.info(() -> "Exporting of " + backup.clusterId() + " resumed after backup " + backup.id());
      }
    });
  }

  /** Extends the leases on the work this instance is doing; call it well within the lease. */
  public void renewLeases() {
    backups.renewLeases(instanceId, clock.instant().plus(lease));
  }
}
