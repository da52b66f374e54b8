package dev.backstop.core.procedure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstop.core.backup.Backup;
import dev.backstop.core.backup.BackupId;
import dev.backstop.core.backup.BackupState;
import dev.backstop.core.backup.BackupStep;
import dev.backstop.core.backup.BackupType;
import dev.backstop.core.backup.Component;
import dev.backstop.core.backup.PartState;

import dev.backstop.core.cluster.Cluster;



import dev.backstop.core.operation.Halt;
import dev.backstop.core.testing.TestClusters;
import dev.backstop.core.testing.FakeClusterApis;
import dev.backstop.core.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class BackupProcedureTest {

  private static final Instant START = Instant.parse("2026-11-22T10:00:00Z");

  private final SettableClock clock = new SettableClock(START);
  private final List<Backup> saved = new ArrayList<>();
  private final FakeClusterApis apis = new FakeClusterApis(Component.OPERATE, Component.TASKLIST);
  private final Cluster cluster = cluster();
  private final BackupProcedure.Settings settings = TestClusters.FAST_SETTINGS;
  // The sleeper moves the clock: timeouts and tolerances play out without waiting.
  private final BackupProcedure procedure =
      new BackupProcedure(clock, settings, clock::advance, BackupProcedure.StepListener.NONE);

  @Test
  void shouldTakeTheBackupInTheDocumentedOrder() {
    // given
    Backup backup = requested();

    // when
    Backup done = procedure.run(backup, cluster, apis, saved::add);

    // then
    assertThat(done.state()).isEqualTo(BackupState.COMPLETED);
    assertThat(done.completedAt()).contains(clock.instant());
    assertThat(done.parts().values()).allMatch(part -> part.state() == PartState.COMPLETED);
    assertThat(done.exportingPaused()).isFalse();
    List<String> order = apis.calls.stream().filter(call -> !call.endsWith("status") && !call.equals("SEARCH running") && !call.equals("SEARCH threads")).toList();
    assertThat(order)
        .containsExactly(
            "OPERATE start", "TASKLIST start", "SEARCH snapshot zeebe-record*", "ZEEBE pause", "SEARCH snapshot zeebe-record*", "ZEEBE start",
            "ZEEBE resume");
    // both web-app backups were started before either was awaited
    assertThat(apis.calls.indexOf("TASKLIST start")).isLessThan(apis.calls.indexOf("OPERATE status"));
    // and nothing of Zeebe happened before both web apps completed
    assertThat(apis.calls.lastIndexOf("OPERATE status")).isLessThan(apis.calls.indexOf("ZEEBE pause"));
    assertThat(apis.calls.lastIndexOf("TASKLIST status")).isLessThan(apis.calls.indexOf("ZEEBE pause"));
    assertThat(apis.zeebe.paused).isFalse();
  }

  @Test
  void shouldBackUpOptimizeWithTheOtherWebAppsAndRecordItsSnapshots() {
    // given: a cluster of 8.6 with Optimize, whose start names no snapshot
    Cluster withOptimize = TestClusters.orders(START, Component.OPERATE, Component.TASKLIST, Component.OPTIMIZE);
    FakeClusterApis optimizeApis = new FakeClusterApis(Component.OPERATE, Component.TASKLIST, Component.OPTIMIZE);
    Backup backup = Backup.requested(
        withOptimize.id(), BackupId.next(Optional.empty(), START), Optional.empty(), BackupType.MANUAL, withOptimize.backupComponents(), START);

    // when
    Backup done = procedure.run(backup, withOptimize, optimizeApis, saved::add);

    // then: started with Operate and Tasklist, before exporting is paused; its snapshots recorded for a restore
    assertThat(done.state()).isEqualTo(BackupState.COMPLETED);
    assertThat(optimizeApis.calls.stream().filter(call -> !call.endsWith("status") && !call.equals("SEARCH running") && !call.equals("SEARCH threads")).toList())
        .containsExactly(
            "OPERATE start", "TASKLIST start", "OPTIMIZE start", "SEARCH snapshot zeebe-record*", "ZEEBE pause", "SEARCH snapshot zeebe-record*",
            "ZEEBE start", "ZEEBE resume");
    assertThat(optimizeApis.calls.lastIndexOf("OPTIMIZE status")).isLessThan(optimizeApis.calls.indexOf("ZEEBE pause"));
    assertThat(done.part(Component.OPTIMIZE).orElseThrow().state()).isEqualTo(PartState.COMPLETED);
    assertThat(done.part(Component.OPTIMIZE).orElseThrow().artifacts())
        .containsExactly("camunda_optimize_" + done.id() + "_8.6.0_part_1_of_2", "camunda_optimize_" + done.id() + "_8.6.0_part_2_of_2");
    assertThat(done.camundaStatusOf(Component.OPTIMIZE)).isEqualTo("Complete");
  }

  @Test
  void shouldFailOptimizesPartWhenItsCompletedBackupLeftNoSnapshot() {
    // given: Optimize reports its backup completed, but the repository holds none of its snapshots
    Cluster withOptimize = TestClusters.orders(START, Component.OPERATE, Component.OPTIMIZE);
    FakeClusterApis optimizeApis = new FakeClusterApis(Component.OPERATE, Component.OPTIMIZE);
    Backup backup = Backup.requested(
        withOptimize.id(), BackupId.next(Optional.empty(), START), Optional.empty(), BackupType.MANUAL, withOptimize.backupComponents(), START);
    BackupProcedure.ProgressStore losingSnapshots = saving -> {
      saved.add(saving);
      if (saving.step() == BackupStep.AWAIT_WEB_APP_BACKUPS) {
        optimizeApis.search.snapshots.removeIf(name -> name.startsWith("camunda_optimize_"));
      }
    };

    // when
    Backup failed = procedure.run(backup, withOptimize, optimizeApis, losingSnapshots);

    // then: a backup that cannot be restored is not COMPLETED
    assertThat(failed.state()).isEqualTo(BackupState.FAILED);
    assertThat(failed.failureReason()).get().asString().contains("OPTIMIZE").contains("no snapshot camunda_optimize_");
    assertThat(optimizeApis.calls).doesNotContain("ZEEBE pause");
  }

  @Test
  void shouldCopyTheRecordsAheadOfThePauseAndKeepThatCopyWithTheBackupsRecordsPart() {
    // given
    Backup backup = requested();

    // when
    Backup done = procedure.run(backup, cluster, apis, saved::add);

    // then: the copy ahead was taken and completed while exporting still ran, then the records
    // snapshot in the pause; a restore reads only the latter
    assertThat(done.state()).isEqualTo(BackupState.COMPLETED);
    String ahead = "backstop_records_ahead_" + backup.id();
    String records = "camunda_zeebe_records_backup_" + backup.id();
    assertThat(apis.search.snapshots).contains(ahead, records);
    List<String> aheadCalls = apis.calls.subList(apis.calls.indexOf("SEARCH snapshot zeebe-record*"), apis.calls.indexOf("ZEEBE pause"));
    assertThat(aheadCalls).contains("SEARCH status");
    assertThat(done.part(Component.ZEEBE_RECORDS).orElseThrow().artifacts()).containsExactly(records);

    // when: the records part is deleted (a deletion of the backup, or retention)
    Outcome<Void> deleted = procedure.parts().deleteAndConfirm(done, Component.ZEEBE_RECORDS, done.part(Component.ZEEBE_RECORDS).orElseThrow(), apis);

    // then: both snapshots are gone
    assertThat(deleted).isEqualTo(Outcome.done());
    assertThat(apis.search.snapshots).doesNotContain(ahead, records);
  }

  @Test
  void shouldNotCopyTheRecordsAheadTwiceWhenARunStoppedInThatStep() {
    // given: a run that stopped inside the copy ahead, after the engine had taken it
    BackupProcedure crashing =
        new BackupProcedure(clock, settings, clock::advance, (backup, step) -> {
          if (step == BackupStep.AWAIT_WEB_APP_BACKUPS) {
            throw new IllegalStateException("crash");
          }
        });
    try {
      crashing.run(requested(), cluster, apis, saved::add);
    } catch (Halt expected) {
      // stopped with the copy ahead's step saved
    }
    Backup stopped = saved.getLast();
    assertThat(stopped.step()).isEqualTo(BackupStep.COPY_RECORDS_AHEAD);
    Backup inside = stopped.withPart(Component.ZEEBE_RECORDS,
        new dev.backstop.core.backup.ComponentPart(PartState.IN_PROGRESS, "copying the records ahead of the pause", List.of()));
    apis.search.snapshots.add("backstop_records_ahead_" + inside.id());
    apis.calls.clear();

    // when: the next run carries it on
    Backup done = procedure.run(inside, cluster, apis, saved::add);

    // then: the copy ahead was awaited, not taken again; the records snapshot in the pause was taken once
    assertThat(done.state()).isEqualTo(BackupState.COMPLETED);
    assertThat(apis.calls.stream().filter("SEARCH snapshot zeebe-record*"::equals)).hasSize(1);
    assertThat(apis.calls.indexOf("SEARCH snapshot zeebe-record*")).isGreaterThan(apis.calls.indexOf("ZEEBE pause"));
    assertThat(apis.search.snapshots).contains("backstop_records_ahead_" + inside.id(), "camunda_zeebe_records_backup_" + inside.id());
  }

  @Test
  void shouldFailOnACopyAheadThatFailsBeforePausingAndRemoveIt() {
    // given: the search engine ends the copy ahead FAILED
    Backup backup = requested();
    apis.search.failedSnapshots.add("backstop_records_ahead_" + backup.id());

    // when
    Backup failed = procedure.run(backup, cluster, apis, saved::add);

    // then: FAILED naming the records and the step; exporting never paused; the copy removed with the other parts
    assertThat(failed.state()).isEqualTo(BackupState.FAILED);
    assertThat(failed.failureReason()).get().asString().contains("ZEEBE_RECORDS").contains("copy records ahead").contains("FAILED");
    assertThat(apis.calls).doesNotContain("ZEEBE pause");
    assertThat(apis.search.snapshots).noneMatch(name -> name.contains(String.valueOf(backup.id().value())));
    assertThat(failed.parts().values()).noneMatch(part -> part.state().mayHoldData());
  }

  @Test
  void shouldTakeTheWebAppBackupsOneAfterTheOtherWhenSoSet() {
    // given
    BackupProcedure oneAtATime =
        new BackupProcedure(clock, settings.with(BackupProcedure.WebAppBackups.ONE_AT_A_TIME), clock::advance, BackupProcedure.StepListener.NONE);
    apis.pollsUntilDone = 3;

    // when
    Backup done = oneAtATime.run(requested(), cluster, apis, saved::add);

    // then: Tasklist's backup was started only once Operate's had completed (its third answer)
    assertThat(done.state()).isEqualTo(BackupState.COMPLETED);
    List<String> webApps = apis.calls.stream().filter(call -> call.startsWith("OPERATE") || call.startsWith("TASKLIST")).toList();
    assertThat(webApps)
        .containsExactly("OPERATE start", "OPERATE status", "OPERATE status", "OPERATE status", "TASKLIST start", "TASKLIST status",
            "TASKLIST status", "TASKLIST status");
    assertThat(done.parts().values()).allMatch(part -> part.state() == PartState.COMPLETED);
  }

  @Test
  void shouldTakeTheWebAppBackupsOneAfterTheOtherWhereTheSearchEngineHasASingleSnapshotThreadAndTogetherOtherwise() {
    // given: the default (AUTO), and an engine with one snapshot thread
    apis.search.snapshotThreads = 1;
    apis.pollsUntilDone = 2;

    // when
    procedure.run(requested(), cluster, apis, saved::add);

    // then: one after the other
    List<String> webApps = apis.calls.stream().filter(call -> call.startsWith("OPERATE") || call.startsWith("TASKLIST")).toList();
    assertThat(webApps).containsExactly("OPERATE start", "OPERATE status", "OPERATE status", "TASKLIST start", "TASKLIST status", "TASKLIST status");

    // when: an engine with two snapshot threads
    apis.calls.clear();
    apis.search.snapshotThreads = 2;
    clock.advance(Duration.ofMinutes(1));
    procedure.run(Backup.requested(cluster.id(), BackupId.next(Optional.empty(), clock.instant()), Optional.empty(), BackupType.MANUAL,
        cluster.backupComponents(), clock.instant()), cluster, apis, saved::add);

    // then: together
    List<String> together = apis.calls.stream().filter(call -> call.startsWith("OPERATE") || call.startsWith("TASKLIST")).toList();
    assertThat(together.subList(0, 2)).containsExactly("OPERATE start", "TASKLIST start");
  }

  @Test
  void shouldStartTheNextWebAppBackupAfterARestartBetweenThem() {
    // given: one at a time; a run stopped when Operate's backup had completed and Tasklist's was not started
    BackupProcedure.Settings oneAtATimeSettings = settings.with(BackupProcedure.WebAppBackups.ONE_AT_A_TIME);
    BackupProcedure crashing =
        new BackupProcedure(clock, oneAtATimeSettings, clock::advance, (backup, step) -> {
          if (step == BackupStep.START_WEB_APP_BACKUPS) {
            throw new IllegalStateException("crash");
          }
        });
    try {
      crashing.run(requested(), cluster, apis, saved::add);
    } catch (Halt expected) {
      // stopped after the start step was saved
    }
    Backup stopped = saved.getLast();
    assertThat(stopped.part(Component.TASKLIST).orElseThrow().state()).isEqualTo(PartState.PENDING);

    // when: the next run carries it on
    Backup done = new BackupProcedure(clock, oneAtATimeSettings, clock::advance, BackupProcedure.StepListener.NONE).run(stopped, cluster, apis, saved::add);

    // then: each backup was started once
    assertThat(done.state()).isEqualTo(BackupState.COMPLETED);
    assertThat(apis.calls.stream().filter("OPERATE start"::equals)).hasSize(1);
    assertThat(apis.calls.stream().filter("TASKLIST start"::equals)).hasSize(1);
  }

  @Test
  void shouldSaveEachStepBeforeAndAfterItRuns() {
    procedure.run(requested(), cluster, apis, saved::add);

    assertThat(saved.stream().map(Backup::step).distinct())
        .containsExactly(
            BackupStep.START_WEB_APP_BACKUPS,
            BackupStep.AWAIT_WEB_APP_BACKUPS,
            BackupStep.COPY_RECORDS_AHEAD,
            BackupStep.PAUSE_EXPORTING,
            BackupStep.SNAPSHOT_RECORDS,
            BackupStep.AWAIT_RECORDS_SNAPSHOT,
            BackupStep.START_ZEEBE_BACKUP,
            BackupStep.AWAIT_ZEEBE_BACKUP,
            BackupStep.RESUME_EXPORTING,
            BackupStep.DONE);
    // exporting is recorded as paused before Zeebe is asked to pause
    Backup firstPaused = saved.stream().filter(Backup::exportingPaused).findFirst().orElseThrow();
    assertThat(firstPaused.step()).isEqualTo(BackupStep.PAUSE_EXPORTING);
  }

  @Test
  void shouldFailNamingTheComponentAndStepAndRemoveWhatWasCreated() {
    // given: Tasklist's backup fails
    apis.webApps.get(Component.TASKLIST).failBackups = true;

    // when
    Backup failed = procedure.run(requested(), cluster, apis, saved::add);

    // then
    assertThat(failed.state()).isEqualTo(BackupState.FAILED);
    assertThat(failed.step()).isEqualTo(BackupStep.CLEANED_UP);
    assertThat(failed.failureReason()).get().asString()
        .contains("TASKLIST").contains("await web-app backups").contains("snapshot part 2 FAILED");
    assertThat(failed.part(Component.TASKLIST).orElseThrow().state()).isEqualTo(PartState.DELETED);
    assertThat(failed.part(Component.OPERATE).orElseThrow().state()).isEqualTo(PartState.DELETED);
    assertThat(failed.part(Component.ZEEBE).orElseThrow().state()).isEqualTo(PartState.PENDING);
    assertThat(apis.search.snapshots).isEmpty();
    assertThat(apis.calls).doesNotContain("ZEEBE pause", "ZEEBE start");
  }

  @Test
  void shouldResumeExportingWhenAStepAfterThePauseFails() {
    // given: Zeebe's backup fails
    apis.zeebe.statusOverride = id -> new Observation.Failed("Backup is cancelled due to leader change.");

    // when
    Backup failed = procedure.run(requested(), cluster, apis, saved::add);

    // then
    assertThat(failed.state()).isEqualTo(BackupState.FAILED);
    assertThat(failed.failureReason()).get().asString().contains("ZEEBE").contains("await zeebe backup").contains("leader change");
    assertThat(apis.zeebe.paused).isFalse();
    assertThat(failed.exportingPaused()).isFalse();
    assertThat(apis.zeebe.backups).isEmpty();
    assertThat(apis.search.snapshots).isEmpty();
    assertThat(failed.parts().values()).allMatch(part -> part.state() == PartState.DELETED);
  }

  @Test
  void shouldNameTheSearchEngineWhenTheRecordsSnapshotCannotReachIt() {
    // given: the search engine is down when the records are to be snapshotted
    BackupProcedure.ProgressStore downAtTheSnapshot =
        backup -> {
          saved.add(backup);
          if (backup.step() == BackupStep.SNAPSHOT_RECORDS) {
            apis.search.down = true;
          }
        };

    // when
    Backup failed = procedure.run(requested(), cluster, apis, downAtTheSnapshot);

    // then: the reason says which component holds the records, not only the part's name
    assertThat(failed.failureReason()).get().asString()
        .startsWith("ZEEBE_RECORDS failed")
        .contains("search engine")
        .contains("connection refused");
    assertThat(failed.exportingPaused()).isFalse();
  }

  @Test
  void shouldNameTheSearchEngineWhenItStopsAnsweringDuringTheRecordsSnapshot() {
    // given: the search engine goes away once the records snapshot was started
    BackupProcedure.ProgressStore downWhileAwaited =
        backup -> {
          saved.add(backup);
          if (backup.step() == BackupStep.AWAIT_RECORDS_SNAPSHOT) {
            apis.search.down = true;
          }
        };

    // when
    Backup failed = procedure.run(requested(), cluster, apis, downWhileAwaited);

    // then
    assertThat(failed.failureReason()).get().asString()
        .startsWith("ZEEBE_RECORDS failed")
        .contains("search engine")
        .contains("no answer");
  }

  @Test
  void shouldFailAWaitThatOutlastsItsTimeout() {
    // given: Zeebe's backup never completes
    apis.zeebe.statusOverride = id -> new Observation.InProgress("1 of 2 partitions");

    // when
    Backup failed = procedure.run(requested(), cluster, apis, saved::add);

    // then
    assertThat(failed.failureReason()).get().asString().contains("ZEEBE").contains("not completed within PT5M");
    assertThat(apis.zeebe.paused).isFalse();
  }

  @Test
  void shouldDeleteAnUnreachableWebAppsSnapshotsFromTheRepositoryDirectly() {
    // given: Operate's backup runs, then Operate goes down for good
    apis.pollsUntilDone = 3;
    FakeClusterApis.FakeWebApp operate = apis.webApps.get(Component.OPERATE);
    BackupProcedure.ProgressStore downAfterStart =
        backup -> {
          saved.add(backup);
          if (backup.step() == BackupStep.AWAIT_WEB_APP_BACKUPS) {
            operate.down = true;
          }
        };

    // when
    Backup failed = procedure.run(requested(), cluster, apis, downAfterStart);

    // then: failed after the tolerance, naming Operate; its snapshots removed through the search engine
    assertThat(failed.failureReason()).get().asString().contains("OPERATE").contains("no answer for 30 s");
    assertThat(apis.search.snapshots).isEmpty();
    assertThat(failed.part(Component.OPERATE).orElseThrow().state()).isEqualTo(PartState.DELETED);
    assertThat(apis.calls).anyMatch(call -> call.startsWith("SEARCH delete") && call.contains("camunda_operate_"));
    assertThat(Duration.between(START, clock.instant())).isGreaterThanOrEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void shouldRetryAHalfDonePauseAndGoOn() {
    apis.zeebe.exportingFailures = 2;

    Backup done = procedure.run(requested(), cluster, apis, saved::add);

    assertThat(done.state()).isEqualTo(BackupState.COMPLETED);
    assertThat(apis.calls.stream().filter("ZEEBE pause"::equals)).hasSize(3);
  }

  @Test
  void shouldFailAndStillResumeWhenPausingKeepsFailing() {
    apis.zeebe.exportingFailures = 1000;

    Backup failed = procedure.run(requested(), cluster, apis, saved::add);

    assertThat(failed.state()).isEqualTo(BackupState.FAILED);
    assertThat(failed.failureReason()).get().asString().contains("ZEEBE").contains("pause exporting");
    // the resume is still attempted, and it stays recorded as possibly paused while it fails
    assertThat(apis.calls).contains("ZEEBE resume");
    assertThat(failed.exportingPaused()).isTrue();
  }

  @Test
  void shouldCarryOnAfterARestartWhileExportingWasPaused() {
    // given: a Backstop that stopped right after pausing exporting
    BackupProcedure crashing =
        new BackupProcedure(clock, settings, clock::advance, (backup, step) -> {
          if (step == BackupStep.PAUSE_EXPORTING) {
            throw new Crash();
          }
        });
    try {
      crashing.run(requested(), cluster, apis, saved::add);
    } catch (Halt expected) {
      // the process is gone; what was saved remains
    }
    Backup lastSaved = saved.getLast();
    assertThat(lastSaved.step()).isEqualTo(BackupStep.SNAPSHOT_RECORDS);
    assertThat(lastSaved.exportingPaused()).isTrue();
    assertThat(apis.zeebe.paused).isTrue();

    // when: the next Backstop runs the saved backup
    Backup done = procedure.run(lastSaved, cluster, apis, saved::add);

    // then
    assertThat(done.state()).isEqualTo(BackupState.COMPLETED);
    assertThat(apis.zeebe.paused).isFalse();
    assertThat(apis.calls.stream().filter("OPERATE start"::equals)).hasSize(1);
  }

  @Test
  void shouldNotStartZeebesBackupTwiceWhenItsStartWasNotConfirmedBeforeARestart() {
    // given: stopped after Zeebe's backup was started but before that was saved
    BackupProcedure.ProgressStore crashing =
        backup -> {
          saved.add(backup);
          if (backup.step() == BackupStep.START_ZEEBE_BACKUP && apis.zeebe.backups.size() == 1) {
            throw new Crash();
          }
        };
    try {
      procedure.run(requested(), cluster, apis, crashing);
    } catch (Halt expected) {
      // gone
    }
    Backup lastSaved = saved.getLast();
    assertThat(lastSaved.step()).isEqualTo(BackupStep.START_ZEEBE_BACKUP);

    // when
    Backup done = procedure.run(lastSaved, cluster, apis, saved::add);

    // then: Zeebe would have refused a second start of the same id; it was not asked twice
    assertThat(done.state()).isEqualTo(BackupState.COMPLETED);
    assertThat(apis.calls.stream().filter("ZEEBE start"::equals)).hasSize(1);
  }

  @Test
  void shouldNotBlameAComponentForBackstopsOwnDefect() {
    // given: Backstop's own code throws while it starts Operate's backup
    apis.webApps.get(Component.OPERATE).startThrows = new IllegalStateException("a bug in Backstop");

    // when
    Backup failed = procedure.run(requested(), cluster, apis, saved::add);

    // then: the reason says it was Backstop, and no component's part is marked failed for it
    assertThat(failed.state()).isEqualTo(BackupState.FAILED);
    assertThat(failed.failureReason()).get().asString()
        .startsWith("Backstop failed at step 'start web-app backups': unexpected error")
        .contains("a bug in Backstop")
        .doesNotContain("ZEEBE");
    assertThat(failed.parts().values()).noneMatch(part -> part.state() == PartState.FAILED);
  }

  private static final class Crash extends RuntimeException {}

  @Test
  void shouldLookAtTheWebAppsSnapshotsOnlyInALongWaitAndThenEveryFiveSeconds() {
    // given: polls 25 ms apart at first, growing to 100 ms
    BackupProcedure.Settings fastPolls =
        new BackupProcedure.Settings(
            settings.webAppTimeout(), settings.recordsSnapshotTimeout(), settings.zeebeTimeout(), settings.exportingTimeout(),
            settings.unreachableTolerance(), Duration.ofMillis(25), Duration.ofMillis(100), settings.cleanupRetries());
    BackupProcedure polling = new BackupProcedure(clock, fastPolls, clock::advance, BackupProcedure.StepListener.NONE);

    // when: web-app backups that take 30 polls (under 3 s)
    apis.pollsUntilDone = 30;
    Backup quick = polling.run(requested(), cluster, apis, saved::add);

    // then: the apps' answers were enough; their snapshots were not read one by one
    assertThat(quick.state()).isEqualTo(BackupState.COMPLETED);
    assertThat(snapshotLooksBeforePause()).isZero();

    // when: web-app backups that take 300 polls (about 30 s)
    apis.calls.clear();
    clock.advance(Duration.ofMinutes(1));
    apis.pollsUntilDone = 300;
    Instant started = clock.instant();
    Backup slow = polling.run(Backup.requested(cluster.id(), BackupId.next(Optional.of(quick.id()), clock.instant()), Optional.empty(),
        BackupType.MANUAL, cluster.backupComponents(), clock.instant()), cluster, apis, saved::add);

    // then: each app's two snapshots were looked at about every 5 s, not at each of the 300 polls
    assertThat(slow.state()).isEqualTo(BackupState.COMPLETED);
    assertThat(apis.calls.stream().filter(call -> call.equals("OPERATE status")).count()).isEqualTo(300);
    Instant paused = saved.stream().filter(b -> b.id().equals(slow.id()) && b.step() == BackupStep.PAUSE_EXPORTING).findFirst().orElseThrow().stepStartedAt();
    long fiveSecondPeriods = Duration.between(started, paused).toSeconds() / 5;
    assertThat(snapshotLooksBeforePause()).isBetween(2 * 2 * (fiveSecondPeriods - 1), 2 * 2 * fiveSecondPeriods);
  }

  @Test
  void shouldAskAWebAppOnlyOnceASecondWhileTheSearchEngineShowsItsSnapshotRunning() {
    // given: polls 25 ms apart at first, growing to the 100 ms quick poll; Operate's snapshot
    // visibly runs in the search engine for the whole wait, Tasklist's none
    BackupProcedure.Settings fastPolls = quickPolls();
    BackupProcedure polling = new BackupProcedure(clock, fastPolls, clock::advance, BackupProcedure.StepListener.NONE);
    Backup backup = requested();
    apis.search.running.add("camunda_operate_" + backup.id() + "_8.6.0_part_1_of_2");
    apis.pollsUntilDone = 4;

    // when
    Backup done = polling.run(backup, cluster, apis, saved::add);

    // then: Operate was asked at the start and then once a second until it said completed (4
    // answers over about 3 s), while the engine's running snapshots were read every poll
    assertThat(done.state()).isEqualTo(BackupState.COMPLETED);
    long operateAnswers = apis.calls.stream().filter("OPERATE status"::equals).count();
    long runningLooks = apis.calls.subList(0, apis.calls.indexOf("SEARCH snapshot zeebe-record*")).stream().filter("SEARCH running"::equals).count();
    assertThat(operateAnswers).isEqualTo(4);
    assertThat(runningLooks).isBetween(25L, 40L);
    // and Tasklist, with nothing of it running in the engine, was asked at each poll until it completed
    assertThat(apis.calls.indexOf("TASKLIST status")).isLessThan(apis.calls.indexOf("SEARCH running") + 3);
  }

  @Test
  void shouldAskEachWebAppAtEveryPollWhenTheSearchEngineCannotTellWhatRuns() {
    // given: the engine's running snapshots cannot be read (the search engine answers nothing
    // else either, but the web apps do)
    BackupProcedure.Settings fastPolls = quickPolls();
    BackupProcedure polling = new BackupProcedure(clock, fastPolls, clock::advance, BackupProcedure.StepListener.NONE);
    Backup backup = requested();
    apis.search.running.add("camunda_operate_" + backup.id() + "_8.6.0_part_1_of_2");
    apis.search.down = true;
    apis.pollsUntilDone = 8;

    // when
    polling.run(backup, cluster, apis, saved::add);

    // then: Operate was asked at every poll: four answers within the first polls, 25 + 37 + 56 ms apart
    List<String> webAppCalls = apis.calls.stream().filter(call -> call.startsWith("OPERATE") || call.startsWith("TASKLIST")).toList();
    assertThat(webAppCalls.subList(0, 10))
        .containsExactly("OPERATE start", "TASKLIST start", "OPERATE status", "TASKLIST status", "OPERATE status", "TASKLIST status",
            "OPERATE status", "TASKLIST status", "OPERATE status", "TASKLIST status");
    // and those polls grew as the usual ones do (25, 37, 56, 84, 126, 189, 284 ms: about 0.8 s for
    // eight answers), not capped at the quick poll's 100 ms (0.5 s): the apps are not hammered
    Instant waitEnded = saved.stream().filter(b -> b.step() == BackupStep.COPY_RECORDS_AHEAD).findFirst().orElseThrow().stepStartedAt();
    assertThat(Duration.between(START, waitEnded)).isGreaterThan(Duration.ofMillis(700));
  }

  @Test
  void shouldFailAWebAppsBackupWhoseSnapshotFailedWhileTheAppStillAnswersInProgress() {
    // given: Operate's backup never reports an end, but its second snapshot FAILED in the repository
    BackupProcedure.Settings fastPolls =
        new BackupProcedure.Settings(
            settings.webAppTimeout(), settings.recordsSnapshotTimeout(), settings.zeebeTimeout(), settings.exportingTimeout(),
            settings.unreachableTolerance(), Duration.ofMillis(25), Duration.ofSeconds(1), settings.cleanupRetries());
    BackupProcedure polling = new BackupProcedure(clock, fastPolls, clock::advance, BackupProcedure.StepListener.NONE);
    apis.pollsUntilDone = Integer.MAX_VALUE;
    Backup backup = requested();
    apis.search.failedSnapshots.add("camunda_operate_" + backup.id() + "_8.6.0_part_2_of_2");
    Instant started = clock.instant();

    // when
    Backup failed = polling.run(backup, cluster, apis, saved::add);

    // then: failed on the snapshot's word, soon after the first look at the snapshots, long before the step's timeout
    assertThat(failed.state()).isEqualTo(BackupState.FAILED);
    assertThat(failed.failureReason()).get().asString().contains("OPERATE").contains("part_2_of_2").contains("FAILED");
    Instant failedAt = saved.stream().filter(b -> b.state() == BackupState.FAILED).findFirst().orElseThrow().stepStartedAt();
    assertThat(Duration.between(started, failedAt)).isLessThan(Duration.ofSeconds(10));
    assertThat(apis.calls).doesNotContain("ZEEBE pause");
  }

  /** The snapshot statuses read during the web-app wait: before the records are copied ahead of the pause. */
  private long snapshotLooksBeforePause() {
    return apis.calls.subList(0, apis.calls.indexOf("SEARCH snapshot zeebe-record*")).stream().filter(call -> call.equals("SEARCH status")).count();
  }

  /** Polls 25 ms apart at first, growing to a second; quick ones to 100 ms; web-app backups taken together. */
  private BackupProcedure.Settings quickPolls() {
    return new BackupProcedure.Settings(
        settings.webAppTimeout(), settings.recordsSnapshotTimeout(), settings.zeebeTimeout(), settings.exportingTimeout(),
        settings.unreachableTolerance(), Duration.ofMillis(25), Duration.ofSeconds(1), settings.cleanupRetries(), Duration.ofMillis(100),
        BackupProcedure.WebAppBackups.TOGETHER);
  }

  private Backup requested() {
    return Backup.requested(
        cluster.id(), BackupId.next(Optional.empty(), START), Optional.empty(), BackupType.MANUAL, cluster.backupComponents(), START);
  }

  private static Cluster cluster() {
    return TestClusters.orders(START);
  }
}
