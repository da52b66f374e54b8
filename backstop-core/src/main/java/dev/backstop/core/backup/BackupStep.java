package dev.backstop.core.backup;

import dev.backstop.core.cluster.Generation.ProcedureFamily;

/**
 * The steps of the backup procedure. A backup records the step it is in before running it (by
 * name, in a text column), so a Backstop that stops anywhere can carry on where it was.
 *
 * <p>Both generation families run the same steps, in their own order ({@link #next(ProcedureFamily,
 * boolean)}): 8.2.4–8.7 ({@link ProcedureFamily#WEB_APPS_FIRST}) in the order declared here; 8.8
 * ({@link ProcedureFamily#EXPORTING_PAUSED_FIRST}) pauses exporting first, because its exporter
 * writes straight into the web apps' indices, then takes the web-app backups (the history backup
 * of Operate and Tasklist, and Optimize's), and snapshots the exported records only when the
 * backup has that part.
 */
public enum BackupStep {
  /** Recorded, nothing touched yet. */
  REQUESTED,
  /** Start the backups of Operate, Tasklist and Optimize (8.8: the history backup and Optimize's). */
  START_WEB_APP_BACKUPS,
  /** Wait until each web-app backup is COMPLETED. */
  AWAIT_WEB_APP_BACKUPS,
  /**
   * Copy the exported records ahead of the pause (8.2.4–8.7): a snapshot of the records indices,
   * awaited, while exporting still runs. Snapshots copy only the files the repository lacks, so
   * the records snapshot taken once exporting is paused then copies only what was written in
   * between, however long since the last backup: the pause no longer grows with that.
   */
  COPY_RECORDS_AHEAD,
  /** Soft-pause Zeebe exporting. */
  PAUSE_EXPORTING,
  /** Snapshot the exported records into the search repository. */
  SNAPSHOT_RECORDS,
  /** Wait until the records snapshot is SUCCESS. */
  AWAIT_RECORDS_SNAPSHOT,
  /** Start Zeebe's backup (8.8: the runtime backup). */
  START_ZEEBE_BACKUP,
  /** Wait until Zeebe's backup is COMPLETED. */
  AWAIT_ZEEBE_BACKUP,
  /** Resume exporting. */
  RESUME_EXPORTING,
  /** Finished, successfully. */
  DONE,
  /** Failed: remove what was created and resume exporting. */
  CLEAN_UP,
  /** Failed and cleaned up (as far as possible; each part says). */
  CLEANED_UP;

  /** The step after this one on the successful path of 8.2.4–8.7. */
  public BackupStep next() {
    return next(ProcedureFamily.WEB_APPS_FIRST, true);
  }

  /**
   * The step after this one on the successful path of a family's procedure.
   *
   * @param withRecordsSnapshot whether the backup has a records snapshot: without one (an 8.8
   *     cluster without Optimize), its two steps are skipped
   */
  public BackupStep next(ProcedureFamily family, boolean withRecordsSnapshot) {
    BackupStep next = switch (family) {
      case WEB_APPS_FIRST -> webAppsFirst();
      case EXPORTING_PAUSED_FIRST -> exportingPausedFirst();
    };
    boolean recordsStep = next == COPY_RECORDS_AHEAD || next == SNAPSHOT_RECORDS || next == AWAIT_RECORDS_SNAPSHOT;
    return recordsStep && !withRecordsSnapshot ? next.next(family, false) : next;
  }

  private BackupStep exportingPausedFirst() {
    return switch (this) {
      case REQUESTED -> PAUSE_EXPORTING;
      case PAUSE_EXPORTING -> START_WEB_APP_BACKUPS;
      case START_WEB_APP_BACKUPS -> AWAIT_WEB_APP_BACKUPS;
      // Exporting is paused already: nothing to copy ahead of the pause.
      case AWAIT_WEB_APP_BACKUPS -> SNAPSHOT_RECORDS;
      // From the records snapshot on, both families go the same way.
      case COPY_RECORDS_AHEAD, SNAPSHOT_RECORDS, AWAIT_RECORDS_SNAPSHOT, START_ZEEBE_BACKUP, AWAIT_ZEEBE_BACKUP, RESUME_EXPORTING, CLEAN_UP, DONE, CLEANED_UP ->
          webAppsFirst();
    };
  }

  private BackupStep webAppsFirst() {
    return switch (this) {
      case REQUESTED -> START_WEB_APP_BACKUPS;
      case START_WEB_APP_BACKUPS -> AWAIT_WEB_APP_BACKUPS;
      case AWAIT_WEB_APP_BACKUPS -> COPY_RECORDS_AHEAD;
      case COPY_RECORDS_AHEAD -> PAUSE_EXPORTING;
      case PAUSE_EXPORTING -> SNAPSHOT_RECORDS;
      case SNAPSHOT_RECORDS -> AWAIT_RECORDS_SNAPSHOT;
      case AWAIT_RECORDS_SNAPSHOT -> START_ZEEBE_BACKUP;
      case START_ZEEBE_BACKUP -> AWAIT_ZEEBE_BACKUP;
      case AWAIT_ZEEBE_BACKUP -> RESUME_EXPORTING;
      case RESUME_EXPORTING -> DONE;
      case CLEAN_UP -> CLEANED_UP;
      case DONE, CLEANED_UP -> throw new IllegalStateException(this + " is the last step");
    };
  }

  /** A short name for messages: "await web-app backups". */
  public String describe() {
    return name().toLowerCase().replace('_', ' ').replace("web app", "web-app");
  }
}
