package dev.backstop.core.backup;

import dev.backstop.core.event.Event;
import dev.backstop.core.event.EventSink;
import dev.backstop.core.operation.Interrupted;
import dev.backstop.core.cluster.BackupLocation;
import dev.backstop.core.cluster.Cluster;
import dev.backstop.core.cluster.ClusterDirectory;
import dev.backstop.core.cluster.ClusterDirectory.ClusterContext;
import dev.backstop.core.cluster.GenerationDetector;
import dev.backstop.core.operation.Backoff;
import dev.backstop.core.operation.OperationHandler;
import dev.backstop.core.operation.OperationQueue;
import dev.backstop.core.operation.Ownership;
import dev.backstop.core.operation.RetryState;
import dev.backstop.core.operation.RunOutcome;
import dev.backstop.core.operation.Ticket;
import dev.backstop.core.policy.Admission;
import dev.backstop.core.policy.Retention;
import dev.backstop.core.procedure.BackupProcedure;
import dev.backstop.core.replication.Replication;
import dev.backstop.core.replication.ReplicationException;
import dev.backstop.core.replication.ReplicationState;
import dev.backstop.core.replication.Replicator;
import dev.backstop.core.procedure.ClusterApis;
import dev.backstop.core.procedure.ClusterApisFactory;
import dev.backstop.core.procedure.Outcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import java.util.Comparator;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The backup use cases: request a backup (admission, id allocation, record), delete backups, apply
 * retention; and the backup's operation ({@link #run}): its procedure, the cleanup it owes, its
 * deletion.
 *
 * <p>Every backup with work left is an operation of the engine ({@link OperationQueue}), queued in
 * the same transaction that records the work: the engine runs it on one instance at a time, takes
 * it over from an instance that stopped or stalled, and runs it again when work is left (a resume
 * Zeebe refused, a part that could not be removed) until none is. Each run claims the backup first,
 * and every write it makes is fenced by that claim.
 */
public final class BackupService implements OperationHandler {

  private static final Logger LOG = Logger.getLogger(BackupService.class.getName());

  /** How long a new backup waits for the cluster's deletions to finish. */
  static final Duration DELETIONS_WAIT = Duration.ofMinutes(2);

  /** The outcome of a request for a backup. */
  public sealed interface RequestResult {}

  public record Accepted(Backup backup) implements RequestResult {}

  public record Rejected(Admission.Rejected rejection) implements RequestResult {}

  public record ClusterNotFound() implements RequestResult {}

  /**
   * Told whenever a run of a backup's operation finds its procedure ended, completed or failed
   * (e.g. to update a schedule's history). May be told more than once for one backup: be idempotent.
   */
  @FunctionalInterface
  public interface EndListener {
    void ended(Backup backup);

    EndListener NONE = backup -> {};
  }

  /** The outcome of a request to delete a backup. */
  public sealed interface DeleteResult {}

  public record DeletionStarted(Backup backup) implements DeleteResult {}

  /** Running, or a failed backup that still owes its cleanup: it cannot be deleted yet. */
  public record StillInProgress(Backup backup, String reason) implements DeleteResult {}

  public record BackupNotFound() implements DeleteResult {}

  private final BackupRepository backups;
  private final ClusterDirectory clusters;
  private final ClusterApisFactory apis;
  private final BackupProcedure procedure;
  private final Clock clock;
  private final OperationQueue queue;
  private final Replicator replicator;
  private final BackupReplication replication;
  private volatile EndListener endListener = EndListener.NONE;
  private volatile EventSink events = EventSink.NONE;
  private volatile RestoreActivity restoreActivity = RestoreActivity.NONE;
  private volatile GenerationDetector generations = GenerationDetector.NONE;
  private volatile VerificationRequests verifications = VerificationRequests.NONE;

  /** Where a completed backup, or one whose secondary copy completed, is sent to be verified. */
  @FunctionalInterface
  public interface VerificationRequests {
    /** Queues the check of the backup's objects; durable and idempotent. */
    void verify(Backup backup);

    VerificationRequests NONE = backup -> {};
  }

  /** Which backup a cluster's active restore restores, if one is active. */
  @FunctionalInterface
  public interface RestoreActivity {
    Optional<BackupId> restoring(String clusterId);

    RestoreActivity NONE = clusterId -> Optional.empty();
  }

  /** For clusters in one region only: a dual-region backup's replication fails. */
  public BackupService(
      BackupRepository backups,
      ClusterDirectory clusters,
      ClusterApisFactory apis,
      BackupProcedure procedure,
      Clock clock,
      OperationQueue queue) {
    this(backups, clusters, apis, procedure, clock, queue, Replicator.NONE, ReplicationSettings.DEFAULTS);
  }

  public BackupService(
      BackupRepository backups,
      ClusterDirectory clusters,
      ClusterApisFactory apis,
      BackupProcedure procedure,
      Clock clock,
      OperationQueue queue,
      Replicator replicator,
      ReplicationSettings replicationSettings) {
    this.backups = backups;
    this.clusters = clusters;
    this.apis = apis;
    this.procedure = procedure;
    this.clock = clock;
    this.queue = queue;
    this.replicator = replicator;
    this.replication = new BackupReplication(backups, replicator, clock, replicationSettings);
  }

  /**
   * How replication is retried.
   *
   * @param retries how attempts are spaced
   * @param attempts how many failed attempts make the replication FAILED
   * @param saveEvery how often the counts of a running replication are saved
   */
  public record ReplicationSettings(Backoff retries, int attempts, Duration saveEvery) {
    public static final ReplicationSettings DEFAULTS =
        new ReplicationSettings(new Backoff(Duration.ofSeconds(5), Duration.ofMinutes(1)), 8, Duration.ofSeconds(2));

    public ReplicationSettings {
      if (attempts < 1) {
        throw new IllegalArgumentException("attempts must be at least 1");
      }
    }
  }

  public void onEnded(EndListener listener) {
    this.endListener = listener;
  }

  /** Where backups ending, retention and replications are told (audit, metrics, notifications). */
  public void publishEventsTo(EventSink sink) {
    this.events = sink;
    this.replication.publishEventsTo(sink);
  }

  /**
   * How the components' versions are read at each request: a cluster whose components report
   * another generation than the registered one is refused ({@link Admission.Rejection#GENERATION_MISMATCH}).
   */
  public void detectGenerationsWith(GenerationDetector detector) {
    this.generations = detector;
  }

  /**
   * Where completed backups are sent to be verified: when the procedure completes, and again when
   * the copy in the secondary region completes.
   */
  public void verifyWith(VerificationRequests requests) {
    this.verifications = requests;
  }

  /** Where a cluster's active restore is known: no backup starts while one runs. */
  public void checkRestoresWith(RestoreActivity activity) {
    this.restoreActivity = activity;
  }

  /** The engine's key of a backup's operation. */
  public static String operationOf(String clusterId, BackupId id) {
    return clusterId + "/" + id;
  }

  // ------------------------------------------------------------------------------ use cases

  /**
   * Asks for a manual backup: admitted or rejected atomically (a rejected request changes
   * nothing), then run by the engine.
   */
  public RequestResult requestManualBackup(String clusterId, Optional<String> name) {
    return request(clusterId, name, BackupType.MANUAL, accepted -> {});
  }

  /**
   * Asks for a scheduled backup: the same procedure, type SCHEDULED, not rate-limited. Rejected
   * (never queued) while another backup or a restore runs.
   *
   * @param whenAccepted told of the accepted backup inside the transaction that records it (the
   *     schedule's history row is written with the backup, or neither is)
   */
  public RequestResult requestScheduledBackup(String clusterId, Consumer<Backup> whenAccepted) {
    return request(clusterId, Optional.empty(), BackupType.SCHEDULED, whenAccepted);
  }

  private RequestResult request(String clusterId, Optional<String> name, BackupType type, Consumer<Backup> whenAccepted) {
    Optional<ClusterContext> found = clusters.find(clusterId);
    if (found.isEmpty() || found.get().deleting()) {
      return new ClusterNotFound();
    }
    // Decided once without the lock, so that a request refused anyway asks no component anything;
    // decided again, authoritatively, under it.
    if (admission(clusterId, found.get(), type, clock.instant()) instanceof Admission.Rejected rejected) {
      return new Rejected(rejected);
    }
    // Asked before the cluster is locked: a network call has no place inside the transaction.
    Cluster cluster = found.get().cluster();
    long deadline = System.nanoTime() + COMPONENT_ANSWER_LIMIT.toNanos(); // one wait for both questions
    CompletableFuture<Map<String, String>> reported = askComponents(() -> generations.reportedVersions(cluster.components()));
    Optional<BackupId> latestInZeebe = latestBackupIdInZeebe(cluster, deadline);
    List<String> mismatches = cluster.generation().mismatchesWith(answerBy(deadline, reported, cluster, "their versions").orElse(Map.of()));
    if (!mismatches.isEmpty()) {
      LOG.log(Level.WARNING, "Refused a backup of cluster " + clusterId + ": " + String.join(", ", mismatches) + ", registered " + cluster.generation());
      return new Rejected(Admission.generationMismatch(cluster.generation(), mismatches));
    }
    try {
      return backups.inClusterTransaction(
          clusterId,
          () -> {
            Optional<ClusterContext> context = clusters.find(clusterId);
            if (context.isEmpty() || context.get().deleting()) {
              return new ClusterNotFound();
            }
            Instant now = clock.instant();
            return switch (admission(clusterId, context.get(), type, now)) {
              case Admission.Rejected rejected -> new Rejected(rejected);
              case Admission.Admitted admitted -> {
                BackupId id =
                    BackupId.next(
                        Stream.of(backups.lastAllocatedId(clusterId), latestInZeebe).flatMap(Optional::stream).max(Comparator.naturalOrder()),
                        now);
                backups.recordAllocatedId(clusterId, id);
                Backup backup = Backup.requested(clusterId, id, name, type, context.get().cluster().backupComponents(), now);
                if (context.get().cluster().location().type() == BackupLocation.Type.DUAL_REGION) {
                  backup = backup.withReplication(Replication.pending());
                }
                backups.insert(backup);
                whenAccepted.accept(backup);
                queue.submit(operationOf(clusterId, id));
                yield new Accepted(backup);
              }
            };
          });
    } catch (BackupRepository.OperationRunningException e) {
      return new Rejected(new Admission.Rejected(Admission.Rejection.OPERATION_RUNNING, e.getMessage(), Optional.empty()));
    } catch (NoSuchElementException clusterGone) {
      return new ClusterNotFound();
    }
  }

  private Admission.Decision admission(String clusterId, ClusterContext context, BackupType type, Instant now) {
    List<Backup> existing = backups.list(clusterId);
    boolean restoring = restoreActivity.restoring(clusterId).isPresent();
    return type == BackupType.MANUAL
        ? Admission.ofManualBackup(context.plan(), context.cluster().generation(), existing, restoring, context.policy(), now)
        : Admission.ofScheduledBackup(context.plan(), context.cluster().generation(), existing, restoring);
  }

  /**
   * How long a request for a backup waits for Zeebe's list of backups and the components' versions
   * before it goes on without them.
   */
  static final Duration COMPONENT_ANSWER_LIMIT = Duration.ofSeconds(3);

  /**
   * The latest backup id Zeebe's store lists, so that a backup taken outside Backstop, or by an
   * earlier registration of the same Zeebe, does not make the new backup's id one Zeebe refuses
   * (409). Empty when Zeebe lists none, or does not answer within {@link #COMPONENT_ANSWER_LIMIT}: the
   * backup is then allocated as before, and its own steps report an unreachable Zeebe.
   */
  private Optional<BackupId> latestBackupIdInZeebe(Cluster cluster, long deadline) {
    CompletableFuture<Outcome<Optional<BackupId>>> asked = askComponents(() -> apis.connect(cluster).zeebe().latestBackupId());
    Optional<Outcome<Optional<BackupId>>> outcome = answerBy(deadline, asked, cluster, "its backups");
    if (outcome.isPresent() && outcome.get() instanceof Outcome.Ok<Optional<BackupId>> ok) {
      return ok.value();
    }
    outcome.ifPresent(failed ->
        LOG.log(Level.INFO, "Zeebe of cluster " + cluster.id() + " did not list its backups (" + failed.describe() + "); allocating without them"));
    return Optional.empty();
  }

  private static <T> CompletableFuture<T> askComponents(java.util.function.Supplier<T> question) {
    return CompletableFuture.supplyAsync(question, task -> Thread.ofVirtual().start(task));
  }

  /**
   * The answer, if it came by {@code deadline} ({@link System#nanoTime()}). A question left
   * unanswered runs on in its virtual thread until the HTTP client's own timeout ends it.
   */
  private static <T> Optional<T> answerBy(long deadline, CompletableFuture<T> asked, Cluster cluster, String what) {
    try {
      return Optional.ofNullable(asked.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
    } catch (TimeoutException e) {
      asked.cancel(true);
      LOG.log(Level.INFO, "The components of cluster " + cluster.id() + " did not tell " + what + " within " + COMPONENT_ANSWER_LIMIT + "; going on without");
    } catch (ExecutionException e) {
      LOG.log(Level.INFO, "Could not ask the components of cluster " + cluster.id() + " for " + what + "; going on without", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return Optional.empty();
  }

  /**
   * Deletes a backup: DELETING at once, gone once every component dropped its part. Idempotent
   * for a backup already DELETING. Not while it runs, nor while it owes cleanup (its record is
   * the only trace of what is left to undo, such as exporting to resume).
   */
  public DeleteResult delete(String clusterId, BackupId id) {
    try {
      return backups.inClusterTransaction(
          clusterId,
          () -> {
            Optional<Backup> found = backups.find(clusterId, id);
            if (found.isEmpty()) {
              return new BackupNotFound();
            }
            Backup backup = found.get();
            if (backup.state() == BackupState.DELETING) {
              return new DeletionStarted(backup);
            }
            if (backup.state() == BackupState.IN_PROGRESS || backup.procedureUnfinished()) {
              return new StillInProgress(backup, "Backup " + id + " is in progress; it can be deleted once it has ended.");
            }
            if (restoreActivity.restoring(clusterId).filter(id::equals).isPresent()) {
              return new StillInProgress(backup, "Backup " + id + " is being restored; it can be deleted once the restore has ended.");
            }
            if (backup.owesCleanup()) {
              return new StillInProgress(
                  backup,
                  "Backup " + id + " failed and its cleanup is not done yet ("
                      + (backup.exportingPaused() ? "exporting is not confirmed resumed" : "parts are left to remove")
                      + "); Backstop keeps retrying, and it can be deleted once that is done.");
            }
            Backup deleting = backup.startDeleting(clock.instant());
            backups.startDeleting(deleting);
            queue.submit(operationOf(clusterId, id));
            return new DeletionStarted(deleting);
          });
    } catch (NoSuchElementException clusterGone) {
      return new BackupNotFound();
    }
  }

  /** The outcome of asking for a failed replication again. */
  public sealed interface ReplicationRetryResult {}

  public record ReplicationRetried(Backup backup) implements ReplicationRetryResult {}

  /** Only a FAILED replication of a COMPLETED backup can be asked for again. */
  public record ReplicationNotFailed(Backup backup, String reason) implements ReplicationRetryResult {}

  public record NoSuchBackup() implements ReplicationRetryResult {}

  /**
   * Asks again for a replication that failed (its retries spent): PENDING, and run by the engine
   * with a fresh count of attempts.
   */
  public ReplicationRetryResult retryReplication(String clusterId, BackupId id) {
    try {
      return backups.inClusterTransaction(
          clusterId,
          () -> {
            Optional<Backup> found = backups.find(clusterId, id);
            if (found.isEmpty()) {
              return new NoSuchBackup();
            }
            Backup backup = found.get();
            if (backup.state() != BackupState.COMPLETED || backup.replication().state() != ReplicationState.FAILED) {
              return new ReplicationNotFailed(
                  backup, "Backup " + id + " is " + backup.state() + " with replication " + backup.replication().state() + "; only a FAILED replication of a COMPLETED backup can be retried.");
            }
            Backup reopened = backup.withReplication(backup.replication().retried()).withRetry(null);
            backups.reopen(reopened);
            queue.submit(operationOf(clusterId, id));
            return new ReplicationRetried(reopened);
          });
    } catch (NoSuchElementException clusterGone) {
      return new NoSuchBackup();
    }
  }

  /** Deletes the backups that the cluster's retention lets go. */
  public void applyRetention(ClusterContext context) {
    List<Backup> all = backups.list(context.cluster().id());
    List<Retention.Expired> expired = new ArrayList<>(Retention.ofManualBackups(all, context.policy()));
    expired.addAll(Retention.ofScheduledBackups(all, context.policy()));
    for (Retention.Expired backup : expired) {
      LOG.info(() -> "Retention deletes backup " + backup.backup().id() + " of " + context.cluster().id() + ": " + backup.reason());
      if (delete(context.cluster().id(), backup.backup().id()) instanceof DeletionStarted) {
        publish(new Event.RetentionDeletion(clock.instant(), context.cluster().id(), backup.backup().id(), backup.reason()));
      }
    }
  }

  /**
   * Queues every backup that has work left: a safety net behind the queueing done with each
   * change, for work whose operation was lost (e.g. a database restored from a dump). Idempotent.
   */
  public int queueWorkLeft() {
    List<Backup> withWork = backups.withWork();
    withWork.forEach(backup -> queue.submit(operationOf(backup.clusterId(), backup.id())));
    return withWork.size();
  }

  // ---------------------------------------------------------------------------- the operation

  /**
   * One run of a backup's operation: claims the backup, then carries on its procedure, the
   * cleanup it owes, or its deletion, from where it was saved.
   */
  @Override
  public RunOutcome run(Ticket ticket) {
    int slash = ticket.operation().lastIndexOf('/');
    String clusterId = ticket.operation().substring(0, slash);
    BackupId id = new BackupId(Long.parseLong(ticket.operation().substring(slash + 1)));
    if (backups.find(clusterId, id).isEmpty()) {
      return RunOutcome.finished();
    }
    Ownership owner = backups.claim(clusterId, id, ticket);
    Optional<Backup> claimed = backups.find(clusterId, id); // as saved by whoever ran it before
    Optional<ClusterContext> context = clusters.find(clusterId);
    if (claimed.isEmpty() || context.isEmpty()) {
      return RunOutcome.finished();
    }
    Backup backup = claimed.get();
    LOG.info(() -> "Running backup " + id + " of " + clusterId + " from " + claimed.get().state() + "/" + claimed.get().step() + " (run " + ticket.version() + ")");
    BackupProcedure.ProgressStore store = saved -> backups.update(saved, owner);
    Cluster cluster = context.get().cluster();
    ClusterApis clusterApis = apis.connect(cluster);
    if (backup.state() == BackupState.DELETING) {
      return deleteParts(backup, cluster, clusterApis, owner);
    }
    if (backup.procedureUnfinished()) {
      if (backup.step() == BackupStep.REQUESTED) {
        awaitDeletions(backup);
      }
      try {
        backup = procedure.run(backup, cluster, clusterApis, store);
      } catch (Interrupted interrupted) {
        abandonPausedBackup(clusterId, id, clusterApis, store);
        throw interrupted;
      }
      Backup ended = backup;
      LOG.info(() -> "Backup " + ended.id() + " of " + clusterId + " ended " + ended.state() + ended.failureReason().map(r -> ": " + r).orElse(""));
      if (ended.state() == BackupState.FAILED) {
        learnZeebesLatestId(clusterId, ended, clusterApis);
      } else if (ended.state() == BackupState.COMPLETED) {
        requestVerification(ended);
      }
    } else if (backup.owesCleanup()) {
      backup = procedure.retryCleanup(backup, clusterApis, store);
      Backup retried = backup;
      LOG.info(() -> "Backup " + retried.id() + " of " + clusterId + ": owed cleanup " + (retried.owesCleanup() ? "still not done: " + retried.retry().map(RetryState::lastError).orElse("") : "done"));
    }
    tellEnded(backup);
    // After every end: completed backups push old ones out; failed ones are kept within their own limits.
    applyRetention(context.get());
    if (backups.find(clusterId, id).map(b -> b.state() == BackupState.DELETING).orElse(true)) {
      return new RunOutcome.RetryAt(clock.instant(), "deleted by retention"); // the next run deletes it
    }
    if (backup.owesCleanup()) {
      RetryState retry = backup.retry().orElseThrow();
      return new RunOutcome.RetryAt(retry.nextAttemptAt().orElseThrow(), retry.lastError());
    }
    if (backup.owesReplication()) {
      RunOutcome replicated = replication.run(backup, cluster, owner);
      if (replicated instanceof RunOutcome.Finished) {
        backups.find(clusterId, id).filter(b -> b.replication().state() == ReplicationState.COMPLETED).ifPresent(this::requestVerification);
        retryFailedReplications(clusterId, id);
      }
      return replicated;
    }
    return RunOutcome.finished();
  }

  /**
   * A backup Zeebe refused because its id was not above Zeebe's latest (a backup deleted from
   * Zeebe's store, which its list no longer shows, or taken by another Backstop) names that
   * latest id: it is recorded as allocated, so that the next backup's id is above it.
   */
  private void learnZeebesLatestId(String clusterId, Backup failed, ClusterApis clusterApis) {
    Optional<BackupId> named = failed.failureReason().flatMap(reason -> clusterApis.zeebe().latestIdNamedIn(reason));
    if (named.isEmpty()) {
      return;
    }
    try {
      backups.inClusterTransaction(clusterId, () -> {
        if (backups.lastAllocatedId(clusterId).map(last -> named.get().compareTo(last) > 0).orElse(true)) {
          backups.recordAllocatedId(clusterId, named.get());
          LOG.info(() -> "Zeebe of cluster " + clusterId + " refused backup " + failed.id() + ": the next backup's id will be above " + named.get());
        }
        return null;
      });
    } catch (NoSuchElementException clusterGone) {
      // nothing to allocate for any more
    }
  }

  /**
   * A replication that completed shows the secondary region is reachable again: the cluster's
   * replications that failed meanwhile are asked for again.
   */
  private void retryFailedReplications(String clusterId, BackupId completed) {
    backups.find(clusterId, completed)
        .filter(b -> b.replication().state() == ReplicationState.COMPLETED)
        .ifPresent(ok -> backups.list(clusterId).stream()
            .filter(b -> b.state() == BackupState.COMPLETED && b.replication().state() == ReplicationState.FAILED)
            .forEach(failed -> {
              LOG.info(() -> "Replication of backup " + completed + " of " + clusterId + " completed: retrying the failed replication of " + failed.id());
              retryReplication(clusterId, failed.id());
            }));
  }

  private void requestVerification(Backup backup) {
    try {
      verifications.verify(backup);
    } catch (RuntimeException e) {
      // the periodic sweep queues it (it is due while never checked)
      LOG.log(Level.WARNING, "Could not queue the verification of backup " + backup.id() + " of " + backup.clusterId(), e);
    }
  }

  private void tellEnded(Backup backup) {
    try {
      endListener.ended(backup);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "End listener failed for backup " + backup.id(), e);
    }
    if (backup.state() == BackupState.COMPLETED || backup.state() == BackupState.FAILED) {
      publish(new Event.BackupEnded(backup.completedAt().orElseGet(clock::instant), backup));
    }
  }

  private void publish(Event event) {
    try {
      events.publish(event);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Could not tell " + event.key(), e);
    }
  }

  /**
   * Backstop is stopping (the run was interrupted): a backup whose exporting is paused is failed
   * and exporting resumed now, rather than left paused until another instance takes it over. The
   * rest of its cleanup is done by whichever instance runs its operation next.
   */
  private void abandonPausedBackup(String clusterId, BackupId id, ClusterApis clusterApis, BackupProcedure.ProgressStore store) {
    boolean interrupted = Thread.interrupted(); // cleared for the last calls, set again below
    try {
      Optional<Backup> saved = backups.find(clusterId, id);
      if (saved.isEmpty() || !saved.get().exportingPaused()) {
        return;
      }
      Backup failed =
          saved.get().state() == BackupState.IN_PROGRESS
              ? saved.get().fail("Backstop stopped while exporting was paused; the backup was abandoned", clock.instant())
              : saved.get();
      store.save(failed);
      // Recorded as resumed only once every partition exports; else the next run's cleanup retries.
      Outcome<Void> resumed = BackupProcedure.resumeAndConfirm(clusterApis.zeebe());
      if (resumed instanceof Outcome.Ok) {
        store.save(failed.withExportingPaused(false));
        LOG.info(() -> "Backup " + id + " of " + clusterId + " abandoned at shutdown; exporting resumed");
      } else {
        LOG.warning(() -> "Backup " + id + " of " + clusterId + " abandoned at shutdown; resuming exporting " + resumed.describe() + " (the next run retries)");
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Could not abandon backup " + id + " of " + clusterId + " at shutdown; the next run carries on", e);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Deletes what each component holds of the backup; removes it when all are gone. */
  private RunOutcome deleteParts(Backup backup, Cluster cluster, ClusterApis clusterApis, Ownership owner) {
    Backup current = backup;
    List<String> left = new ArrayList<>();
    for (Component component : List.copyOf(current.parts().keySet())) {
      ComponentPart part = current.part(component).orElseThrow();
      if (part.state() == PartState.DELETED || part.state() == PartState.PENDING) {
        continue;
      }
      Outcome<Void> deleted = procedure.parts().deleteAndConfirm(current, component, part, clusterApis);
      if (deleted instanceof Outcome.Ok) {
        current = current.withPart(component, part.with(PartState.DELETED, "deleted"));
      } else {
        left.add(component + ": " + deleted.describe());
        current = current.withPart(component, part.with(part.state(), "deletion pending: " + deleted.describe()));
      }
      backups.update(current, owner);
    }
    if (left.isEmpty() && cluster.location().type() == BackupLocation.Type.DUAL_REGION) {
      try {
        replicator.removeFromSecondary(cluster, current.id());
      } catch (ReplicationException e) {
        left.add("secondary region " + cluster.location().secondaryRegion().orElseThrow() + ": " + e.getMessage());
      }
    }
    if (left.isEmpty()) {
      backups.remove(current.clusterId(), current.id(), owner);
      Backup gone = current;
      LOG.info(() -> "Backup " + gone.id() + " of " + gone.clusterId() + " deleted");
      publish(new Event.BackupRemoved(clock.instant(), gone.clusterId(), gone.id()));
      return RunOutcome.finished();
    }
    RetryState retry = RetryState.failed(current.retry(), String.join("; ", left), clock.instant(), procedure.cleanupRetries());
    backups.update(current.withRetry(retry), owner);
    return new RunOutcome.RetryAt(retry.nextAttemptAt().orElseThrow(), retry.lastError());
  }

  /**
   * Before a new backup touches the components: lets the cluster's running deletions finish, for
   * at most {@link #DELETIONS_WAIT}. A snapshot deleted while another is taken in the same
   * repository can leave the new one PARTIAL (seen with OpenSearch 3.1).
   */
  private void awaitDeletions(Backup backup) {
    procedure.waits().awaitWhile(
        DELETIONS_WAIT, () -> backups.list(backup.clusterId()).stream().anyMatch(b -> b.state() == BackupState.DELETING));
  }

}
