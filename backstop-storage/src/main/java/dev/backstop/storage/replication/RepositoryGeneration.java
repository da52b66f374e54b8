package dev.backstop.storage.replication;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A committed generation of a search snapshot repository as replication needs it: the snapshots
 * it lists and every object it references, by the stage it is copied in.
 *
 * @param number the generation ({@code index-N}); -1 for a repository nothing was written to
 * @param snapshots the names of the snapshots it lists
 * @param keys every key it references (store keys, base path included), by stage
 */
record RepositoryGeneration(long number, List<String> snapshots, Map<Stage, Set<String>> keys) {

  /**
   * The order a copy must follow so that the copy is usable at every moment: what a stage refers
   * to is complete before the stage is written; the root index, which makes a generation visible,
   * comes last.
   */
  enum Stage {
    /** Shard data blobs ({@code indices/<id>/<shard>/__*}). */
    DATA,
    /** Shard-level metadata ({@code snap-<uuid>.dat}, {@code index-<gen>} in a shard's folder). */
    SHARD,
    /** Index metadata ({@code indices/<id>/meta-<uuid>.dat}). */
    INDEX,
    /** Snapshot and global metadata at the root ({@code snap-<uuid>.dat}, {@code meta-<uuid>.dat}). */
    ROOT,
    /** The root index of the generation ({@code index-N}). */
    ROOT_INDEX,
    /** The pointer to it ({@code index.latest}). */
    LATEST
  }

  RepositoryGeneration {
    snapshots = List.copyOf(snapshots);
    Map<Stage, Set<String>> copy = new EnumMap<>(Stage.class);
    keys.forEach((stage, set) -> copy.put(stage, Set.copyOf(set)));
    keys = Map.copyOf(copy);
  }

  Set<String> keysOf(Stage stage) {
    return keys.getOrDefault(stage, Set.of());
  }

  boolean references(String key) {
    return keys.values().stream().anyMatch(set -> set.contains(key));
  }
}
