package dev.backstop.core.policy;

import dev.backstop.core.backup.Backup;
import dev.backstop.core.backup.BackupState;
import dev.backstop.core.backup.BackupType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/**
 * Which backups retention removes. Pure: a function of the cluster's backups and the policy.
 * Newest means highest backup id (ids increase with time). Backups already DELETING or still
 * IN_PROGRESS are never chosen.
 */
public final class Retention {

  /** A backup to delete, and the rule that chose it. */
  public record Expired(Backup backup, String reason) {}

  private Retention() {}

  /**
   * Manual backups: the {@code policy.manualRetention()} newest good ones (COMPLETED and not found
   * DAMAGED) are kept and the older good ones expire. A DAMAGED one does not count toward them, so
   * that a good one is kept in its place; but it never expires sooner than it would have as a good
   * one (beyond the newest {@code manualRetention()} completed ones, damaged or not): a verdict
   * that may be passing (a store that listed too little for a moment) deletes nothing. FAILED ones
   * do not count either; the {@value BackupPolicy#FAILED_MANUAL_BACKUPS_KEPT} newest are kept for
   * diagnosis.
   */
  public static List<Expired> ofManualBackups(List<Backup> backups, BackupPolicy policy) {
    List<Expired> expired = new ArrayList<>();
    int keep = policy.manualRetention();
    String reason = "manual retention keeps the " + keep + " newest completed backups";
    beyondNewest(backups, BackupType.MANUAL, Backup::isGood, keep).forEach(b -> expired.add(new Expired(b, reason)));
    beyondNewest(backups, BackupType.MANUAL, b -> b.state() == BackupState.COMPLETED, keep).stream()
        .filter(b -> !b.isGood())
        .forEach(b -> expired.add(new Expired(b, reason + " (this one was found damaged)")));
    int keepFailed = BackupPolicy.FAILED_MANUAL_BACKUPS_KEPT;
    beyondNewest(backups, BackupType.MANUAL, b -> b.state() == BackupState.FAILED, keepFailed)
        .forEach(b -> expired.add(new Expired(b, "the " + keepFailed + " newest failed manual backups are kept")));
    return expired;
  }

  /**
   * Scheduled backups: the {@code policy.scheduledRetention()} newest, completed (damaged or not)
   * and failed together, are kept.
   */
  public static List<Expired> ofScheduledBackups(List<Backup> backups, BackupPolicy policy) {
    int keep = policy.scheduledRetention();
    return beyondNewest(backups, BackupType.SCHEDULED, b -> b.state() == BackupState.COMPLETED || b.state() == BackupState.FAILED, keep).stream()
        .map(b -> new Expired(b, "scheduled retention keeps the " + keep + " newest scheduled backups"))
        .toList();
  }

  private static List<Backup> beyondNewest(List<Backup> backups, BackupType type, Predicate<Backup> counted, int keep) {
    return backups.stream()
        .filter(b -> b.type() == type && counted.test(b))
        .sorted(Comparator.comparing(Backup::id).reversed())
        .skip(keep)
        .toList();
  }
}
