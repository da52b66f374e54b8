package dev.backstop.core.verification;

import dev.backstop.core.backup.Backup;
import dev.backstop.core.backup.BackupId;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Where the outcomes of verifications and the object sizes they remember are kept (Backstop's
 * database). Safe for several Backstop instances sharing one database.
 */
public interface VerificationStore {

  /**
   * Records a check's outcome on the backup, if it is still COMPLETED and no check done later was
   * recorded already (an older outcome never overwrites a newer one). Not fenced by the backup's
   * operation: a verification only reads the stores, and its outcome is a fact at its time.
   *
   * @return whether it was recorded
   */
  boolean record(String clusterId, BackupId id, Verification verification);

  /** The sizes remembered for the backup's objects, key → size (empty before the first check). */
  Map<String, Long> rememberedSizes(String clusterId, BackupId id);

  /** Remembers sizes of objects not remembered yet; a size remembered earlier is kept. Idempotent. */
  void remember(String clusterId, BackupId id, Map<String, Long> sizes);

  /**
   * COMPLETED backups, of clusters not being deleted, that may be due for a check: never checked,
   * last checked before {@code checkedBefore}, or copied to their secondary region after their last
   * check. The longest unchecked first, at most {@code limit}. A store may return more than are
   * due ({@link Backup#verificationDue} decides), never fewer.
   */
  List<Backup> dueForVerification(Instant checkedBefore, int limit);
}
