package dev.backstop.core.backup;

/**
 * The steps of the backup procedure for generations 8.2.4–8.7, in order. A backup records the
 * step it is in before running it, so a Backstop that stops anywhere can carry on where it was.
 */
public enum BackupStep {
  /** Recorded, nothing touched yet. */
  REQUESTED,
  /** Start the backups of Operate, Tasklist and Optimize. */
  START_WEB_APP_BACKUPS,
  /** Wait until each web-app backup is COMPLETED. */
  AWAIT_WEB_APP_BACKUPS,
  /** Soft-pause Zeebe exporting. */
  PAUSE_EXPORTING,
  /** Snapshot the exported records into the search repository. */
  SNAPSHOT_RECORDS,
  /** Wait until the records snapshot is SUCCESS. */
  AWAIT_RECORDS_SNAPSHOT,
  /** Start Zeebe's backup. */
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

  /** The step after this one on the successful path. */
  public BackupStep next() {
    return switch (this) {
      case REQUESTED -> START_WEB_APP_BACKUPS;
      case START_WEB_APP_BACKUPS -> AWAIT_WEB_APP_BACKUPS;
      case AWAIT_WEB_APP_BACKUPS -> PAUSE_EXPORTING;
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
