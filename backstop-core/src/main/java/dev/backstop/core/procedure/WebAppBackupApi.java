package dev.backstop.core.procedure;

import dev.backstop.core.backup.BackupId;
import java.util.List;

/**
 * The backup API of a web app (Operate, Tasklist or Optimize) of generations 8.2–8.7: its
 * management endpoint's {@code /actuator/backups}.
 */
public interface WebAppBackupApi {

  /**
   * Starts backup {@code id}. Not idempotent on the component's side: a second start of the same
   * id is refused (a caller that is unsure whether it started asks {@link #status} first).
   *
   * @return the names of the snapshots the app scheduled (Optimize names none)
   */
  Outcome<List<String>> start(BackupId id);

  /** Where backup {@code id} stands. Never throws. */
  Observation status(BackupId id);

  /** Deletes backup {@code id} and its snapshots. Idempotent: an absent backup is Ok. */
  Outcome<Void> delete(BackupId id);

  /** The prefix of this app's snapshot names for backup {@code id}, e.g. {@code camunda_operate_42_}. */
  String snapshotPrefix(BackupId id);
}
