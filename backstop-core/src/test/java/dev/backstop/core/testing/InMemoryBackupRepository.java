package dev.backstop.core.testing;

import dev.backstop.core.backup.Backup;
import dev.backstop.core.backup.BackupId;
import dev.backstop.core.backup.BackupRepository;
import dev.backstop.core.backup.BackupState;
import dev.backstop.core.backup.BackupStep;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

/** A hand-written, single-JVM stand-in for the backup repository, leases included. */
public final class InMemoryBackupRepository implements BackupRepository {

  private record Lease(String owner, Instant until) {}

  private final Map<String, Long> lastIds = new HashMap<>();
  private final Map<String, TreeMap<Long, Backup>> backups = new HashMap<>();
  private final Map<String, Lease> leases = new HashMap<>();

  public InMemoryBackupRepository(String... clusters) {
    for (String cluster : clusters) {
      lastIds.put(cluster, 0L);
      backups.put(cluster, new TreeMap<>());
    }
  }

  @Override
  public synchronized <T> T inClusterTransaction(String clusterId, Supplier<T> work) {
    if (!lastIds.containsKey(clusterId)) {
      throw new NoSuchElementException(clusterId);
    }
    return work.get();
  }

  @Override
  public synchronized Optional<BackupId> lastAllocatedId(String clusterId) {
    long last = lastIds.get(clusterId);
    return last > 0 ? Optional.of(new BackupId(last)) : Optional.empty();
  }

  @Override
  public synchronized void recordAllocatedId(String clusterId, BackupId id) {
    lastIds.put(clusterId, id.value());
  }

  @Override
  public synchronized void insert(Backup backup, String owner, Instant leaseUntil) {
    if (backups.get(backup.clusterId()).values().stream().anyMatch(b -> b.state() == BackupState.IN_PROGRESS)) {
      throw new OperationRunningException("in progress");
    }
    backups.get(backup.clusterId()).put(backup.id().value(), backup);
    leases.put(key(backup.clusterId(), backup.id()), new Lease(owner, leaseUntil));
  }

  @Override
  public synchronized void update(Backup backup) {
    backups.get(backup.clusterId()).put(backup.id().value(), backup);
  }

  @Override
  public synchronized Optional<Backup> find(String clusterId, BackupId id) {
    return Optional.ofNullable(backups.get(clusterId).get(id.value()));
  }

  @Override
  public synchronized List<Backup> list(String clusterId) {
    List<Backup> list = new ArrayList<>(backups.get(clusterId).values());
    list.sort(Comparator.comparing(Backup::id).reversed());
    return list;
  }

  @Override
  public synchronized void remove(String clusterId, BackupId id) {
    backups.get(clusterId).remove(id.value());
    leases.remove(key(clusterId, id));
  }

  @Override
  public synchronized List<Backup> claimAbandoned(String owner, Instant now, Instant leaseUntil) {
    List<Backup> claimed = new ArrayList<>();
    for (TreeMap<Long, Backup> ofCluster : backups.values()) {
      for (Backup backup : ofCluster.values()) {
        boolean workLeft =
            backup.state() == BackupState.IN_PROGRESS || backup.state() == BackupState.DELETING
                || backup.step() == BackupStep.CLEAN_UP || backup.exportingPaused();
        Lease lease = leases.get(key(backup.clusterId(), backup.id()));
        if (workLeft && (lease == null || lease.until().isBefore(now))) {
          leases.put(key(backup.clusterId(), backup.id()), new Lease(owner, leaseUntil));
          claimed.add(backup);
        }
      }
    }
    return claimed;
  }

  @Override
  public synchronized void lease(String clusterId, BackupId id, String owner, Instant leaseUntil) {
    leases.put(key(clusterId, id), new Lease(owner, leaseUntil));
  }

  @Override
  public synchronized void renewLeases(String owner, Instant leaseUntil) {
    leases.replaceAll((key, lease) -> lease.owner().equals(owner) ? new Lease(owner, leaseUntil) : lease);
  }

  @Override
  public synchronized void release(String clusterId, BackupId id) {
    leases.remove(key(clusterId, id));
  }

  /** Whether anyone holds the backup's lease. */
  public synchronized boolean leased(String clusterId, BackupId id) {
    return leases.containsKey(key(clusterId, id));
  }

  private static String key(String clusterId, BackupId id) {
    return clusterId + "/" + id;
  }
}
