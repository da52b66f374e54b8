package dev.backstop.core.restore;

import dev.backstop.core.backup.Backup;
import dev.backstop.core.backup.BackupId;
import dev.backstop.core.backup.BackupRepository;
import dev.backstop.core.backup.BackupState;
import dev.backstop.core.cluster.Cluster;
import dev.backstop.core.cluster.ClusterDirectory;
import dev.backstop.core.cluster.ClusterDirectory.ClusterContext;
import dev.backstop.core.cluster.Generation;
import dev.backstop.core.event.Event;
import dev.backstop.core.event.EventSink;
import dev.backstop.core.operation.OperationHandler;
import dev.backstop.core.operation.OperationQueue;
import dev.backstop.core.operation.Ownership;
import dev.backstop.core.operation.RunOutcome;
import dev.backstop.core.operation.Ticket;
import dev.backstop.core.procedure.ClusterApisFactory;
import dev.backstop.core.replication.ReplicationState;
import dev.backstop.core.usecase.FieldError;
import java.time.Clock;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The restore use cases: ask for a restore (checked and recorded atomically; a refused request
 * changes nothing), confirm a manual step, read restores; and the restore's operation ({@link
 * #run}), which the engine runs on one instance at a time and takes over from an instance that
 * stopped, as it does a backup's.
 */
public final class RestoreService implements OperationHandler {

  /** The engine's keys of restore operations start with this. */
  public static final String OPERATION_PREFIX = "restore:";

  private static final Logger LOG = Logger.getLogger(RestoreService.class.getName());

  /** How long a request may wait for the object store to say which generation took the backup. */
  static final java.time.Duration GENERATION_READ_LIMIT = java.time.Duration.ofSeconds(5);

  /** The outcome of a request for a restore. */
  public sealed interface RequestResult {}

  public record Accepted(Restore restore) implements RequestResult {}

  /** The cluster or the backup is unknown (404). */
  public record NotFound(String detail) implements RequestResult {}

  /** The backup cannot be restored as asked (400), the field named. */
  public record Invalid(FieldError error) implements RequestResult {}

  /** A backup or another restore of the cluster runs (409). */
  public record Busy(String detail) implements RequestResult {}

  /** The outcome of an operator's confirmation. */
  public sealed interface ConfirmResult {}

  public record Confirmed(Restore restore) implements ConfirmResult {}

  /** The restore does not wait for that phase (409). */
  public record NotWaiting(Restore restore, String detail) implements ConfirmResult {}

  public record NoSuchRestore() implements ConfirmResult {}

  private volatile EventSink events = EventSink.NONE;
  private final RestoreRepository restores;
  private final BackupRepository backups;
  private final ClusterDirectory clusters;
  private final RestoreProcedure procedure;
  private final ClusterApisFactory clusterApis;
  private final RestoreApis.Factory restoreApis;
  private final ClusterRuntime.Factory runtimes;
  private final BackupInventory inventory;
  private final OperationQueue queue;
  private final Clock clock;

  public RestoreService(
      RestoreRepository restores,
      BackupRepository backups,
      ClusterDirectory clusters,
      RestoreProcedure procedure,
      ClusterApisFactory clusterApis,
      RestoreApis.Factory restoreApis,
      ClusterRuntime.Factory runtimes,
      BackupInventory inventory,
      OperationQueue queue,
      Clock clock) {
    this.restores = restores;
    this.backups = backups;
    this.clusters = clusters;
    this.procedure = procedure;
    this.clusterApis = clusterApis;
    this.restoreApis = restoreApis;
    this.runtimes = runtimes;
    this.inventory = inventory;
    this.queue = queue;
    this.clock = clock;
  }

  /** The engine's key of a restore's operation. */
  public static String operationOf(String clusterId, String restoreId) {
    return OPERATION_PREFIX + clusterId + "/" + restoreId;
  }

  /** The backup id a cluster's active restore restores, if one is active. */
  public Optional<BackupId> restoring(String clusterId) {
    return restores.active(clusterId).map(Restore::backupId);
  }

  // ------------------------------------------------------------------------------ use cases

  /**
   * Asks for a restore of backup {@code backupId} from {@code sourceRegion} (the cluster's own
   * region when empty). Checked in this order, the first refusal decides: the cluster and the
   * backup exist (404); no backup or restore of the cluster runs (409); the backup is COMPLETED,
   * the region is the cluster's or its secondary one, a copy there is complete (replication
   * COMPLETED), and the backup was taken by the cluster's generation (400).
   */
  public RequestResult request(String clusterId, BackupId backupId, Optional<String> sourceRegion) {
    Optional<ClusterContext> found = clusters.find(clusterId);
    if (found.isEmpty() || found.get().deleting()) {
      return new NotFound("No cluster " + clusterId + ".");
    }
    Cluster cluster = found.get().cluster();
    String region = sourceRegion.filter(r -> !r.isBlank()).orElse(cluster.region());
    // The generation the backup was taken by, read before the transaction (it reads the object
    // store, which must not hold the cluster's lock) and only for a backup that could be restored.
    Optional<Backup> candidate = backups.find(clusterId, backupId);
    Optional<String> takenBy =
        candidate.filter(b -> b.state() == BackupState.COMPLETED).isPresent() && refusal(cluster, candidate.get(), region, Optional.empty()).isEmpty()
            ? generationOf(cluster, region, backupId)
            : Optional.empty();
    try {
      return backups.inClusterTransaction(clusterId, () -> {
        if (clusters.find(clusterId).map(ClusterContext::deleting).orElse(true)) {
          return new NotFound("No cluster " + clusterId + ".");
        }
        Optional<Backup> backup = backups.find(clusterId, backupId);
        if (backup.isEmpty()) {
          return new NotFound("Cluster " + clusterId + " has no backup " + backupId + ".");
        }
        Optional<Restore> active = restores.active(clusterId);
        if (active.isPresent()) {
          return new Busy("Restore " + active.get().id() + " of cluster " + clusterId + " is " + active.get().state() + "; one restore at a time.");
        }
        if (backups.list(clusterId).stream().anyMatch(Backup::occupiesCluster)) {
          return new Busy("A backup of cluster " + clusterId + " is running (or still cleaning up); restore once it has ended.");
        }
        Optional<FieldError> refusal = refusal(cluster, backup.get(), region, takenBy);
        if (refusal.isPresent()) {
          return new Invalid(refusal.get());
        }
        Restore restore = Restore.requested(UUID.randomUUID().toString(), clusterId, backupId, region, clock.instant());
        restores.insert(restore);
        queue.submit(operationOf(clusterId, restore.id()));
        LOG.info(() -> "Restore " + restore.id() + " of " + clusterId + " to backup " + backupId + " from " + region + " requested");
        return new Accepted(restore);
      });
    } catch (RestoreRepository.RestoreRunningException e) {
      return new Busy(e.getMessage());
    } catch (NoSuchElementException clusterGone) {
      return new NotFound("No cluster " + clusterId + ".");
    }
  }

  private static Optional<FieldError> refusal(Cluster cluster, Backup backup, String region, Optional<String> takenBy) {
    if (backup.state() != BackupState.COMPLETED) {
      return Optional.of(new FieldError("backupId", "Backup " + backup.id() + " is " + backup.state() + "; only a COMPLETED backup can be restored."));
    }
    boolean primary = region.equals(cluster.region());
    boolean secondary = cluster.location().secondaryRegion().filter(region::equals).isPresent();
    if (!primary && !secondary) {
      return Optional.of(new FieldError("sourceRegion", "Region " + region + " holds no copy of the cluster's backups: it is " + cluster.region()
          + cluster.location().secondaryRegion().map(s -> " or " + s).orElse("") + "."));
    }
    if (secondary && backup.replication().state() != ReplicationState.COMPLETED) {
      return Optional.of(new FieldError("sourceRegion", "Backup " + backup.id() + "'s replication to " + region + " is "
          + backup.replication().state() + ", not COMPLETED."));
    }
    if (secondary && cluster.storage().secondarySearchRepository().isEmpty()) {
      return Optional.of(new FieldError("sourceRegion", "The cluster names no search repository in " + region
          + " (storage.secondarySearchRepository): its search snapshots cannot be read from there."));
    }
    Generation generation = cluster.generation();
    if (takenBy.isPresent()) {
      Generation taken = generationOrNull(takenBy.get());
      if (taken == null || taken.major() != generation.major() || taken.minor() != generation.minor()) {
        return Optional.of(new FieldError("backupId", "Backup " + backup.id() + " was taken by Zeebe " + takenBy.get()
            + "; the cluster runs " + generation + ": a backup restores only into its own generation."));
      }
    }
    return Optional.empty();
  }

  /**
   * The Zeebe version that took the backup, as its manifests in {@code region} say; empty when
   * the store cannot be read within {@link #GENERATION_READ_LIMIT} (the preflight reads it again,
   * and fails the restore if it still cannot): a request is never held up by a slow store.
   */
  private Optional<String> generationOf(Cluster cluster, String region, BackupId id) {
    java.util.concurrent.CompletableFuture<Optional<String>> read =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> inventory.zeebe(cluster, region, id).brokerVersion(), command -> Thread.ofVirtual().start(command));
    try {
      return read.get(GENERATION_READ_LIMIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException unreadable) {
      LOG.log(Level.INFO, "Could not read backup " + id + " in " + region + " at the request; the preflight checks it", unreadable);
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  static Generation generationOrNull(String version) {
    try {
      return Generation.parse(version);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** The operator confirms that a manual runtime's {@code phase} is done; the restore carries on. */
  public ConfirmResult confirm(String clusterId, String restoreId, RestorePhase phase) {
    try {
      return backups.inClusterTransaction(clusterId, () -> {
        Optional<Restore> found = restores.find(clusterId, restoreId);
        if (found.isEmpty()) {
          return new NoSuchRestore();
        }
        Restore restore = found.get();
        if (restore.state() != RestoreState.WAITING || restore.phase() != phase) {
          return new NotWaiting(restore, "Restore " + restoreId + " is " + restore.state() + " at " + restore.phase()
              + (restore.state() == RestoreState.WAITING ? "; confirm " + restore.phase() : "; it waits for no confirmation") + ".");
        }
        Restore confirmed = restore.confirm(phase, clock.instant());
        restores.reopen(confirmed);
        queue.submit(operationOf(clusterId, restoreId));
        return new Confirmed(confirmed);
      });
    } catch (NoSuchElementException clusterGone) {
      return new NoSuchRestore();
    }
  }

  /** Where restores ending are told (audit, metrics, notifications). */
  public void publishEventsTo(EventSink sink) {
    this.events = sink;
  }

  public List<Restore> list(String clusterId) {
    return restores.list(clusterId);
  }

  public Optional<Restore> find(String clusterId, String restoreId) {
    return restores.find(clusterId, restoreId);
  }

  /** Queues every restore a run must carry on (a safety net, as for backups). Idempotent. */
  public int queueWorkLeft() {
    List<Restore> withWork = restores.withWork();
    withWork.forEach(restore -> queue.submit(operationOf(restore.clusterId(), restore.id())));
    return withWork.size();
  }

  // ---------------------------------------------------------------------------- the operation

  /** Whether the engine's operation key is a restore's. */
  public static boolean isRestoreOperation(String operation) {
    return operation.startsWith(OPERATION_PREFIX);
  }

  @Override
  public RunOutcome run(Ticket ticket) {
    String key = ticket.operation().substring(OPERATION_PREFIX.length());
    int slash = key.lastIndexOf('/');
    String clusterId = key.substring(0, slash);
    String restoreId = key.substring(slash + 1);
    if (restores.find(clusterId, restoreId).filter(Restore::active).isEmpty()) {
      return RunOutcome.finished();
    }
    Ownership owner = restores.claim(clusterId, restoreId, ticket);
    Optional<Restore> claimed = restores.find(clusterId, restoreId);
    Optional<ClusterContext> context = clusters.find(clusterId);
    if (claimed.isEmpty() || !claimed.get().active() || claimed.get().state() == RestoreState.WAITING || context.isEmpty()) {
      return RunOutcome.finished(); // ended, or waiting for the operator (the confirmation queues it again)
    }
    Restore restore = claimed.get();
    Cluster cluster = context.get().cluster();
    LOG.info(() -> "Running restore " + restoreId + " of " + clusterId + " from " + restore.state() + "/" + restore.phase() + " (run " + ticket.version() + ")");
    Optional<Backup> backup = backups.find(clusterId, restore.backupId());
    Restore ended;
    if (backup.isEmpty()) {
      ended = restore.starting(restore.phase(), clock.instant()).failed(restore.phase(), "backup " + restore.backupId() + " no longer exists.", clock.instant());
      restores.update(ended, owner);
    } else {
      RestoreProcedure.Context connected = new RestoreProcedure.Context(
          cluster, backup.get(), clusterApis.connect(cluster), restoreApis.connect(cluster), () -> runtimes.of(cluster));
      ended = procedure.run(restore, connected, saved -> restores.update(saved, owner));
    }
    Restore result = ended;
    if (!result.active()) {
      try {
        events.publish(new Event.RestoreEnded(result.endedAt().orElseGet(clock::instant), result));
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "Could not tell the end of restore " + restoreId, e);
      }
    }
    LOG.info(() -> "Restore " + restoreId + " of " + clusterId + " is " + result.state() + " at " + result.phase()
        + result.failureReason().map(r -> ": " + r).orElse("") + result.waitingFor().map(w -> "; waiting for the operator: " + w).orElse(""));
    return RunOutcome.finished();
  }
}
