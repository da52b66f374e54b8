package dev.backstop.core.procedure;

import java.util.List;
import java.util.Set;

/** The search engine's snapshot API (Elasticsearch and OpenSearch alike), on one repository. */
public interface SnapshotApi {

  /**
   * Starts a snapshot of the indices matching {@code indexPattern}, without cluster state or
   * feature states, and returns without waiting. Refused when a snapshot of that name exists.
   */
  Outcome<Void> createSnapshot(String name, String indexPattern);

  /** Where snapshot {@code name} stands: SUCCESS completes it; FAILED, PARTIAL, INCOMPATIBLE fail it. */
  Observation snapshotStatus(String name);

  /**
   * Deletes the snapshots with these names or wildcard patterns; a running one is aborted.
   * Idempotent: names that match nothing are fine.
   */
  Outcome<Void> deleteSnapshots(List<String> namesOrPatterns);

  /** The names of the snapshots matching a pattern such as {@code camunda_*_42_*}. */
  Outcome<List<String>> snapshotNames(String pattern);

  /**
   * The names of the repository's snapshots that are running now. Cheap for the engine (it reads
   * its cluster state, not the repository), so a wait may ask it often; a web app's own status
   * answer reads the repository.
   */
  Outcome<Set<String>> runningSnapshots();

  /**
   * How many snapshot threads the engine has, over all its nodes (each node has half its cores,
   * at most 5): the snapshots of several backups taken together share them.
   */
  Outcome<Integer> snapshotThreads();
}
