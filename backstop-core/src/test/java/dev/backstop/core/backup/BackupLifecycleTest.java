package dev.backstop.core.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backstop.core.cluster.Generation;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BackupLifecycleTest {

  private static final Instant T = Instant.parse("2026-11-22T00:00:00Z");

  @Test
  void shouldAllowOnlyTheDocumentedStateChanges() {
    Backup running = Backup.requested("c", new BackupId(5), Optional.empty(), BackupType.MANUAL, Set.of(Component.ZEEBE), T);

    assertThat(running.complete(T).state()).isEqualTo(BackupState.COMPLETED);
    assertThat(running.fail("r", T).state()).isEqualTo(BackupState.FAILED);
    assertThat(running.complete(T).startDeleting(T).state()).isEqualTo(BackupState.DELETING);
    assertThatThrownBy(() -> running.startDeleting(T)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> running.complete(T).fail("r", T)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> running.fail("r", T).complete(T)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void shouldShowCamundasStatusWordsPerComponent() {
    Backup running =
        Backup.requested("c", new BackupId(5), Optional.of("nightly"), BackupType.MANUAL, Set.of(Component.ZEEBE, Component.OPERATE), T)
            .withPart(Component.OPERATE, new ComponentPart(PartState.COMPLETED, "", java.util.List.of()));

    assertThat(running.name()).isEqualTo("nightly");
    assertThat(running.camundaStatusOf(Component.OPERATE)).isEqualTo("Complete");
    assertThat(running.camundaStatusOf(Component.ZEEBE)).isEqualTo("In progress");
    assertThat(running.camundaStatusOf(Component.TASKLIST)).isEqualTo("-");
    assertThat(running.fail("x", T).camundaStatusOf(Component.OPERATE)).isEqualTo("Failed");
  }

  @Test
  void shouldAllocateIdsFromTheClockAndNeverBelowTheLastOne() {
    assertThat(BackupId.next(Optional.empty(), T).value()).isEqualTo(T.getEpochSecond());
    assertThat(BackupId.next(Optional.of(new BackupId(T.getEpochSecond())), T).value()).isEqualTo(T.getEpochSecond() + 1);
    assertThat(BackupId.next(Optional.of(new BackupId(T.getEpochSecond() + 100)), T).value()).isEqualTo(T.getEpochSecond() + 101);
    assertThatThrownBy(() -> new BackupId(0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shouldParseAndCompareGenerations() {
    assertThat(Generation.parse("8.6.0")).isGreaterThan(Generation.parse("8.2.4"));
    assertThat(Generation.parse("8.10.0")).isGreaterThan(Generation.parse("8.9.3"));
    assertThat(Generation.parse("8.6.0-alpha1").toString()).isEqualTo("8.6.0");
    assertThat(Generation.parse("8.2.3").supportsBackups()).isFalse();
    assertThat(Generation.parse("8.7.1").procedureFamily()).isEqualTo(Generation.ProcedureFamily.WEB_APPS_FIRST);
    assertThat(Generation.parse("8.8.0").procedureFamily()).isEqualTo(Generation.ProcedureFamily.EXPORTING_PAUSED_FIRST);
    assertThatThrownBy(() -> Generation.parse("eight")).isInstanceOf(IllegalArgumentException.class);
  }
}
