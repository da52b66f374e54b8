package dev.backstop.core.procedure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstop.core.backup.Backup;
import dev.backstop.core.backup.BackupId;
import dev.backstop.core.backup.BackupState;
import dev.backstop.core.backup.BackupStep;
import dev.backstop.core.backup.BackupType;
import dev.backstop.core.backup.Component;
import dev.backstop.core.backup.ComponentPart;
import dev.backstop.core.backup.PartState;
import dev.backstop.core.cluster.Cluster;
import dev.backstop.core.cluster.Generation;
import dev.backstop.core.operation.Halt;
import dev.backstop.core.testing.FakeClusterApis;
import dev.backstop.core.testing.SettableClock;
import dev.backstop.core.testing.TestClusters;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The backup procedure of generation 8.8 (exporting paused first; Operate and Tasklist share one
 * history backup; the records snapshot only with Optimize), against the hand-written fakes of
 * {@link FakeClusterApis#generation88}. The same procedure, with Camunda's HTTP shapes, is in the
 * camunda module's {@code Generation88BackupTest}.
 */
class Generation88BackupProcedureTest {

  private static final Instant START = Instant.parse("2026-11-22T10:00:00Z");
  private static final Generation G88 = Generation.parse("8.8.0");

  private final SettableClock clock = new SettableClock(START);
  private final List<Backup> saved = new ArrayList<>();
  private final BackupProcedure procedure =
      new BackupProcedure(clock, TestClusters.FAST_SETTINGS, clock::advance, BackupProcedure.StepListener.NONE);

  @Test
  void shouldPauseFirstThenTakeTheHistoryAndOptimizeBackupsThenTheRecordsThenTheRuntimeBackup() {
    // given: an 8.8 cluster with Operate, Tasklist and Optimize
    Cluster cluster = TestClusters.orders(G88, START, Component.OPERATE, Component.TASKLIST, Component.OPTIMIZE);
    FakeClusterApis apis = FakeClusterApis.generation88(true);

    // when
    Backup done = procedure.run(requested(cluster), cluster, apis, saved::add);

    // then: the documented 8.8 order, the history backup started once for both apps
    assertThat(done.state()).isEqualTo(BackupState.COMPLETED);
    assertThat(apis.calls.stream().filter(call -> !call.endsWith("status") && !call.equals("SEARCH running") && !call.equals("SEARCH threads")).toList())
        .containsExactly("ZEEBE pause", "HISTORY start", "OPTIMIZE start", "SEARCH snapshot zeebe-record*", "ZEEBE start", "ZEEBE resume");
    assertThat(apis.calls.indexOf("OPTIMIZE start")).as("both started before either is awaited").isLessThan(apis.calls.indexOf("HISTORY status"));
    assertThat(apis.calls.lastIndexOf("HISTORY status")).isLessThan(apis.calls.indexOf("SEARCH snapshot zeebe-record*"));
    assertThat(apis.calls.lastIndexOf("OPTIMIZE status")).isLessThan(apis.calls.indexOf("SEARCH snapshot zeebe-record*"));
    assertThat(saved.stream().map(Backup::step).distinct())
        .containsExactly(
            BackupStep.PAUSE_EXPORTING, BackupStep.START_WEB_APP_BACKUPS, BackupStep.AWAIT_WEB_APP_BACKUPS, BackupStep.SNAPSHOT_RECORDS,
            BackupStep.AWAIT_RECORDS_SNAPSHOT, BackupStep.START_ZEEBE_BACKUP, BackupStep.AWAIT_ZEEBE_BACKUP, BackupStep.RESUME_EXPORTING,
            BackupStep.DONE);
    assertThat(saved.stream().filter(b -> b.step() == BackupStep.START_WEB_APP_BACKUPS).findFirst().orElseThrow().exportingPaused())
        .as("exporting paused before any web-app backup starts").isTrue();
    assertThat(apis.zeebe.paused).isFalse();

    // and: each part shows its own status; Operate and Tasklist both follow the history backup
    String id = done.id().toString();
    List<String> history = List.of("camunda_webapps_" + id + "_8.8.0_part_1_of_2", "camunda_webapps_" + id + "_8.8.0_part_2_of_2");
    assertThat(done.part(Component.OPERATE).orElseThrow()).isEqualTo(new ComponentPart(PartState.COMPLETED, "completed", history));
    assertThat(done.part(Component.TASKLIST).orElseThrow()).isEqualTo(done.part(Component.OPERATE).orElseThrow());
    assertThat(done.part(Component.OPTIMIZE).orElseThrow().artifacts())
        .as("Optimize names no snapshot when it starts: read from the repository")
        .containsExactly("camunda_optimize_" + id + "_8.8.0_part_1_of_2", "camunda_optimize_" + id + "_8.8.0_part_2_of_2");
    assertThat(done.parts().values()).allMatch(part -> part.state() == PartState.COMPLETED);
    assertThat(List.of(Component.ZEEBE, Component.OPERATE, Component.TASKLIST, Component.OPTIMIZE).stream().map(done::camundaStatusOf))
        .containsOnly("Complete");
  }

  @Test
  void shouldTakeNoRecordsSnapshotWithoutOptimize() {
    // given: an 8.8 cluster without Optimize: nothing reads the records indices
    Cluster cluster = TestClusters.orders(G88, START);
    FakeClusterApis apis = FakeClusterApis.generation88(false);

    // when
    Backup done = procedure.run(requested(cluster), cluster, apis, saved::add);

    // then
    assertThat(done.state()).isEqualTo(BackupState.COMPLETED);
    assertThat(done.has(Component.ZEEBE_RECORDS)).isFalse();
    assertThat(apis.calls.stream().filter(call -> !call.endsWith("status") && !call.equals("SEARCH running") && !call.equals("SEARCH threads")).toList())
        .containsExactly("ZEEBE pause", "HISTORY start", "ZEEBE start", "ZEEBE resume");
    assertThat(saved.stream().map(Backup::step)).doesNotContain(BackupStep.SNAPSHOT_RECORDS, BackupStep.AWAIT_RECORDS_SNAPSHOT);
  }

  @Test
  void shouldFailWhenTheHistoryBackupFailsResumeExportingAndRemoveWhatWasCreated() {
    // given: the history backup fails
    Cluster cluster = TestClusters.orders(G88, START, Component.OPERATE, Component.TASKLIST, Component.OPTIMIZE);
    FakeClusterApis apis = FakeClusterApis.generation88(true);
    apis.webApps.get(Component.OPERATE).failBackups = true;

    // when
    Backup failed = procedure.run(requested(cluster), cluster, apis, saved::add);

    // then: FAILED with the reason, exporting resumed, every part removed, Zeebe never asked
    assertThat(failed.state()).isEqualTo(BackupState.FAILED);
    assertThat(failed.step()).isEqualTo(BackupStep.CLEANED_UP);
    assertThat(failed.failureReason()).get().asString().contains("OPERATE").contains("await web-app backups").contains("snapshot part 2 FAILED");
    assertThat(apis.zeebe.paused).isFalse();
    assertThat(failed.exportingPaused()).isFalse();
    assertThat(failed.owesCleanup()).isFalse();
    assertThat(apis.calls).contains("HISTORY delete", "OPTIMIZE delete").doesNotContain("ZEEBE start");
    assertThat(apis.search.snapshots).isEmpty();
    assertThat(apis.webApps.get(Component.OPERATE).backups).isEmpty();
    assertThat(apis.webApps.get(Component.OPTIMIZE).backups).isEmpty();
    for (Component part : List.of(Component.OPERATE, Component.TASKLIST, Component.OPTIMIZE)) {
      assertThat(failed.part(part).orElseThrow().state()).as(part.name()).isEqualTo(PartState.DELETED);
    }
    assertThat(failed.camundaStatusOf(Component.TASKLIST)).isEqualTo("Failed");
  }

  @Test
  void shouldRemoveTheHistoryOptimizeRecordsAndRuntimeBackupsWhenTheRuntimeBackupFails() {
    // given: Zeebe's runtime backup fails after everything else was taken
    Cluster cluster = TestClusters.orders(G88, START, Component.OPERATE, Component.TASKLIST, Component.OPTIMIZE);
    FakeClusterApis apis = FakeClusterApis.generation88(true);
    apis.zeebe.statusOverride = id -> new Observation.Failed("Backup is cancelled due to leader change.");

    // when
    Backup failed = procedure.run(requested(cluster), cluster, apis, saved::add);

    // then
    assertThat(failed.state()).isEqualTo(BackupState.FAILED);
    assertThat(failed.failureReason()).get().asString().contains("ZEEBE").contains("await zeebe backup").contains("leader change");
    assertThat(apis.zeebe.paused).isFalse();
    assertThat(apis.zeebe.backups).isEmpty();
    assertThat(apis.search.snapshots).as("history, Optimize and records snapshots").isEmpty();
    assertThat(failed.parts().values()).allMatch(part -> part.state() == PartState.DELETED);
    assertThat(apis.calls.indexOf("ZEEBE resume")).as("exporting resumed before anything is removed")
        .isLessThan(apis.calls.indexOf("HISTORY delete"));
  }

  @Test
  void shouldNotStartTheHistoryBackupTwiceAfterARestart() {
    // given: a Backstop that stopped right after the web-app backups were started
    Cluster cluster = TestClusters.orders(G88, START, Component.OPERATE, Component.TASKLIST, Component.OPTIMIZE);
    FakeClusterApis apis = FakeClusterApis.generation88(true);
    BackupProcedure crashing =
        new BackupProcedure(clock, TestClusters.FAST_SETTINGS, clock::advance, (backup, step) -> {
          if (step == BackupStep.START_WEB_APP_BACKUPS) {
            throw new IllegalStateException("stopped");
          }
        });
    try {
      crashing.run(requested(cluster), cluster, apis, saved::add);
    } catch (Halt expected) {
      // the process is gone; what was saved remains
    }
    Backup lastSaved = saved.getLast();
    assertThat(lastSaved.step()).isEqualTo(BackupStep.AWAIT_WEB_APP_BACKUPS);
    assertThat(lastSaved.exportingPaused()).isTrue();

    // when: the next Backstop runs the saved backup
    Backup done = procedure.run(lastSaved, cluster, apis, saved::add);

    // then
    assertThat(done.state()).isEqualTo(BackupState.COMPLETED);
    assertThat(apis.calls.stream().filter("HISTORY start"::equals)).hasSize(1);
    assertThat(apis.calls.stream().filter("OPTIMIZE start"::equals)).hasSize(1);
    assertThat(apis.zeebe.paused).isFalse();
  }

  private static Backup requested(Cluster cluster) {
    return Backup.requested(
        cluster.id(), BackupId.next(Optional.empty(), START), Optional.empty(), BackupType.MANUAL, cluster.backupComponents(), START);
  }
}
