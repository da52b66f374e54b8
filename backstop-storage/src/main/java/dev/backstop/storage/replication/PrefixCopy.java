package dev.backstop.storage.replication;

import dev.backstop.core.replication.Replicator;
import dev.backstop.storage.ObjectStore;
import dev.backstop.storage.StoredObject;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Copies everything under a prefix from one store to another, the way replication copies a stage:
 * in parallel, each object verified, what the target holds already skipped. For the benchmark and
 * for operators' one-off copies; replication itself goes through {@link StoreReplicator}.
 */
public final class PrefixCopy {

  private PrefixCopy() {}

  /**
   * @return what was copied, and how many objects the target held already
   * @throws dev.backstop.core.replication.ReplicationException naming the first object that failed
   */
  public static Replicator.Copied copy(ObjectStore from, ObjectStore to, String prefix, int parallelism) {
    List<StoredObject> sources = from.list(prefix);
    Map<String, StoredObject> there = to.list(prefix).stream().collect(Collectors.toMap(StoredObject::key, Function.identity()));
    Transfer transfer = new Transfer(from, to, parallelism, Replicator.Progress.NONE);
    transfer.stage(prefix, sources, there);
    return new Replicator.Copied(transfer.objects(), transfer.bytes(), transfer.alreadyThere());
  }
}
