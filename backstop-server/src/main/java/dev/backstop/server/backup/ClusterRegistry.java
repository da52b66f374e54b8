package dev.backstop.server.backup;

import dev.backstop.core.backup.Backup;
import dev.backstop.core.backup.BackupRepository;
import dev.backstop.core.backup.BackupService;
import dev.backstop.core.backup.BackupState;
import dev.backstop.core.cluster.Cluster;
import dev.backstop.core.cluster.Preflight;
import dev.backstop.core.cluster.Generation;
import dev.backstop.core.cluster.PreflightReport;
import dev.backstop.server.persistence.JdbcClusters;
import java.util.List;
import dev.backstop.core.restore.Restore;
import dev.backstop.core.restore.RestoreRepository;
import java.util.Optional;
import org.springframework.stereotype.Service;

/** Registers clusters (with a preflight check) and deletes them with all their backups. */
@Service
public class ClusterRegistry {

  /** The outcome of a request to delete a cluster. */
  public sealed interface Deletion {}

  public record DeletionStarted() implements Deletion {}

  public record BackupRunning(Backup backup) implements Deletion {}

  /** A restore of the cluster is active: deleting its backups would break it. */
  public record RestoreRunning(Restore restore) implements Deletion {}

  /** The cluster is gone (deleted meanwhile). */
  public record ClusterGone() implements Deletion {}

  private final JdbcClusters clusters;
  private final BackupRepository backups;
  private final BackupService backupService;
  private final Preflight preflight;
  private final RestoreRepository restores;

  public ClusterRegistry(
      JdbcClusters clusters, BackupRepository backups, BackupService backupService, Preflight preflight, RestoreRepository restores) {
    this.restores = restores;
    this.clusters = clusters;
    this.backups = backups;
    this.backupService = backupService;
    this.preflight = preflight;
  }

  /** The outcome of a registration. */
  public sealed interface Registration {}

  /** Recorded, with what the preflight found. */
  public record Registered(PreflightReport preflight) implements Registration {}

  /** Its organization has a cluster of this name (registered meanwhile); nothing was recorded. */
  public record NameTaken() implements Registration {}

  /** Records the cluster after checking its components; a failed check is reported, not refused. */
  public Registration register(Cluster cluster) {
    PreflightReport report = preflight.check(cluster.components());
    return clusters.insert(cluster, report) ? new Registered(report) : new NameTaken();
  }

  /** The outcome of a change of a cluster's generation. */
  public sealed interface GenerationChange {}

  /** Recorded, with the preflight taken for it. */
  public record GenerationChanged(PreflightReport preflight) implements GenerationChange {}

  /** A backup or restore runs: its procedure is the old generation's. */
  public record GenerationBusy(String reason) implements GenerationChange {}

  public record GenerationClusterGone() implements GenerationChange {}

  /**
   * Records that the cluster's components now run {@code generation} (after an upgrade), its
   * backups kept. Not while a backup or a restore runs: their procedure is the old generation's.
   */
  public GenerationChange changeGeneration(String clusterId, Generation generation) {
    Optional<JdbcClusters.StoredCluster> stored = clusters.findStored(clusterId);
    if (stored.isEmpty() || stored.get().deleting()) {
      return new GenerationClusterGone();
    }
    // Checked before the lock: a network call has no place inside the transaction.
    PreflightReport report = preflight.check(stored.get().cluster().components());
    try {
      return backups.inClusterTransaction(clusterId, () -> {
        Optional<Backup> running = backups.list(clusterId).stream().filter(Backup::occupiesCluster).findFirst();
        if (running.isPresent()) {
          return new GenerationBusy("Backup " + running.get().id() + " of this cluster is in progress or owes its cleanup; change the generation when it has ended.");
        }
        Optional<Restore> restoring = restores.active(clusterId);
        if (restoring.isPresent()) {
          return new GenerationBusy("Restore " + restoring.get().id() + " of this cluster is " + restoring.get().state() + "; change the generation when it has ended.");
        }
        return clusters.updateGeneration(clusterId, generation, report) ? new GenerationChanged(report) : new GenerationClusterGone();
      });
    } catch (java.util.NoSuchElementException gone) {
      return new GenerationClusterGone();
    }
  }

  /**
   * Starts deleting a cluster: every backup is deleted in every component, then the cluster. Not
   * while a backup or a restore of it runs.
   */
  public Deletion delete(String clusterId) {
    Deletion decided;
    try {
      // Under the cluster's lock, as backup and restore requests are: none is admitted meanwhile.
      decided = backups.inClusterTransaction(clusterId, () -> {
        Optional<Backup> running = backups.list(clusterId).stream().filter(b -> b.state() == BackupState.IN_PROGRESS).findFirst();
        if (running.isPresent()) {
          return new BackupRunning(running.get());
        }
        Optional<Restore> restoring = restores.active(clusterId);
        if (restoring.isPresent()) {
          return new RestoreRunning(restoring.get());
        }
        return clusters.markDeleting(clusterId) ? new DeletionStarted() : new ClusterGone();
      });
    } catch (java.util.NoSuchElementException gone) {
      return new ClusterGone();
    }
    if (decided instanceof DeletionStarted) {
      deleteRemainingBackups(clusterId);
    }
    return decided;
  }

  /**
   * For a cluster being deleted: starts the deletion of every backup not being deleted yet. A
   * backup that still owes its cleanup is refused for now; the housekeeping asks again.
   */
  public void deleteRemainingBackups(String clusterId) {
    List<Backup> remaining = backups.list(clusterId);
    for (Backup backup : remaining) {
      if (backup.state() != BackupState.DELETING && backup.state() != BackupState.IN_PROGRESS) {
        backupService.delete(clusterId, backup.id());
      }
    }
  }
}
