package dev.backstop.core.restore;

/**
 * The phases of a restore, in the order they run (Camunda's documented restore procedure). Each
 * is saved before and after it runs, and each can be run again after a crash.
 */
public enum RestorePhase {
  /** Every part of the backup present and complete in the chosen region, versions match; changes nothing. */
  PREFLIGHT("check the backup in the source region"),
  /** Zeebe, Operate, Tasklist and Optimize stopped; the search engine stays up. */
  STOP_COMPONENTS("stop the components"),
  /** Every operate-*, tasklist-*, optimize-* and exported-records index deleted. */
  DELETE_INDICES("delete the components' indices"),
  /** Every snapshot of the backup restored into the search engine. */
  RESTORE_SNAPSHOTS("restore the search snapshots"),
  /** Each broker's data emptied and filled by Zeebe's restore tool. */
  RESTORE_ZEEBE("restore Zeebe's brokers"),
  /** Zeebe, then the web apps, started. */
  START_COMPONENTS("start the components"),
  /** Topology healthy, every partition exporting, web apps answering, their import caught up. */
  VERIFY("verify the cluster");

  private final String description;

  RestorePhase(String description) {
    this.description = description;
  }

  public String describe() {
    return description;
  }

  /** Whether the phase is done by the cluster's runtime (a manual runtime waits for the operator). */
  public boolean byRuntime() {
    return this == STOP_COMPONENTS || this == RESTORE_ZEEBE || this == START_COMPONENTS;
  }

  /** The phase after this one; empty after the last. */
  public java.util.Optional<RestorePhase> next() {
    return ordinal() + 1 < values().length ? java.util.Optional.of(values()[ordinal() + 1]) : java.util.Optional.empty();
  }

  /**
   * What a failure in this phase leaves behind: what the operator must know about the cluster's
   * state.
   */
  public String leavesCluster() {
    return switch (this) {
      case PREFLIGHT -> "Nothing was stopped or changed.";
      case STOP_COMPONENTS -> "Some components may be stopped; the data is unchanged: start them again, or ask for the restore again.";
      case DELETE_INDICES, RESTORE_SNAPSHOTS, RESTORE_ZEEBE ->
          "The components are stopped and the cluster's data is partly replaced: it is not usable until a restore completes; ask for the restore again.";
      case START_COMPONENTS -> "The data is restored but some components may not be running: start them, or ask for the restore again.";
      case VERIFY -> "The data is restored and the components were started, but the cluster did not prove healthy: check it.";
    };
  }
}
