package dev.backstop.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstop.core.backup.Backup;
import dev.backstop.core.backup.BackupId;
import dev.backstop.core.backup.BackupType;
import dev.backstop.core.backup.Component;
import dev.backstop.core.cluster.Generation;
import dev.backstop.core.organization.Plan;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AdmissionTest {

  private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
  private static final Generation G86 = Generation.parse("8.6.0");
  private static final BackupPolicy POLICY = BackupPolicy.DEFAULTS;

  @Test
  void shouldAdmitTheFirstBackupOfAnEnterpriseCluster() {
    assertThat(Admission.ofManualBackup(Plan.ENTERPRISE, G86, List.of(), false, POLICY, NOW)).isInstanceOf(Admission.Admitted.class);
  }

  @Test
  void shouldRejectAPlanWithoutBackupsFirst() {
    Admission.Decision decision =
        Admission.ofManualBackup(Plan.STARTER, Generation.parse("8.1.0"), List.of(running(NOW)), false, POLICY, NOW);

    assertThat(rejection(decision)).isEqualTo(Admission.Rejection.PLAN_WITHOUT_BACKUPS);
  }

  @Test
  void shouldRejectAGenerationBelow824() {
    assertThat(rejection(Admission.ofManualBackup(Plan.ENTERPRISE, Generation.parse("8.2.3"), List.of(), false, POLICY, NOW)))
        .isEqualTo(Admission.Rejection.GENERATION_TOO_OLD);
    assertThat(Admission.ofManualBackup(Plan.ENTERPRISE, Generation.parse("8.2.4"), List.of(), false, POLICY, NOW))
        .isInstanceOf(Admission.Admitted.class);
  }

  @Test
  void shouldAdmitEveryGenerationUpTo88AndRejectNewerOnesNamingThem() {
    // given: the families Backstop has a procedure for, and generations newer than any it knows
    for (String known : List.of("8.2.4", "8.7.9", "8.8.0", "8.8.7")) {
      assertThat(Admission.ofManualBackup(Plan.ENTERPRISE, Generation.parse(known), List.of(), false, POLICY, NOW))
          .as(known).isInstanceOf(Admission.Admitted.class);
    }
    for (String unknown : List.of("8.9.0", "9.0.0")) {
      // when
      Admission.Decision decision = Admission.ofManualBackup(Plan.ENTERPRISE, Generation.parse(unknown), List.of(), false, POLICY, NOW);

      // then
      assertThat(rejection(decision)).as(unknown).isEqualTo(Admission.Rejection.GENERATION_NOT_SUPPORTED_YET);
      assertThat(((Admission.Rejected) decision).detail()).contains(unknown).contains("8.2.4 to 8.8");
    }
  }

  @Test
  void shouldRejectWhileABackupOrRestoreRuns() {
    assertThat(rejection(Admission.ofManualBackup(Plan.ENTERPRISE, G86, List.of(running(NOW.minusSeconds(86_400))), false, POLICY, NOW)))
        .isEqualTo(Admission.Rejection.OPERATION_RUNNING);
    assertThat(rejection(Admission.ofManualBackup(Plan.ENTERPRISE, G86, List.of(), true, POLICY, NOW)))
        .isEqualTo(Admission.Rejection.OPERATION_RUNNING);
  }

  @Test
  void shouldRateLimitWithTheTimeLeftInTheWindow() {
    // given: a completed manual backup taken 2 hours ago
    Backup twoHoursAgo = running(NOW.minus(Duration.ofHours(2))).complete(NOW.minus(Duration.ofHours(2)));

    // when
    Admission.Decision decision = Admission.ofManualBackup(Plan.ENTERPRISE, G86, List.of(twoHoursAgo), false, POLICY, NOW);

    // then
    assertThat(rejection(decision)).isEqualTo(Admission.Rejection.RATE_LIMITED);
    assertThat(((Admission.Rejected) decision).retryAfter()).contains(Duration.ofHours(3));
    assertThat(((Admission.Rejected) decision).detail()).contains(twoHoursAgo.id().toString()).contains("delete it");
  }

  @Test
  void shouldFreeTheWindowWhenTheBackupHoldingItIsDeleted() {
    Backup deleting = running(NOW.minus(Duration.ofHours(1))).complete(NOW).startDeleting(NOW);

    assertThat(Admission.ofManualBackup(Plan.ENTERPRISE, G86, List.of(deleting), false, POLICY, NOW)).isInstanceOf(Admission.Admitted.class);
  }

  @Test
  void shouldAdmitOnceTheWindowHasPassedAndWhenTheLimitIsOff() {
    Backup fiveHoursAgo = running(NOW.minus(Duration.ofHours(5))).complete(NOW.minus(Duration.ofHours(5)));

    assertThat(Admission.ofManualBackup(Plan.ENTERPRISE, G86, List.of(fiveHoursAgo), false, POLICY, NOW)).isInstanceOf(Admission.Admitted.class);
    Backup justNow = running(NOW.minusSeconds(1)).complete(NOW);
    BackupPolicy unlimited = new BackupPolicy(Duration.ZERO, 3, 3);
    assertThat(Admission.ofManualBackup(Plan.ENTERPRISE, G86, List.of(justNow), false, unlimited, NOW)).isInstanceOf(Admission.Admitted.class);
  }

  @Test
  void shouldNotLetScheduledBackupsHoldTheManualWindow() {
    Backup scheduled =
        Backup.requested("c", new BackupId(7), Optional.empty(), BackupType.SCHEDULED, Set.of(Component.ZEEBE), NOW.minusSeconds(60))
            .complete(NOW);

    assertThat(Admission.ofManualBackup(Plan.ENTERPRISE, G86, List.of(scheduled), false, POLICY, NOW)).isInstanceOf(Admission.Admitted.class);
  }

  @Test
  void shouldRoundRetryAfterUp() {
    assertThat(Admission.ceilSeconds(Duration.ofMillis(1500))).isEqualTo(2);
    assertThat(Admission.ceilSeconds(Duration.ofSeconds(2))).isEqualTo(2);
  }

  private static Backup running(Instant createdAt) {
    return Backup.requested(
        "c", BackupId.next(Optional.empty(), createdAt), Optional.empty(), BackupType.MANUAL, Set.of(Component.ZEEBE), createdAt);
  }

  private static Admission.Rejection rejection(Admission.Decision decision) {
    assertThat(decision).isInstanceOf(Admission.Rejected.class);
    return ((Admission.Rejected) decision).rejection();
  }
}
