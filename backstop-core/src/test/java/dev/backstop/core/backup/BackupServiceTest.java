package dev.backstop.core.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backstop.core.cluster.BackupLocation;
import dev.backstop.core.cluster.Cluster;
import dev.backstop.core.cluster.ClusterDirectory;
import dev.backstop.core.cluster.ComponentEndpoints;
import dev.backstop.core.cluster.Generation;
import dev.backstop.core.operation.Backoff;
import dev.backstop.core.operation.OwnershipLost;
import dev.backstop.core.operation.RetryState;
import dev.backstop.core.operation.Ticket;
import dev.backstop.core.organization.Plan;
import dev.backstop.core.policy.Admission;
import dev.backstop.core.policy.BackupPolicy;
import dev.backstop.core.procedure.BackupProcedure;
import dev.backstop.core.procedure.Observation;
import dev.backstop.core.procedure.Waits;
import dev.backstop.core.testing.TestClusters;
import dev.backstop.core.testing.FakeClusterApis;
import dev.backstop.core.testing.InMemoryBackupRepository;
import dev.backstop.core.testing.InMemoryOperationEngine;
import dev.backstop.core.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import dev.backstop.core.event.Event;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The backup use cases and the backup's operation with hand-written fakes: the engine runs
 * operations on the calling thread when told, the clock moves only when told (or when the
 * procedure "sleeps"), and the cluster's components keep real state.
 */
class BackupServiceTest {

  private static final Instant START = Instant.parse("2026-11-22T10:00:00Z");
  private static final Backoff RETRIES = new Backoff(Duration.ofSeconds(5), Duration.ofSeconds(20));

  private final SettableClock clock = new SettableClock(START);
  private final InMemoryBackupRepository repository = new InMemoryBackupRepository("c-1");
  private final InMemoryOperationEngine engine = new InMemoryOperationEngine(clock);
  private final FakeClusterApis apis = new FakeClusterApis(Component.OPERATE);
  private BackupPolicy policy = new BackupPolicy(Duration.ofHours(5), 3, 3);
  private final Cluster cluster = cluster();
  private final ClusterDirectory directory =
      id -> id.equals("c-1") ? Optional.of(new ClusterDirectory.ClusterContext(cluster, Plan.ENTERPRISE, policy, false)) : Optional.empty();
  private final BackupProcedure.Settings settings =
      new BackupProcedure.Settings(
          Duration.ofMinutes(5), Duration.ofMinutes(5), Duration.ofMinutes(5), Duration.ofSeconds(10),
          Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofSeconds(4), RETRIES);
  /** What the procedure's and the service's sleeps do: move the clock, and whatever a test adds. */
  private final AtomicReference<Waits.Sleeper> onSleep = new AtomicReference<>(duration -> {});
  private final Waits.Sleeper sleeper =
      duration -> {
        onSleep.get().sleep(duration);
        clock.advance(duration);
      };
  private final BackupProcedure procedure = new BackupProcedure(clock, settings, sleeper, BackupProcedure.StepListener.NONE);
  private final BackupService service = new BackupService(repository, directory, c -> apis, procedure, clock, engine);

  @BeforeEach
  void wire() {
    engine.handledBy(service);
    repository.checkClaimsAgainst(engine::currentRun);
  }

  @Test
  void shouldRefuseManualAndScheduledBackupsAndTheRestoredBackupsDeletionWhileARestoreRuns() {
    // given: a completed backup, being restored
    Backup restored = ((BackupService.Accepted) service.requestManualBackup("c-1", Optional.empty())).backup();
    engine.runDue();
    clock.advance(Duration.ofHours(6));
    service.checkRestoresWith(clusterId -> Optional.of(restored.id()));

    // when
    BackupService.RequestResult manual = service.requestManualBackup("c-1", Optional.empty());
    BackupService.RequestResult scheduled = service.requestScheduledBackup("c-1", backup -> {});
    BackupService.DeleteResult deletion = service.delete("c-1", restored.id());

    // then: refused, nothing recorded, nothing queued
    assertThat(manual).isInstanceOfSatisfying(BackupService.Rejected.class,
        rejected -> assertThat(rejected.rejection().rejection()).isEqualTo(Admission.Rejection.OPERATION_RUNNING));
    assertThat(scheduled).isInstanceOfSatisfying(BackupService.Rejected.class,
        rejected -> assertThat(rejected.rejection().rejection()).isEqualTo(Admission.Rejection.OPERATION_RUNNING));
    assertThat(deletion).isInstanceOfSatisfying(BackupService.StillInProgress.class,
        refused -> assertThat(refused.reason()).contains("being restored"));
    assertThat(repository.list("c-1")).extracting(Backup::state).containsExactly(BackupState.COMPLETED);
    assertThat(engine.isQueued(operation(restored))).isFalse();
  }

  @Test
  void shouldRunAnAdmittedBackupAndForgetItsOperationOnceDone() {
    BackupService.RequestResult result = service.requestManualBackup("c-1", Optional.of("before-upgrade"));
    Backup requested = ((BackupService.Accepted) result).backup();
    assertThat(engine.isQueued(operation(requested))).as("queued with the backup").isTrue();

    engine.runDue();

    Backup backup = repository.list("c-1").getFirst();
    assertThat(backup.state()).isEqualTo(BackupState.COMPLETED);
    assertThat(backup.name()).isEqualTo("before-upgrade");
    assertThat(backup.id().value()).isEqualTo(START.getEpochSecond());
    assertThat(backup.retry()).isEmpty();
    assertThat(apis.zeebe.backups).containsKey(backup.id().value());
    assertThat(engine.queued()).isEmpty();
  }

  @Test
  void shouldAllocateAnIdAboveTheLatestBackupZeebeListsEvenWhenTakenOutsideBackstop() {
    // given: Zeebe holds a backup, taken by another tool, whose id is an hour ahead of the clock
    long takenOutside = START.getEpochSecond() + 3600;
    apis.zeebe.backups.put(takenOutside, 99);
    apis.zeebe.latestCheckpoint = takenOutside;

    // when
    Backup requested = ((BackupService.Accepted) service.requestManualBackup("c-1", Optional.empty())).backup();
    engine.runDue();

    // then: the id is above it, and Zeebe takes the backup
    assertThat(requested.id().value()).isEqualTo(takenOutside + 1);
    assertThat(repository.find("c-1", requested.id()).orElseThrow().state()).isEqualTo(BackupState.COMPLETED);
  }

  @Test
  void shouldAllocateTheNextIdAboveTheLatestOneZeebeNamedWhenItRefusedABackup() {
    // given: Zeebe's latest checkpoint is an hour ahead, from a backup deleted since (not listed)
    long deletedOutside = START.getEpochSecond() + 3600;
    apis.zeebe.latestCheckpoint = deletedOutside;

    // when: a backup is refused by Zeebe, and another one is asked for
    Backup refused = ((BackupService.Accepted) service.requestManualBackup("c-1", Optional.empty())).backup();
    engine.runDue();
    assertThat(repository.find("c-1", refused.id()).orElseThrow().failureReason().orElseThrow()).contains("latest backup id " + deletedOutside);
    Backup next = ((BackupService.Accepted) service.requestScheduledBackup("c-1", backup -> {})).backup();
    engine.runDue();

    // then: the next one's id is above what Zeebe named, and Zeebe takes it
    assertThat(next.id().value()).isEqualTo(deletedOutside + 1);
    assertThat(repository.find("c-1", next.id()).orElseThrow().state()).isEqualTo(BackupState.COMPLETED);
  }

  @Test
  void shouldAllocateFromTheClockWhenZeebeDoesNotListItsBackups() {
    // given
    apis.zeebe.down = true;

    // when
    BackupService.RequestResult result = service.requestManualBackup("c-1", Optional.empty());

    // then: Zeebe was asked, and the backup accepted all the same (its steps will report Zeebe), with the clock's id
    assertThat(apis.calls).contains("ZEEBE list");
    assertThat(result).isInstanceOfSatisfying(BackupService.Accepted.class,
        accepted -> assertThat(accepted.backup().id().value()).isEqualTo(START.getEpochSecond()));
  }

  @Test
  void shouldAllocateAboveItsOwnLastIdWhenZeebeListsOnlyOlderBackups() {
    // given: a backup taken and deleted (Zeebe lists it no more), and an older one Zeebe lists
    Backup first = ((BackupService.Accepted) service.requestManualBackup("c-1", Optional.empty())).backup();
    engine.runDue();
    service.delete("c-1", first.id());
    engine.runDue();
    apis.zeebe.backups.put(START.getEpochSecond() - 100, 99);
    long expected = Math.max(clock.instant().getEpochSecond(), first.id().value() + 1);

    // when
    Backup second = ((BackupService.Accepted) service.requestManualBackup("c-1", Optional.empty())).backup();

    // then: from the clock and the last id Backstop allocated; Zeebe's older id changes nothing
    assertThat(second.id().value()).isEqualTo(expected);
  }

  @Test
  void shouldRefuseABackupWhenTheComponentsReportAnotherGenerationThanTheRegisteredOne() {
    // given: registered as 8.6.0 (TestClusters), Zeebe and Operate upgraded since
    service.detectGenerationsWith(endpoints -> Map.of("zeebe", "8.7.2", "operate", "8.7.2", "tasklist", "8.6.0"));

    // when
    BackupService.RequestResult result = service.requestManualBackup("c-1", Optional.empty());

    // then: refused, naming what each reports; nothing recorded, queued or started
    assertThat(result).isInstanceOfSatisfying(BackupService.Rejected.class, rejected -> {
      assertThat(rejected.rejection().rejection()).isEqualTo(Admission.Rejection.GENERATION_MISMATCH);
      assertThat(rejected.rejection().detail())
          .contains("registered as generation 8.6.0")
          .contains("operate reports 8.7.2, zeebe reports 8.7.2")
          .doesNotContain("tasklist");
    });
    assertThat(repository.list("c-1")).isEmpty();
    assertThat(repository.lastAllocatedId("c-1")).isEmpty();
    assertThat(engine.queued()).isEmpty();
    assertThat(apis.calls).doesNotContain("ZEEBE start");
  }

  @Test
  void shouldAcceptABackupWhenEveryComponentReportsTheRegisteredGeneration() {
    service.detectGenerationsWith(endpoints -> Map.of("zeebe", "8.6.0", "operate", "8.6.0"));

    assertThat(service.requestManualBackup("c-1", Optional.empty())).isInstanceOf(BackupService.Accepted.class);
  }

  @Test
  void shouldChangeNothingWhenItRejectsARequest() {
    service.requestManualBackup("c-1", Optional.empty());
    engine.runDue();
    List<Backup> before = repository.list("c-1");
    int callsBefore = apis.calls.size();

    BackupService.RequestResult result = service.requestManualBackup("c-1", Optional.empty());

    assertThat(result).isInstanceOf(BackupService.Rejected.class);
    assertThat(((BackupService.Rejected) result).rejection().rejection()).isEqualTo(Admission.Rejection.RATE_LIMITED);
    assertThat(repository.list("c-1")).isEqualTo(before);
    assertThat(repository.lastAllocatedId("c-1")).contains(before.getFirst().id());
    assertThat(engine.queued()).isEmpty();
    assertThat(apis.calls).hasSize(callsBefore);
    assertThat(service.requestManualBackup("c-2", Optional.empty())).isInstanceOf(BackupService.ClusterNotFound.class);
  }

  @Test
  void shouldDeleteTheOldestCompletedBackupWhenAFourthCompletes() {
    policy = new BackupPolicy(Duration.ZERO, 3, 3);
    for (int i = 0; i < 4; i++) {
      service.requestManualBackup("c-1", Optional.empty());
      engine.runDue();
      clock.advance(Duration.ofMinutes(1));
    }

    List<Backup> kept = repository.list("c-1");
    assertThat(kept).hasSize(3).allMatch(b -> b.state() == BackupState.COMPLETED);
    long oldest = START.getEpochSecond();
    assertThat(kept).noneMatch(b -> b.id().value() == oldest);
    assertThat(apis.zeebe.backups).doesNotContainKey(oldest).hasSize(3);
    assertThat(apis.search.snapshots).noneMatch(name -> name.contains("_" + oldest));
    assertThat(engine.queued()).isEmpty();
  }

  @Test
  void shouldTellTheEndOfEachBackupAndEachRetentionDeletionKeyedByWhatHappened() {
    policy = new BackupPolicy(Duration.ZERO, 1, 3);
    List<Event> told = new ArrayList<>();
    service.publishEventsTo(told::add);

    // when: two backups complete; retention keeps one
    for (int i = 0; i < 2; i++) {
      service.requestManualBackup("c-1", Optional.empty());
      engine.runDue();
      clock.advance(Duration.ofMinutes(1));
    }

    // then: each end is told, the first backup's deletion by retention, and its removal once its parts are gone
    long first = START.getEpochSecond();
    long second = told.get(1).backupId().orElseThrow().value();
    assertThat(second).isGreaterThan(first);
    assertThat(told).extracting(Event::action)
        .containsExactly("backup.completed", "backup.completed", "backup.deleted-by-retention", "backup.removed");
    assertThat(told).extracting(Event::key)
        .containsExactly("backup-ended/c-1/" + first, "backup-ended/c-1/" + second, "retention/c-1/" + first, "backup-removed/c-1/" + first);
    assertThat(told).allMatch(event -> event.clusterId().equals("c-1"));
    Event.BackupEnded ended = (Event.BackupEnded) told.get(0);
    assertThat(ended.succeeded()).isTrue();
    assertThat(ended.at()).isEqualTo(ended.backup().completedAt().orElseThrow());
  }

  @Test
  void shouldTellAFailedBackupWithItsReasonAndKeepRunningWhenTheSinkFails() {
    apis.webApps.values().iterator().next().failBackups = true;
    List<Event> told = new ArrayList<>();
    service.publishEventsTo(event -> {
      told.add(event);
      throw new IllegalStateException("the audit database is away");
    });

    service.requestManualBackup("c-1", Optional.empty());
    engine.runDue();

    Backup failed = repository.list("c-1").getFirst();
    assertThat(failed.state()).isEqualTo(BackupState.FAILED);
    assertThat(told).singleElement().satisfies(event -> {
      assertThat(event.action()).isEqualTo("backup.failed");
      assertThat(event.succeeded()).isFalse();
      assertThat(event.detail()).contains(failed.failureReason().orElseThrow());
    });
    assertThat(engine.queued()).isEmpty();
  }

  @Test
  void shouldRetryADeletionThatCouldNotFinishWithBackoffUntilItIsDone() {
    // given: a completed backup whose deletion meets Operate down (and its snapshots unreachable)
    Backup backup = completedBackup();
    apis.webApps.get(Component.OPERATE).down = true;
    apis.search.down = true;

    // when
    assertThat(service.delete("c-1", backup.id())).isInstanceOf(BackupService.DeletionStarted.class);
    engine.runDue();

    // then: it stays DELETING, its attempt recorded, and it is due again after the backoff
    Backup deleting = repository.find("c-1", backup.id()).orElseThrow();
    assertThat(deleting.state()).isEqualTo(BackupState.DELETING);
    RetryState retry = deleting.retry().orElseThrow();
    assertThat(retry.attempts()).isEqualTo(1);
    assertThat(retry.lastError()).contains("OPERATE").contains("connection refused");
    assertThat(engine.dueAt(operation(backup))).isEqualTo(retry.nextAttemptAt().orElseThrow()).isEqualTo(retry.lastAttemptAt().plus(Duration.ofSeconds(5)));
    int callsBefore = apis.calls.size();
    engine.runDue();
    assertThat(apis.calls).as("not tried again before its time").hasSize(callsBefore);

    // when: the components are back and the backoff has passed
    apis.webApps.get(Component.OPERATE).down = false;
    apis.search.down = false;
    clock.advance(Duration.ofSeconds(5));
    engine.runDue();

    // then: the deletion is finished
    assertThat(repository.find("c-1", backup.id())).isEmpty();
    assertThat(apis.zeebe.backups).isEmpty();
    assertThat(apis.search.snapshots).isEmpty();
    assertThat(engine.queued()).isEmpty();
  }

  @Test
  void shouldKeepResumingExportingWithBackoffUntilZeebeTakesIt() {
    // given: a backup that fails after the pause, and Zeebe refuses every resume from then on
    Backup failed = failedBackupOwingItsResume();
    assertThat(failed.retry().orElseThrow().attempts()).isEqualTo(1);
    assertThat(failed.retry().orElseThrow().lastError()).contains("resuming exporting").contains("resume failed");
    assertThat(engine.dueAt(operation(failed))).isEqualTo(failed.retry().orElseThrow().nextAttemptAt().orElseThrow());

    // when: the next attempt comes due while Zeebe still refuses
    clock.advance(Duration.ofSeconds(5));
    engine.runDue();

    // then: tried again, the wait doubled
    Backup stillPaused = repository.find("c-1", failed.id()).orElseThrow();
    assertThat(stillPaused.exportingPaused()).isTrue();
    assertThat(stillPaused.retry().orElseThrow().attempts()).isEqualTo(2);
    assertThat(Duration.between(clock.instant(), stillPaused.retry().orElseThrow().nextAttemptAt().orElseThrow())).isEqualTo(Duration.ofSeconds(10));

    // when: Zeebe takes a resume again
    apis.zeebe.exportingFailures = 0;
    clock.advance(Duration.ofSeconds(10));
    engine.runDue();

    // then: resumed, recorded, and nothing left to do
    Backup resumed = repository.find("c-1", failed.id()).orElseThrow();
    assertThat(apis.zeebe.paused).isFalse();
    assertThat(resumed.exportingPaused()).isFalse();
    // the attempts stay visible; none is due any more
    assertThat(resumed.retry()).get().extracting(RetryState::attempts, RetryState::pending).containsExactly(2, false);
    assertThat(resumed.state()).isEqualTo(BackupState.FAILED);
    assertThat(engine.queued()).isEmpty();
  }

  @Test
  void shouldNotCountAResumeThatLeftAPartitionPausedAsDone() {
    // given: a failed backup that owes its resume
    Backup failed = failedBackupOwingItsResume();

    // when: Zeebe answers the next resumes with success, but a partition stays paused
    apis.zeebe.exportingFailures = 0;
    apis.zeebe.resumesNotReachingAPartition = 1_000;
    clock.advance(Duration.ofSeconds(5));
    engine.runDue();

    // then: still owed, with the partition named
    Backup owing = repository.find("c-1", failed.id()).orElseThrow();
    assertThat(owing.exportingPaused()).isTrue();
    assertThat(owing.retry().orElseThrow().lastError()).contains("still paused");
    assertThat(engine.isQueued(operation(failed))).isTrue();
  }

  @Test
  void shouldNotAdmitANewBackupWhileAFailedOneOwesItsResume() {
    // given
    Backup failed = failedBackupOwingItsResume();
    int callsBefore = apis.calls.size();

    // when
    BackupService.RequestResult result = service.requestManualBackup("c-1", Optional.empty());

    // then: rejected, so the retried resume can never un-pause exporting in the middle of another backup
    assertThat(result).isInstanceOf(BackupService.Rejected.class);
    Admission.Rejected rejection = ((BackupService.Rejected) result).rejection();
    assertThat(rejection.rejection()).isEqualTo(Admission.Rejection.OPERATION_RUNNING);
    assertThat(rejection.detail()).contains(failed.id().toString()).contains("cleanup");
    assertThat(repository.list("c-1")).containsExactly(failed);
    assertThat(apis.calls).hasSize(callsBefore);
  }

  @Test
  void shouldRefuseToDeleteAFailedBackupThatOwesItsResume() {
    // given
    Backup failed = failedBackupOwingItsResume();

    // when: the user, or retention, deletes it
    BackupService.DeleteResult result = service.delete("c-1", failed.id());
    policy = new BackupPolicy(Duration.ZERO, 1, 1);
    service.applyRetention(directory.find("c-1").orElseThrow());

    // then: the only record that exporting must be resumed stays
    assertThat(result).isInstanceOf(BackupService.StillInProgress.class);
    assertThat(((BackupService.StillInProgress) result).reason()).contains("exporting is not confirmed resumed");
    assertThat(repository.find("c-1", failed.id())).contains(failed);
  }

  @Test
  void shouldFenceOutARunThatStalledAndWasTakenOver() {
    // given: a backup whose first run stalls while it waits for the web-app backups …
    policy = new BackupPolicy(Duration.ZERO, 3, 3);
    Backup requested = ((BackupService.Accepted) service.requestManualBackup("c-1", Optional.empty())).backup();
    String operation = operation(requested);
    Ticket stalled = engine.pick(operation);
    // … and is taken over meanwhile: the engine hands the operation to another run, which finishes it
    onSleep.set(
        duration -> {
          onSleep.set(d -> {});
          engine.runDue();
        });
    engine.submit(operation); // still queued: the takeover picks it up
    assertThatThrownBy(() -> service.run(stalled))
        // then: the stalled run, continued, is refused its next write
        .isInstanceOf(OwnershipLost.class);

    Backup backup = repository.find("c-1", requested.id()).orElseThrow();
    assertThat(backup.state()).isEqualTo(BackupState.COMPLETED);
    assertThat(apis.calls.stream().filter("ZEEBE start"::equals)).hasSize(1);
    assertThat(apis.zeebe.paused).isFalse();
  }

  @Test
  void shouldRefuseAClaimWithATicketOfARunThatWasTakenOver() {
    Backup requested = ((BackupService.Accepted) service.requestManualBackup("c-1", Optional.empty())).backup();
    List<String> callsOfTheRequest = List.copyOf(apis.calls);
    Ticket old = engine.pick(operation(requested));
    engine.pick(operation(requested)); // the takeover's run

    assertThatThrownBy(() -> service.run(old)).isInstanceOf(OwnershipLost.class);
    assertThat(apis.calls).isEqualTo(callsOfTheRequest);
  }

  @Test
  void shouldRunAgainARunThatHaltedBecauseItsProgressCouldNotBeSaved() {
    // given: the database goes away during the first run
    Backup requested = ((BackupService.Accepted) service.requestManualBackup("c-1", Optional.empty())).backup();
    repository.failNextUpdates(1);

    // when
    engine.runDue();

    // then: the run halted, the operation is due again shortly (not held for ever), and the next run finishes it
    assertThat(repository.find("c-1", requested.id()).orElseThrow().state()).isEqualTo(BackupState.IN_PROGRESS);
    assertThat(engine.dueAt(operation(requested))).isEqualTo(clock.instant().plus(InMemoryOperationEngine.FAILURE_RETRY));
    clock.advance(InMemoryOperationEngine.FAILURE_RETRY);
    engine.runDue();
    assertThat(repository.find("c-1", requested.id()).orElseThrow().state()).isEqualTo(BackupState.COMPLETED);
    assertThat(engine.queued()).isEmpty();
  }

  @Test
  void shouldFailTheBackupAndResumeExportingWhenBackstopStopsWhilePaused() {
    // given: Backstop is told to stop (its threads interrupted) while exporting is paused
    Backup requested = ((BackupService.Accepted) service.requestManualBackup("c-1", Optional.empty())).backup();
    onSleep.set(
        duration -> {
          if (apis.zeebe.paused) {
            throw new InterruptedException("shutdown");
          }
        });
    apis.pollsUntilDone = 3; // the records snapshot and Zeebe's backup take a few polls

    // when
    engine.runDue();

    // then: failed with the reason, exporting resumed before the thread gave up
    Backup abandoned = repository.find("c-1", requested.id()).orElseThrow();
    assertThat(abandoned.state()).isEqualTo(BackupState.FAILED);
    assertThat(abandoned.failureReason()).get().asString().contains("Backstop stopped while exporting was paused");
    assertThat(abandoned.exportingPaused()).isFalse();
    assertThat(apis.zeebe.paused).isFalse();
    assertThat(Thread.interrupted()).as("the interrupt is kept for the engine").isTrue();
    // and the rest of its cleanup is done by the next run
    onSleep.set(d -> {});
    clock.advance(InMemoryOperationEngine.FAILURE_RETRY);
    engine.runDue();
    assertThat(repository.find("c-1", requested.id()).orElseThrow().parts().values()).allMatch(p -> !p.state().mayHoldData());
  }

  @Test
  void shouldKeepAShutdownResumeThatLeftAPartitionPausedOwed() {
    // given: Backstop stops while exporting is paused, and Zeebe's answer to its resume does not reach a partition
    Backup requested = ((BackupService.Accepted) service.requestManualBackup("c-1", Optional.empty())).backup();
    apis.search.interruptCreate = true;
    apis.zeebe.resumesNotReachingAPartition = 1;

    // when
    engine.runDue();
    assertThat(Thread.interrupted()).isTrue();

    // then: abandoned, but still recorded as possibly paused; the next run's cleanup resumes it
    Backup abandoned = repository.find("c-1", requested.id()).orElseThrow();
    assertThat(abandoned.failureReason()).get().asString().startsWith("Backstop stopped while exporting was paused");
    assertThat(abandoned.exportingPaused()).isTrue();
    apis.search.interruptCreate = false;
    clock.advance(InMemoryOperationEngine.FAILURE_RETRY);
    engine.runDue();
    assertThat(apis.zeebe.paused).isFalse();
    assertThat(repository.find("c-1", requested.id()).orElseThrow().exportingPaused()).isFalse();
  }

  @Test
  void shouldNotBlameTheComponentWhenBackstopStoppingCutsACallShort() {
    // given: Backstop stops while the records snapshot is being asked for, exporting paused
    Backup requested = ((BackupService.Accepted) service.requestManualBackup("c-1", Optional.empty())).backup();
    apis.search.interruptCreate = true;

    // when
    engine.runDue();

    // then: abandoned because Backstop stopped, not failed on the search engine; exporting resumed
    Backup abandoned = repository.find("c-1", requested.id()).orElseThrow();
    assertThat(Thread.interrupted()).isTrue();
    assertThat(abandoned.failureReason()).get().asString().startsWith("Backstop stopped while exporting was paused");
    assertThat(abandoned.exportingPaused()).isFalse();
    assertThat(apis.zeebe.paused).isFalse();
  }

  @Test
  void shouldQueueWorkLeftThatHasNoOperation() {
    // given: a failed backup owing its resume, whose operation was lost
    Backup failed = failedBackupOwingItsResume();
    InMemoryOperationEngine emptied = new InMemoryOperationEngine(clock);
    BackupService afterRestore = new BackupService(repository, directory, c -> apis, procedure, clock, emptied);
    emptied.handledBy(afterRestore);
    repository.checkClaimsAgainst(emptied::currentRun);
    apis.zeebe.exportingFailures = 0;

    // when
    assertThat(afterRestore.queueWorkLeft()).isEqualTo(1);
    emptied.runDue();

    // then
    assertThat(apis.zeebe.paused).isFalse();
    assertThat(repository.find("c-1", failed.id()).orElseThrow().exportingPaused()).isFalse();
  }

  // ------------------------------------------------------------------------------------------

  private Backup completedBackup() {
    Backup requested = ((BackupService.Accepted) service.requestManualBackup("c-1", Optional.empty())).backup();
    engine.runDue();
    return repository.find("c-1", requested.id()).orElseThrow();
  }

  /** A backup that failed at Zeebe's backup; every resume is refused from the failure on. */
  private Backup failedBackupOwingItsResume() {
    apis.zeebe.statusOverride = id -> new Observation.Failed("leader change");
    BackupService.Accepted accepted = (BackupService.Accepted) service.requestManualBackup("c-1", Optional.empty());
    repository.onUpdate(
        saved -> {
          if (saved.state() == BackupState.FAILED && saved.exportingPaused()) {
            apis.zeebe.exportingFailures = 1_000;
          }
        });
    engine.runDue();
    repository.onUpdate(saved -> {});
    apis.zeebe.statusOverride = null;
    Backup failed = repository.find("c-1", accepted.backup().id()).orElseThrow();
    assertThat(failed.state()).isEqualTo(BackupState.FAILED);
    assertThat(failed.exportingPaused()).isTrue();
    assertThat(apis.zeebe.paused).isTrue();
    return failed;
  }

  private static String operation(Backup backup) {
    return BackupService.operationOf(backup.clusterId(), backup.id());
  }

  private static Cluster cluster() {
    return TestClusters.orders(START, Component.OPERATE);
  }
}
