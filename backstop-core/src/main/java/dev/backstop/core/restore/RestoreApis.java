package dev.backstop.core.restore;

import dev.backstop.core.procedure.Observation;
import dev.backstop.core.procedure.Outcome;
import java.util.List;
import java.util.Map;

/**
 * What a restore asks of a cluster's search engine and components, through their own APIs. Every
 * call is read-only or idempotent.
 */
public interface RestoreApis {

  /** Connects to a cluster's components. */
  @FunctionalInterface
  interface Factory {
    RestoreApis connect(dev.backstop.core.cluster.Cluster cluster);
  }

  // ------------------------------------------------------------------------------ search engine

  /** The concrete indices matching the patterns (hidden ones too); none is fine. */
  Outcome<List<String>> indices(List<String> patterns);

  /** Deletes these concrete indices; absent ones are fine. */
  Outcome<Void> deleteIndices(List<String> names);

  /** Snapshot {@code name} in {@code repository}: SUCCESS completes it, anything else does not. */
  Observation snapshot(String repository, String name);

  /**
   * Registers {@code repository} again with the settings it has, so that a read-only repository
   * sees what was written to its bucket since it was registered.
   */
  Outcome<Void> refreshRepository(String repository);

  /** The indices snapshot {@code name} holds. */
  Outcome<List<String>> snapshotIndices(String repository, String name);

  /** Starts restoring every index of a snapshot, without the cluster state; returns without waiting. */
  Outcome<Void> startSnapshotRestore(String repository, String name);

  /** Whether every one of these indices exists and has its primary shards active (restored). */
  Outcome<Boolean> indicesRestored(List<String> names);

  /**
   * The highest position of the exported records, per kind of record ({@code process-instance},
   * {@code job}, … as in the records' index names {@code <prefix>_<kind>_<version>_<date>}) and
   * partition, in the indices whose names start with {@code recordsPrefix}.
   */
  Outcome<Map<String, Map<Integer, Long>>> exportedPositions(String recordsPrefix);

  /** Where a web app's importer stands: for one kind of record on one partition, the position it imported up to. */
  record ImportPosition(String kind, int partition, long position) {}

  /** A web app's import positions ({@code <app>-import-position*}): one per kind of record it imports and partition. */
  Outcome<List<ImportPosition>> importPositions(String app);

  // -------------------------------------------------------------------------------- components

  /**
   * Whether a component's management endpoint answers as a running component does: any answer but
   * a proxy's own 502, 503 or 504 (what an ingress answers for a component scaled to zero; an
   * unhealthy component's 503 comes with its health status, and counts as running).
   */
  boolean answers(String managementUrl);

  /** Whether a component reports itself ready ({@code /actuator/health/readiness} is 200). */
  boolean ready(String managementUrl);

  /**
   * Zeebe's partitions as its broker reports them: ok when every partition has a healthy leader;
   * else what is not.
   */
  Outcome<List<String>> zeebeTopologyProblems();
}
