package dev.backstop.core.procedure;

import java.util.List;

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
}
