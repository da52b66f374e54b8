package dev.backstop.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstop.core.backup.Backup;
import dev.backstop.core.backup.BackupId;
import dev.backstop.core.backup.BackupType;
import dev.backstop.core.backup.Component;
import dev.backstop.core.verification.Verification;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RetentionTest {

  private static final Instant T = Instant.parse("2026-11-22T00:00:00Z");

  @Test
  void shouldKeepTheThreeNewestCompletedManualBackups() {
    List<Backup> backups = List.of(completed(1), completed(2), completed(3), completed(4));

    assertThat(ids(Retention.ofManualBackups(backups, BackupPolicy.DEFAULTS))).containsExactly(1L);
  }

  @Test
  void shouldNotCountFailedBackupsTowardManualRetention() {
    List<Backup> backups = List.of(completed(1), failed(2), completed(3), failed(4), completed(5));

    assertThat(Retention.ofManualBackups(backups, BackupPolicy.DEFAULTS)).isEmpty();
  }

  @Test
  void shouldKeepTheThreeNewestFailedManualBackups() {
    List<Backup> backups = new ArrayList<>(List.of(failed(1), failed(2), failed(3), failed(4), failed(5)));

    assertThat(ids(Retention.ofManualBackups(backups, BackupPolicy.DEFAULTS))).containsExactlyInAnyOrder(1L, 2L);
  }

  @Test
  void shouldNotCountADamagedManualBackupAsOneOfTheCompletedOnesKept() {
    // given: four completed manual backups, the newest found damaged by its verification
    List<Backup> backups = List.of(completed(1), completed(2), completed(3), damaged(4));

    // when / then: three good ones are kept; the damaged one is kept with the failed ones
    assertThat(Retention.ofManualBackups(backups, BackupPolicy.DEFAULTS)).isEmpty();

    // and a new good one then pushes the oldest good one out, not the damaged one
    List<Backup> more = List.of(completed(1), completed(2), completed(3), damaged(4), completed(5));
    assertThat(ids(Retention.ofManualBackups(more, BackupPolicy.DEFAULTS))).containsExactly(1L);
  }

  @Test
  void shouldNeverExpireADamagedManualBackupSoonerThanAGoodOne() {
    // given: the oldest backup found damaged (perhaps wrongly, for a moment), then four failed ones and a good one
    List<Backup> backups = List.of(damaged(1), failed(2), failed(3), failed(4), failed(5), completed(6));

    // when
    List<Retention.Expired> expired = Retention.ofManualBackups(backups, BackupPolicy.DEFAULTS);

    // then: only the oldest failed one beyond the three kept expires; the damaged one is among the
    // three newest completed, where it would be kept as a good one too
    assertThat(ids(expired)).containsExactly(2L);
    assertThat(expired.getFirst().reason()).contains("failed");
  }

  @Test
  void shouldExpireADamagedManualBackupBeyondTheNewestCompletedOnes() {
    List<Backup> backups = List.of(damaged(1), completed(2), completed(3), completed(4));

    List<Retention.Expired> expired = Retention.ofManualBackups(backups, BackupPolicy.DEFAULTS);

    assertThat(ids(expired)).containsExactly(1L);
    assertThat(expired.getFirst().reason()).contains("3 newest completed").contains("damaged");
  }

  @Test
  void shouldCountADamagedScheduledBackupLikeAFailedOne() {
    Backup damagedScheduled = scheduled(3, true).withVerification(Verification.pending().checked(List.of("gone"), T));
    List<Backup> backups = List.of(scheduled(1, true), scheduled(2, false), damagedScheduled, scheduled(4, true));

    assertThat(ids(Retention.ofScheduledBackups(backups, BackupPolicy.DEFAULTS))).containsExactly(1L);
  }

  @Test
  void shouldNeverChooseRunningOrDeletingBackups() {
    Backup running = Backup.requested("c", new BackupId(1), Optional.empty(), BackupType.MANUAL, Set.of(Component.ZEEBE), T);
    Backup deleting = completed(2).startDeleting(T);

    assertThat(Retention.ofManualBackups(List.of(running, deleting, completed(3)), new BackupPolicy(java.time.Duration.ZERO, 1, 1)))
        .isEmpty();
  }

  @Test
  void shouldKeepTheNewestScheduledBackupsCompletedAndFailedTogether() {
    List<Backup> backups =
        List.of(scheduled(1, true), scheduled(2, false), scheduled(3, true), scheduled(4, false), completed(5));

    assertThat(ids(Retention.ofScheduledBackups(backups, BackupPolicy.DEFAULTS))).containsExactly(1L);
  }

  private static List<Long> ids(List<Retention.Expired> expired) {
    return expired.stream().map(e -> e.backup().id().value()).toList();
  }

  private static Backup completed(long id) {
    return Backup.requested("c", new BackupId(id), Optional.empty(), BackupType.MANUAL, Set.of(Component.ZEEBE), T).complete(T);
  }

  private static Backup damaged(long id) {
    return completed(id).withVerification(Verification.pending().checked(List.of("region-a: zeebe/1/" + id + "/0/segments/1.log is missing"), T));
  }

  private static Backup failed(long id) {
    return Backup.requested("c", new BackupId(id), Optional.empty(), BackupType.MANUAL, Set.of(Component.ZEEBE), T).fail("x", T);
  }

  private static Backup scheduled(long id, boolean ok) {
    Backup b = Backup.requested("c", new BackupId(id), Optional.empty(), BackupType.SCHEDULED, Set.of(Component.ZEEBE), T);
    return ok ? b.complete(T) : b.fail("x", T);
  }
}
