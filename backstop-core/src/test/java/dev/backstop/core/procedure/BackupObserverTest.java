package dev.backstop.core.procedure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstop.core.backup.Backup;
import dev.backstop.core.backup.BackupId;
import dev.backstop.core.backup.BackupState;
import dev.backstop.core.backup.BackupStep;
import dev.backstop.core.backup.BackupType;
import dev.backstop.core.backup.Component;

import dev.backstop.core.cluster.Cluster;



import dev.backstop.core.operation.Halt;
import dev.backstop.core.testing.TestClusters;
import dev.backstop.core.testing.FakeClusterApis;
import dev.backstop.core.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** What the backup procedure tells its {@link BackupObserver}: each step, component and pause, timed by its clock, at most once. */
class BackupObserverTest {

  private static final Instant START = Instant.parse("2026-11-22T10:00:00Z");

  private final SettableClock clock = new SettableClock(START);
  private final List<Backup> saved = new ArrayList<>();
  private final FakeClusterApis apis = new FakeClusterApis(Component.OPERATE, Component.TASKLIST);
  private final Cluster cluster = cluster();
  private final BackupProcedure.Settings settings = TestClusters.FAST_SETTINGS;
  private final Recorder told = new Recorder();
  // The sleeper moves the clock: every wait takes time, and nothing else does.
  private final BackupProcedure procedure = new BackupProcedure(clock, settings, clock::advance, BackupProcedure.StepListener.NONE, told);

  @Test
  void shouldTimeEveryStepOnceSoThatTheStepsAddUpToTheBackupsDuration() {
    // when
    Backup done = procedure.run(requested(), cluster, apis, saved::add);

    // then
    assertThat(done.state()).isEqualTo(BackupState.COMPLETED);
    assertThat(told.steps.keySet())
        .containsExactly(
            BackupStep.REQUESTED, BackupStep.START_WEB_APP_BACKUPS, BackupStep.AWAIT_WEB_APP_BACKUPS, BackupStep.COPY_RECORDS_AHEAD, BackupStep.PAUSE_EXPORTING,
            BackupStep.SNAPSHOT_RECORDS, BackupStep.AWAIT_RECORDS_SNAPSHOT, BackupStep.START_ZEEBE_BACKUP, BackupStep.AWAIT_ZEEBE_BACKUP,
            BackupStep.RESUME_EXPORTING);
    assertThat(told.stepCalls).isEqualTo(told.steps.size());
    Duration total = Duration.between(done.createdAt(), done.completedAt().orElseThrow());
    assertThat(told.steps.values().stream().reduce(Duration.ZERO, Duration::plus)).isEqualTo(total);
    // the waits are where the time went
    assertThat(told.steps.get(BackupStep.AWAIT_WEB_APP_BACKUPS)).isPositive();
    assertThat(told.steps.get(BackupStep.AWAIT_ZEEBE_BACKUP)).isPositive();
  }

  @Test
  void shouldTimeEachComponentFromItsStartToItsConfirmedCompletion() {
    // when
    Backup done = procedure.run(requested(), cluster, apis, saved::add);

    // then
    assertThat(told.components.keySet())
        .containsExactlyInAnyOrder(Component.OPERATE, Component.TASKLIST, Component.ZEEBE_RECORDS, Component.ZEEBE);
    assertThat(told.componentCalls).isEqualTo(4);
    // Zeebe: started in its start step, completed at the end of its wait (nothing else takes time)
    Instant zeebeAwaitStarted = firstSavedAt(BackupStep.AWAIT_ZEEBE_BACKUP).stepStartedAt();
    Instant zeebeAwaitEnded = firstSavedAt(BackupStep.RESUME_EXPORTING).stepStartedAt();
    assertThat(told.components.get(Component.ZEEBE)).isEqualTo(Duration.between(zeebeAwaitStarted, zeebeAwaitEnded)).isPositive();
    assertThat(told.components.values()).allMatch(took -> took.compareTo(Duration.between(done.createdAt(), done.completedAt().orElseThrow())) < 0);
  }

  @Test
  void shouldTimeThePauseFromItsConfirmationToTheConfirmedResume() {
    // when
    Backup done = procedure.run(requested(), cluster, apis, saved::add);

    // then: from the end of the pause step to the end of the resume step
    Instant pauseConfirmed = firstSavedAt(BackupStep.SNAPSHOT_RECORDS).stepStartedAt();
    assertThat(told.paused).containsExactly(Duration.between(pauseConfirmed, done.completedAt().orElseThrow()));
    assertThat(told.paused.getFirst()).isPositive().isLessThan(Duration.between(done.createdAt(), done.completedAt().orElseThrow()));
  }

  @Test
  void shouldTimeTheCleanupAndThePauseOfAFailedBackupButNotItsFailedStep() {
    // given: Zeebe's backup fails on the second poll, after exporting was paused
    int[] polls = {0};
    apis.zeebe.statusOverride =
        id -> ++polls[0] < 2 ? new Observation.InProgress("1 of 2 partitions") : new Observation.Failed("Backup is cancelled due to leader change.");

    // when
    Backup failed = procedure.run(requested(), cluster, apis, saved::add);

    // then
    assertThat(failed.state()).isEqualTo(BackupState.FAILED);
    assertThat(told.steps).doesNotContainKey(BackupStep.AWAIT_ZEEBE_BACKUP).containsKey(BackupStep.CLEAN_UP);
    assertThat(told.components).doesNotContainKey(Component.ZEEBE);
    assertThat(told.paused).hasSize(1);
    assertThat(told.paused.getFirst()).isPositive();
  }

  @Test
  void shouldTimeAPauseThatOnlyARetriedCleanupEnded() {
    // given: Zeebe's backup fails, and Zeebe refuses to resume during the cleanup
    apis.zeebe.statusOverride = id -> new Observation.Failed("Backup is cancelled due to leader change.");
    BackupProcedure.ProgressStore resumeRefused =
        backup -> {
          saved.add(backup);
          if (backup.step() == BackupStep.CLEAN_UP && apis.zeebe.exportingFailures == 0 && told.paused.isEmpty() && backup.exportingPaused()) {
            apis.zeebe.exportingFailures = 1_000;
          }
        };
    Backup failed = procedure.run(requested(), cluster, apis, resumeRefused);
    assertThat(failed.owesCleanup()).isTrue();
    assertThat(told.paused).isEmpty();

    // when: Zeebe answers again, a minute later
    apis.zeebe.exportingFailures = 0;
    clock.advance(Duration.ofMinutes(1));
    Backup cleaned = procedure.retryCleanup(failed, apis, saved::add);

    // then
    assertThat(cleaned.exportingPaused()).isFalse();
    assertThat(told.paused).hasSize(1);
    assertThat(told.paused.getFirst()).isGreaterThan(Duration.ofMinutes(1));
  }

  @Test
  void shouldNotTimeWhatAnotherInstanceStartedButTimeTheStepFromItsSavedStart() {
    // given: an instance that stopped right after it started Zeebe's backup
    Recorder first = new Recorder();
    BackupProcedure crashing =
        new BackupProcedure(clock, settings, clock::advance, (backup, step) -> {
          if (step == BackupStep.START_ZEEBE_BACKUP) {
            throw new IllegalStateException("crash");
          }
        }, first);
    try {
      crashing.run(requested(), cluster, apis, saved::add);
    } catch (Halt expected) {
      // gone; what was saved remains
    }
    Backup lastSaved = saved.getLast();
    assertThat(lastSaved.step()).isEqualTo(BackupStep.AWAIT_ZEEBE_BACKUP);
    clock.advance(Duration.ofSeconds(30)); // the time it takes to take the backup over

    // when: another instance carries the backup on
    Backup done = procedure.run(lastSaved, cluster, apis, saved::add);

    // then: each step was told once, by one instance or the other
    assertThat(done.state()).isEqualTo(BackupState.COMPLETED);
    assertThat(first.steps.keySet()).containsExactly(
        BackupStep.REQUESTED, BackupStep.START_WEB_APP_BACKUPS, BackupStep.AWAIT_WEB_APP_BACKUPS, BackupStep.COPY_RECORDS_AHEAD, BackupStep.PAUSE_EXPORTING,
        BackupStep.SNAPSHOT_RECORDS, BackupStep.AWAIT_RECORDS_SNAPSHOT, BackupStep.START_ZEEBE_BACKUP);
    assertThat(told.steps.keySet()).containsExactly(BackupStep.AWAIT_ZEEBE_BACKUP, BackupStep.RESUME_EXPORTING);
    // the step taken over is timed from when the backup was moved to it, the takeover's delay included
    Instant resumeStarted = saved.stream().filter(b -> b.step() == BackupStep.RESUME_EXPORTING).findFirst().orElseThrow().stepStartedAt();
    assertThat(told.steps.get(BackupStep.AWAIT_ZEEBE_BACKUP))
        .isEqualTo(Duration.between(lastSaved.stepStartedAt(), resumeStarted))
        .isGreaterThan(Duration.ofSeconds(30));
    // Zeebe's backup and the pause started on the first instance: neither can be timed by the second
    assertThat(first.components.keySet()).containsExactlyInAnyOrder(Component.OPERATE, Component.TASKLIST, Component.ZEEBE_RECORDS);
    assertThat(told.components).isEmpty();
    assertThat(told.paused).isEmpty();
    assertThat(first.paused).isEmpty();
  }

  @Test
  void shouldTakeTheBackupWhenTheObserverThrows() {
    // given
    BackupObserver broken =
        new BackupObserver() {
          @Override
          public void stepCompleted(Backup backup, BackupStep step, Duration took) {
            throw new IllegalStateException("a defect in the metrics");
          }

          @Override
          public void exportingResumed(Backup backup, Duration pausedFor) {
            throw new IllegalStateException("a defect in the metrics");
          }
        };
    BackupProcedure observed = new BackupProcedure(clock, settings, clock::advance, BackupProcedure.StepListener.NONE, broken);

    // when
    Backup done = observed.run(requested(), cluster, apis, saved::add);

    // then
    assertThat(done.state()).isEqualTo(BackupState.COMPLETED);
    assertThat(apis.zeebe.paused).isFalse();
  }

  /** Records what it is told; a second telling of the same step or component counts. */
  private static final class Recorder implements BackupObserver {
    final Map<BackupStep, Duration> steps = new java.util.LinkedHashMap<>();
    final Map<Component, Duration> components = new java.util.LinkedHashMap<>();
    final List<Duration> paused = new ArrayList<>();
    int stepCalls;
    int componentCalls;

    @Override
    public void stepCompleted(Backup backup, BackupStep step, Duration took) {
      stepCalls++;
      steps.put(step, took);
    }

    @Override
    public void componentCompleted(Backup backup, Component component, Duration took) {
      componentCalls++;
      components.put(component, took);
    }

    @Override
    public void exportingResumed(Backup backup, Duration pausedFor) {
      paused.add(pausedFor);
    }

    @Override
    public String toString() {
      return steps.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
    }
  }

  private Backup firstSavedAt(BackupStep step) {
    return saved.stream().filter(b -> b.step() == step).findFirst().orElseThrow();
  }

  private Backup requested() {
    return Backup.requested(
        cluster.id(), BackupId.next(Optional.empty(), START), Optional.empty(), BackupType.MANUAL, cluster.backupComponents(), START);
  }

  private static Cluster cluster() {
    return TestClusters.orders(START);
  }
}
