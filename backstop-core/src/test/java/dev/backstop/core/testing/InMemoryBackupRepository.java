package dev.backstop.core.testing;

import dev.backstop.core.backup.Backup;
import dev.backstop.core.backup.BackupId;
import dev.backstop.core.backup.BackupRepository;
import dev.backstop.core.operation.Ownership;
import dev.backstop.core.operation.OwnershipLost;
import dev.backstop.core.operation.Ticket;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * A hand-written, single-JVM stand-in for the backup repository, fencing included: claims are
 * checked against the engine's current run of an operation ({@code currentRun}), and writes
 * against the latest claim.
 */
public final class InMemoryBackupRepository implements BackupRepository {

  private final Map<String, Long> lastIds = new HashMap<>();
  private final Map<String, TreeMap<Long, Backup>> backups = new HashMap<>();
  private final Map<String, Long> fences = new HashMap<>();
  private ToLongFunction<String> currentRun = operation -> Long.MIN_VALUE;
  private java.util.function.Consumer<Backup> onUpdate = backup -> {};
  private int failingUpdates;

  public InMemoryBackupRepository(String... clusters) {
    for (String cluster : clusters) {
      lastIds.put(cluster, 0L);
      backups.put(cluster, new TreeMap<>());
    }
  }

  /** Which run of an operation the engine holds current (claims with any other ticket fail). */
  public synchronized void checkClaimsAgainst(ToLongFunction<String> currentRunOfOperation) {
    this.currentRun = currentRunOfOperation;
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
  public synchronized void insert(Backup backup) {
    if (backups.get(backup.clusterId()).values().stream().anyMatch(Backup::occupiesCluster)) {
      throw new OperationRunningException("another backup occupies the cluster");
    }
    backups.get(backup.clusterId()).put(backup.id().value(), backup);
  }

  @Override
  public synchronized Ownership claim(String clusterId, BackupId id, Ticket ticket) {
    if (find(clusterId, id).isEmpty() || currentRun.applyAsLong(ticket.operation()) != ticket.version()) {
      throw new OwnershipLost("stale ticket " + ticket);
    }
    long token = fences.merge(key(clusterId, id), 1L, Long::sum);
    return new Ownership(ticket.operation(), token);
  }

  @Override
  public synchronized void update(Backup backup, Ownership owner) {
    if (failingUpdates > 0) {
      failingUpdates--;
      throw new IllegalStateException("the database is away");
    }
    requireOwner(backup.clusterId(), backup.id(), owner);
    backups.get(backup.clusterId()).put(backup.id().value(), backup);
    onUpdate.accept(backup);
  }

  /** Told of every fenced update after it was saved (tests change the components' behaviour then). */
  public synchronized void onUpdate(java.util.function.Consumer<Backup> hook) {
    this.onUpdate = hook;
  }

  /** The next {@code count} fenced updates fail, as with the database away. */
  public synchronized void failNextUpdates(int count) {
    this.failingUpdates = count;
  }

  @Override
  public synchronized void startDeleting(Backup deleting) {
    fences.merge(key(deleting.clusterId(), deleting.id()), 1L, Long::sum);
    backups.get(deleting.clusterId()).put(deleting.id().value(), deleting);
  }

  @Override
  public synchronized void reopen(Backup changed) {
    startDeleting(changed);
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
  public synchronized List<Backup> withWork() {
    return backups.values().stream().flatMap(ofCluster -> ofCluster.values().stream()).filter(Backup::hasWork).toList();
  }

  @Override
  public synchronized void remove(String clusterId, BackupId id, Ownership owner) {
    requireOwner(clusterId, id, owner);
    backups.get(clusterId).remove(id.value());
  }

  private void requireOwner(String clusterId, BackupId id, Ownership owner) {
    if (fences.getOrDefault(key(clusterId, id), 0L) != owner.token()) {
      throw new OwnershipLost("backup " + id + " of " + clusterId + " was claimed by another run");
    }
  }

  private static String key(String clusterId, BackupId id) {
    return clusterId + "/" + id;
  }
}
