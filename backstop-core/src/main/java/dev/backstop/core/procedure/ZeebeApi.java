package dev.backstop.core.procedure;

import dev.backstop.core.backup.BackupId;
import java.util.Map;
import java.util.Optional;

/** Zeebe's management API (8.2–8.7): backups and exporting. */
public interface ZeebeApi {

  /**
   * Starts backup {@code id} on every partition. Refused (409) when {@code id} is not above the
   * latest backup id Zeebe has seen, including when this very backup was started before.
   */
  Outcome<Void> startBackup(BackupId id);

  /**
   * Backup {@code id} across all partitions: COMPLETED only when every partition completed; a
   * partition FAILED fails it; partitions still missing it keep it in progress.
   */
  Observation backupStatus(BackupId id);

  /**
   * The highest id among the backups Zeebe's backup store lists, whoever took them (Backstop,
   * another tool, an earlier registration of the same Zeebe); empty when it lists none. A backup
   * deleted from the store is not listed, though Zeebe still refuses ids at or below it.
   */
  Outcome<Optional<BackupId>> latestBackupId();

  /**
   * The latest backup id Zeebe named in a refusal recorded in {@code failureReason}: Zeebe's 409
   * says which id a new backup must exceed, also when that backup was deleted and is listed no more.
   */
  default Optional<BackupId> latestIdNamedIn(String failureReason) {
    return Optional.empty();
  }

  /** Deletes backup {@code id} (an in-progress one is marked failed first). Idempotent. */
  Outcome<Void> deleteBackup(BackupId id);

  /**
   * Soft-pauses exporting on every partition. Zeebe answers HTTP 200 either way; the real outcome
   * is in the body, and a pause can fail half-way (some partitions paused): retry, or resume.
   * Idempotent.
   */
  Outcome<Void> pauseExporting();

  /** Resumes exporting on every partition. Idempotent. */
  Outcome<Void> resumeExporting();

  /** Each partition's exporter phase ({@code EXPORTING}, {@code PAUSED}, {@code SOFT_PAUSED}). */
  Outcome<Map<Integer, String>> exporterPhases();
}
