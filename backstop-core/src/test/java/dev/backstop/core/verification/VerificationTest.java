package dev.backstop.core.verification;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstop.core.backup.Backup;
import dev.backstop.core.backup.BackupId;
import dev.backstop.core.backup.BackupType;
import dev.backstop.core.backup.Component;
import dev.backstop.core.replication.Replication;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The verification's lifecycle and when a backup is due to be checked, time fixed. */
class VerificationTest {

  private static final Instant T = Instant.parse("2026-11-23T12:00:00Z");
  private static final Duration EVERY = Duration.ofHours(6);

  @Test
  void shouldBeVerifiedWithTheTimeOfTheCheckWhenNothingIsWrong() {
    Verification verified = Verification.pending().checked(List.of(), T);

    assertThat(verified.state()).isEqualTo(VerificationState.VERIFIED);
    assertThat(verified.at()).contains(T);
    assertThat(verified.detail()).isEmpty();
    assertThat(verified.damaged()).isFalse();
  }

  @Test
  void shouldBeDamagedNamingTheProblemsAndCountingThoseBeyondTheFirstFive() {
    List<String> problems = List.of("a", "b", "c", "d", "e", "f", "g");

    Verification damaged = Verification.pending().checked(problems, T);

    assertThat(damaged.state()).isEqualTo(VerificationState.DAMAGED);
    assertThat(damaged.at()).contains(T);
    assertThat(damaged.detail()).contains("a; b; c; d; e; and 2 more");
  }

  @Test
  void shouldTellWhatTheNewestCheckFoundVerifiedAgainOnceWhole() {
    Verification damaged = Verification.pending().checked(List.of("region-a: x is missing"), T);

    Verification again = damaged.checked(List.of(), T.plusSeconds(60));

    assertThat(again.state()).isEqualTo(VerificationState.VERIFIED);
    assertThat(again.at()).contains(T.plusSeconds(60));
  }

  @Test
  void shouldNeverGoBackToPending() {
    assertThat(VerificationState.VERIFIED.isValidChange(VerificationState.PENDING)).isFalse();
    assertThat(VerificationState.DAMAGED.isValidChange(VerificationState.PENDING)).isFalse();
    assertThat(VerificationState.PENDING.isValidChange(VerificationState.DAMAGED)).isTrue();
  }

  @Test
  void shouldBePendingOnceCompletedAndCountAsGoodUntilFoundDamaged() {
    Backup completed = requested().complete(T);

    assertThat(completed.verification().state()).isEqualTo(VerificationState.PENDING);
    assertThat(completed.isGood()).isTrue();
    assertThat(completed.withVerification(completed.verification().checked(List.of("gone"), T)).isGood()).isFalse();
    assertThat(requested().fail("x", T).isGood()).isFalse();
  }

  @Test
  void shouldBeDueWhenNeverCheckedAndAgainOnlyAfterTheInterval() {
    Backup completed = requested().complete(T);
    Backup checked = completed.withVerification(completed.verification().checked(List.of(), T));

    assertThat(completed.verificationDue(T, EVERY)).isTrue();
    assertThat(checked.verificationDue(T.plus(EVERY).minusSeconds(1), EVERY)).isFalse();
    assertThat(checked.verificationDue(T.plus(EVERY), EVERY)).isTrue();
  }

  @Test
  void shouldBeDueWhenTheSecondaryCopyCompletedAfterTheLastCheck() {
    Backup completed = requested().withReplication(Replication.pending()).complete(T);
    Backup checkedInPrimary = completed.withVerification(completed.verification().checked(List.of(), T));
    Backup replicated = checkedInPrimary.withReplication(Replication.pending().inProgress(T).completed(T.plusSeconds(30)));

    assertThat(checkedInPrimary.verificationDue(T.plusSeconds(40), EVERY)).isFalse();
    assertThat(replicated.verificationDue(T.plusSeconds(40), EVERY)).isTrue();
    Backup checkedInBoth = replicated.withVerification(replicated.verification().checked(List.of(), T.plusSeconds(45)));
    assertThat(checkedInBoth.verificationDue(T.plusSeconds(50), EVERY)).isFalse();
  }

  @Test
  void shouldNeverBeDueUnlessCompleted() {
    assertThat(requested().verificationDue(T, EVERY)).isFalse();
    assertThat(requested().fail("x", T).verificationDue(T, EVERY)).isFalse();
    assertThat(requested().complete(T).startDeleting(T).verificationDue(T, EVERY)).isFalse();
  }

  @Test
  void shouldNameTheObjectsFoundAtAnotherSizeThanFirstVerified() {
    List<String> problems =
        VerificationService.sizeProblems(
            "local-a", java.util.Map.of("zeebe/1/42/0/segments/1.log", 10L, "zeebe/1/42/0/snapshot/a", 5L, "new", 1L),
            java.util.Map.of("zeebe/1/42/0/segments/1.log", 134217728L, "zeebe/1/42/0/snapshot/a", 5L));

    assertThat(problems).containsExactly("local-a: zeebe/1/42/0/segments/1.log is 10 bytes, 134217728 when first verified");
  }

  private static Backup requested() {
    return Backup.requested("c", new BackupId(42), Optional.empty(), BackupType.MANUAL, Set.of(Component.ZEEBE), T);
  }
}
