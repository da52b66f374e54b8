package dev.backstop.core.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backstop.core.backup.Backup;
import dev.backstop.core.backup.BackupId;
import dev.backstop.core.backup.BackupType;
import dev.backstop.core.backup.Component;
import dev.backstop.core.backup.ComponentPart;
import dev.backstop.core.backup.PartState;
import dev.backstop.core.cluster.BackupLocation;
import dev.backstop.core.cluster.Cluster;
import dev.backstop.core.cluster.ComponentEndpoints;
import dev.backstop.core.cluster.Generation;
import dev.backstop.core.procedure.Observation;
import dev.backstop.core.procedure.Outcome;
import dev.backstop.core.procedure.Waits;
import dev.backstop.core.testing.FakeClusterApis;
import dev.backstop.core.testing.SettableClock;
import dev.backstop.core.testing.TestClusters;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The restore procedure against hand-written fakes of its ports: the order of its phases, what a
 * failure leaves, a manual runtime's waits, and resuming from a saved phase. The real components
 * are in the server module's {@code RestoreTest}.
 */
class RestoreProcedureTest {

  private static final BackupId ID = new BackupId(42);

  private final SettableClock clock = new SettableClock(Instant.parse("2026-11-23T10:00:00Z"));
  // The sleeper moves the clock: timeouts play out without waiting.
  private final Waits waits = new Waits(clock, Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(10), clock::advance);
  private final FakeInventory inventory = new FakeInventory();
  private final FakeRuntime runtime = new FakeRuntime();
  private final FakeRestoreApis apis = new FakeRestoreApis(runtime);
  private final FakeClusterApis clusterApis = new FakeClusterApis(Component.OPERATE, Component.TASKLIST);
  private final RestoreProcedure procedure = new RestoreProcedure(clock, waits, RestoreProcedure.Settings.DEFAULTS, inventory);
  private final List<Restore> saved = new ArrayList<>();

  @Test
  void shouldRunEveryPhaseInTheDocumentedOrderAndComplete() {
    Restore restore = procedure.run(requested(), context(), saved::add);

    assertThat(restore.state()).isEqualTo(RestoreState.COMPLETED);
    assertThat(restore.phases()).allSatisfy(phase -> assertThat(phase.state()).isEqualTo(PhaseRun.State.COMPLETED));
    assertThat(runtime.calls).containsExactly("stop", "restore 42 from region-a", "start");
    assertThat(apis.calls).containsSubsequence(
        "delete [operate-x, tasklist-x, zeebe-record-x]", "restore camunda_operate_42", "restore camunda_tasklist_42", "restore camunda_zeebe_records_backup_42");
    // saved as started before each phase ran, and after
    assertThat(saved.stream().filter(r -> r.state() == RestoreState.RUNNING).map(Restore::phase).distinct())
        .containsExactly(RestorePhase.values());
  }

  @Test
  void shouldStopNothingWhenThePreflightFindsAPartMissing() {
    inventory.problems = List.of("partition 2 lacks segments file 1.log");

    Restore restore = procedure.run(requested(), context(), saved::add);

    assertThat(restore.state()).isEqualTo(RestoreState.FAILED);
    assertThat(restore.phase()).isEqualTo(RestorePhase.PREFLIGHT);
    assertThat(restore.failureReason().orElseThrow()).contains("partition 2 lacks segments file 1.log").contains("Nothing was stopped");
    assertThat(runtime.calls).isEmpty();
    assertThat(apis.calls).isEmpty();
  }

  @Test
  void shouldRefuseABackupTakenByAnotherGenerationInThePreflight() {
    inventory.version = "8.5.3";

    Restore restore = procedure.run(requested(), context(), saved::add);

    assertThat(restore.state()).isEqualTo(RestoreState.FAILED);
    assertThat(restore.failureReason().orElseThrow()).contains("Zeebe 8.5.3").contains("8.6.0");
    assertThat(runtime.calls).isEmpty();
  }

  @Test
  void shouldStopNothingWhenTheRunningComponentsReportAnotherGenerationThanTheRegisteredOne() {
    // given: the cluster, registered as 8.6.0, now runs Zeebe 8.7.1
    procedure.detectGenerationsWith(endpoints -> java.util.Map.of("zeebe", "8.7.1", "operate", "8.6.0"));

    Restore restore = procedure.run(requested(), context(), saved::add);

    assertThat(restore.state()).isEqualTo(RestoreState.FAILED);
    assertThat(restore.phase()).isEqualTo(RestorePhase.PREFLIGHT);
    assertThat(restore.failureReason().orElseThrow())
        .contains("registered as generation 8.6.0 but zeebe reports 8.7.1")
        .contains("Nothing was stopped");
    assertThat(runtime.calls).isEmpty();
    assertThat(apis.calls).isEmpty();
  }

  @Test
  void shouldFailInPreflightWhenASnapshotIsNotInTheRepository() {
    apis.missingSnapshots.add("camunda_tasklist_42");

    Restore restore = procedure.run(requested(), context(), saved::add);

    assertThat(restore.state()).isEqualTo(RestoreState.FAILED);
    assertThat(restore.failureReason().orElseThrow()).contains("camunda_tasklist_42");
    assertThat(runtime.calls).isEmpty();
  }

  @Test
  void shouldFailNamingThePhaseAndWhatItLeftWhenTheRestoreToolFails() {
    runtime.restoreFails = true;

    Restore restore = procedure.run(requested(), context(), saved::add);

    assertThat(restore.state()).isEqualTo(RestoreState.FAILED);
    assertThat(restore.phase()).isEqualTo(RestorePhase.RESTORE_ZEEBE);
    assertThat(restore.failureReason().orElseThrow())
        .contains("RESTORE_ZEEBE").contains("exit code 1").contains("not usable until a restore completes");
    assertThat(runtime.calls).doesNotContain("start");
  }

  @Test
  void shouldFailTheStopWhenAComponentStillAnswers() {
    apis.answeringAfterStop.add("http://tasklist:9600");

    Restore restore = procedure.run(requested(), context(), saved::add);

    assertThat(restore.state()).isEqualTo(RestoreState.FAILED);
    assertThat(restore.phase()).isEqualTo(RestorePhase.STOP_COMPONENTS);
    assertThat(restore.failureReason().orElseThrow()).contains("TASKLIST at http://tasklist:9600");
    assertThat(apis.calls).noneMatch(call -> call.startsWith("delete"));
  }

  @Test
  void shouldWaitForTheOperatorAtEachStepAManualRuntimeCannotDo() {
    runtime.manual = true;

    // when: run, and confirmed each time it waits
    Restore restore = procedure.run(requested(), context(), saved::add);
    List<RestorePhase> waitedAt = new ArrayList<>();
    while (restore.state() == RestoreState.WAITING) {
      waitedAt.add(restore.phase());
      assertThat(restore.waitingFor().orElseThrow()).startsWith("Do " + restore.phase());
      if (restore.phase() == RestorePhase.STOP_COMPONENTS) {
        runtime.running = false; // the operator stopped them
      }
      if (restore.phase() == RestorePhase.START_COMPONENTS) {
        runtime.running = true;
      }
      restore = procedure.run(restore.confirm(restore.phase(), clock.instant()), context(), saved::add);
    }

    // then
    assertThat(waitedAt).containsExactly(RestorePhase.STOP_COMPONENTS, RestorePhase.RESTORE_ZEEBE, RestorePhase.START_COMPONENTS);
    assertThat(restore.state()).isEqualTo(RestoreState.COMPLETED);
    assertThat(restore.run(RestorePhase.RESTORE_ZEEBE).detail()).contains("confirmed by the operator");
  }

  @Test
  void shouldCarryOnFromTheSavedPhaseAfterATakeover() {
    // given: a run stopped after the Zeebe restore started (saved as started)
    Restore atZeebe = requested();
    for (RestorePhase phase : List.of(RestorePhase.PREFLIGHT, RestorePhase.STOP_COMPONENTS, RestorePhase.DELETE_INDICES, RestorePhase.RESTORE_SNAPSHOTS)) {
      atZeebe = atZeebe.starting(phase, clock.instant()).completed(phase, "done before", clock.instant());
    }
    atZeebe = atZeebe.starting(RestorePhase.RESTORE_ZEEBE, clock.instant());
    runtime.running = false;

    Restore restore = procedure.run(atZeebe, context(), saved::add);

    assertThat(restore.state()).isEqualTo(RestoreState.COMPLETED);
    assertThat(runtime.calls).containsExactly("restore 42 from region-a", "start");
    assertThat(restore.run(RestorePhase.STOP_COMPONENTS).detail()).contains("done before");
  }

  @Test
  void shouldResumeExportingWhenTheRestoredPartitionsStartPaused() {
    clusterApis.zeebe.paused = true; // as the backup was taken: exporting soft-paused

    Restore restore = procedure.run(requested(), context(), saved::add);

    assertThat(restore.state()).isEqualTo(RestoreState.COMPLETED);
    assertThat(clusterApis.calls).contains("ZEEBE resume");
  }

  @Test
  void shouldFailTheVerificationWhenAnImportDoesNotCatchUp() {
    apis.imported = List.of(new RestoreApis.ImportPosition("job", 1, 10), new RestoreApis.ImportPosition("job", 2, 90));

    Restore restore = procedure.run(requested(), context(), saved::add);

    assertThat(restore.state()).isEqualTo(RestoreState.FAILED);
    assertThat(restore.phase()).isEqualTo(RestorePhase.VERIFY);
    assertThat(restore.failureReason().orElseThrow()).contains("job on partition 1 at 10 of 100").contains("did not prove healthy");
  }

  @Test
  void shouldFailThePhaseThatNeedsARuntimeThatCannotBeResolved() {
    RestoreProcedure.Context broken = new RestoreProcedure.Context(cluster(), backup(), clusterApis, apis, () -> {
      throw new ClusterRuntime.RuntimeFailure("the runtime descriptor /x.json cannot be read");
    });

    Restore restore = procedure.run(requested(), broken, saved::add);

    assertThat(restore.state()).isEqualTo(RestoreState.FAILED);
    assertThat(restore.phase()).isEqualTo(RestorePhase.STOP_COMPONENTS);
    assertThat(restore.failureReason().orElseThrow()).contains("/x.json cannot be read");
  }

  @Test
  void shouldAcceptOnlyTheLegalLifecycleChanges() {
    Restore failed = requested().starting(RestorePhase.PREFLIGHT, clock.instant()).failed(RestorePhase.PREFLIGHT, "broken", clock.instant());

    assertThatThrownBy(() -> failed.starting(RestorePhase.PREFLIGHT, clock.instant())).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> requested().confirm(RestorePhase.STOP_COMPONENTS, clock.instant())).isInstanceOf(IllegalStateException.class);
    assertThat(failed.active()).isFalse();
  }

  @Test
  void shouldReadTheExportedPositionsAgainWhileTheRestoredSearchEngineCannotAnswerYet() {
    // given: the search engine answers "all shards failed" twice right after the restore
    apis.exportedPositionsUnavailable = 2;

    // when
    Restore restore = procedure.run(requested(), context(), saved::add);

    // then
    assertThat(restore.state()).isEqualTo(RestoreState.COMPLETED);
    assertThat(apis.exportedPositionsUnavailable).isZero();
  }

  // ------------------------------------------------------------------------------- generation 8.8

  @Test
  void shouldRestoreAn88BackupWithOptimizeStoppedWhileItsSnapshotsRestore() {
    // given: an 8.8 backup with the history backup (Operate and Tasklist), Optimize and the records
    apis.indices.addAll(Set.of("optimize-report", "camunda-user"));
    inventory.version = "8.8.0";

    // when
    Restore restore = procedure.run(requested(), context88(), saved::add);

    // then: every index of the components deleted first, each snapshot restored once
    assertThat(restore.state()).isEqualTo(RestoreState.COMPLETED);
    assertThat(apis.calls).containsSubsequence(
        "delete [camunda-user, operate-x, optimize-report, tasklist-x, zeebe-record-x]",
        "restore camunda_webapps_42_8.8.0_part_1_of_2", "restore camunda_webapps_42_8.8.0_part_2_of_2",
        "restore camunda_optimize_42_8.8.0_part_1_of_2", "restore camunda_optimize_42_8.8.0_part_2_of_2",
        "restore camunda_zeebe_records_backup_42");
    assertThat(apis.calls.stream().filter(call -> call.startsWith("restore camunda_webapps_"))).hasSize(2);
    // and Optimize was stopped (and found silent) before its snapshots were restored, started after
    assertThat(runtime.timeline).containsSubsequence(
        "stop", "optimize silent", "restore camunda_optimize_42_8.8.0_part_1_of_2", "restore camunda_optimize_42_8.8.0_part_2_of_2",
        "restore 42 from region-a", "start");
    // checked again after the stop phase and the deletion of the indices, right before its snapshots
    assertThat(runtime.timeline).containsSubsequence(
        "stop", "optimize silent", "delete indices", "optimize silent", "restore camunda_optimize_42_8.8.0_part_1_of_2");
  }

  @Test
  void shouldNotRestoreOptimizesSnapshotsWhileOptimizeAnswers() {
    // given: Optimize comes back (someone started it) after the stop, before the snapshots restore
    inventory.version = "8.8.0";
    apis.optimizeBackAfterIndexDeletion = true;

    // when
    Restore restore = procedure.run(requested(), context88(), saved::add);

    // then
    assertThat(restore.state()).isEqualTo(RestoreState.FAILED);
    assertThat(restore.phase()).isEqualTo(RestorePhase.RESTORE_SNAPSHOTS);
    assertThat(restore.failureReason().orElseThrow()).contains("Optimize still answers at http://optimize:8092");
    assertThat(apis.calls).noneMatch(call -> call.startsWith("restore camunda_"));
    // and the phase refused before touching an index (the only deletion is the phase before's)
    assertThat(apis.calls.stream().filter(call -> call.startsWith("delete "))).hasSize(1);
  }

  @Test
  void shouldLeaveTheRecordsIndicesOfAn88ClusterWithoutOptimizeWhichTookNoRecordsSnapshot() {
    // given: an 8.8 cluster without Optimize: its backups hold no records snapshot
    inventory.version = "8.8.0";

    // when
    Restore restore = procedure.run(requested(), context88(false), saved::add);

    // then: the records indices (maybe a legacy exporter's) are neither deleted nor restored
    assertThat(restore.state()).as(restore.failureReason().orElse("")).isEqualTo(RestoreState.COMPLETED);
    assertThat(apis.calls).noneMatch(call -> call.startsWith("delete ") && call.contains("zeebe-record"));
    assertThat(apis.calls).noneMatch(call -> call.contains("camunda_zeebe_records_backup"));
  }

  private RestoreProcedure.Context context88() {
    return context88(true);
  }

  private RestoreProcedure.Context context88(boolean withOptimize) {
    Component[] apps = withOptimize
        ? new Component[] {Component.OPERATE, Component.TASKLIST, Component.OPTIMIZE}
        : new Component[] {Component.OPERATE, Component.TASKLIST};
    Cluster cluster = TestClusters.orders(Generation.parse("8.8.0"), Instant.parse("2026-11-01T00:00:00Z"), apps);
    cluster = new Cluster("c1", cluster.name(), cluster.organizationId(), cluster.generation(), "region-a", cluster.location(),
        cluster.components(), cluster.storage(), cluster.createdAt());
    List<String> history = List.of("camunda_webapps_42_8.8.0_part_1_of_2", "camunda_webapps_42_8.8.0_part_2_of_2");
    Backup backup = Backup.requested("c1", ID, Optional.empty(), BackupType.MANUAL, cluster.backupComponents(), clock.instant());
    backup = backup.withPart(Component.OPERATE, new ComponentPart(PartState.COMPLETED, "completed", history));
    backup = backup.withPart(Component.TASKLIST, new ComponentPart(PartState.COMPLETED, "completed", history));
    if (withOptimize) {
      backup = backup.withPart(Component.OPTIMIZE, new ComponentPart(PartState.COMPLETED, "completed",
          List.of("camunda_optimize_42_8.8.0_part_1_of_2", "camunda_optimize_42_8.8.0_part_2_of_2")));
    }
    return new RestoreProcedure.Context(cluster, backup.complete(clock.instant()), FakeClusterApis.generation88(withOptimize), apis, () -> runtime);
  }

  // ------------------------------------------------------------------------------------- fakes

  private Restore requested() {
    return Restore.requested(UUID.randomUUID().toString(), "c1", ID, "region-a", clock.instant());
  }

  private RestoreProcedure.Context context() {
    return new RestoreProcedure.Context(cluster(), backup(), clusterApis, apis, () -> runtime);
  }

  private static Cluster cluster() {
    return new Cluster(
        "c1", "cluster", UUID.randomUUID(), Generation.parse("8.6.0"), "region-a", BackupLocation.sameRegion(),
        new ComponentEndpoints(
            "http://zeebe:9600", Optional.of("http://operate:9600"), Optional.of("http://tasklist:9600"), Optional.empty(),
            new ComponentEndpoints.Search("http://search:9200", "camunda-backups", "zeebe-record")),
        new Cluster.StorageLayout("zeebe", "search"),
        Instant.parse("2026-11-01T00:00:00Z"));
  }

  private Backup backup() {
    Backup backup = Backup.requested("c1", ID, Optional.empty(), BackupType.MANUAL, EnumSet.of(Component.ZEEBE, Component.ZEEBE_RECORDS, Component.OPERATE, Component.TASKLIST), clock.instant());
    backup = backup.withPart(Component.OPERATE, new ComponentPart(PartState.COMPLETED, "done", List.of("camunda_operate_42")));
    backup = backup.withPart(Component.TASKLIST, new ComponentPart(PartState.COMPLETED, "done", List.of("camunda_tasklist_42")));
    return backup.complete(clock.instant());
  }

  private final class FakeInventory implements BackupInventory {
    List<String> problems = List.of();
    String version = "8.6.0";

    @Override
    public ZeebeCopy zeebe(Cluster cluster, String region, BackupId id) {
      return new ZeebeCopy(2, Optional.of(version), problems);
    }
  }

  /** Components "run" until stopped; a manual runtime asks instead of doing. */
  static final class FakeRuntime implements ClusterRuntime {
    final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    /** The runtime's calls and the search engine's restores, in the order they happened. */
    final List<String> timeline = Collections.synchronizedList(new ArrayList<>());
    boolean running = true;
    boolean manual;
    boolean restoreFails;

    @Override
    public Step stopComponents(Cluster cluster) {
      if (manual) {
        return new AwaitOperator("Do STOP_COMPONENTS");
      }
      calls.add("stop");
      timeline.add("stop");
      running = false;
      return new Done("stopped");
    }

    @Override
    public Step restoreBrokers(Cluster cluster, BackupId id, String sourceRegion) {
      if (manual) {
        return new AwaitOperator("Do RESTORE_ZEEBE");
      }
      calls.add("restore " + id + " from " + sourceRegion);
      timeline.add("restore " + id + " from " + sourceRegion);
      if (restoreFails) {
        throw new RuntimeFailure("Zeebe's restore tool failed for zeebe-0 (exit code 1)");
      }
      return new Done("restored");
    }

    @Override
    public Step startComponents(Cluster cluster) {
      if (manual) {
        return new AwaitOperator("Do START_COMPONENTS");
      }
      calls.add("start");
      timeline.add("start");
      running = true;
      return new Done("started");
    }
  }

  /** A search engine with the snapshots of backup 42, and components that answer while they run. */
  static final class FakeRestoreApis implements RestoreApis {
    final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    final Set<String> indices = new HashSet<>(Set.of("operate-x", "tasklist-x", "zeebe-record-x"));
    final Set<String> missingSnapshots = new HashSet<>();
    final Set<String> answeringAfterStop = new HashSet<>();
    /** Optimize answers again once the indices were deleted (started by someone while the restore runs). */
    boolean optimizeBackAfterIndexDeletion;
    /** How many reads of the exported positions answer 503 before one succeeds. */
    int exportedPositionsUnavailable;
    private boolean indicesDeleted;
    List<ImportPosition> imported = List.of(new ImportPosition("job", 1, 100), new ImportPosition("job", 2, 90), new ImportPosition("process", 1, 2));
    private final FakeRuntime runtime;

    FakeRestoreApis(FakeRuntime runtime) {
      this.runtime = runtime;
    }

    @Override
    public Outcome<List<String>> indices(List<String> patterns) {
      return Outcome.ok(indices.stream().filter(index -> patterns.stream().anyMatch(p -> index.startsWith(p.replace("*", "")) || index.equals(p))).sorted().toList());
    }

    @Override
    public Outcome<Void> deleteIndices(List<String> names) {
      if (!names.isEmpty()) {
        calls.add("delete " + names);
        runtime.timeline.add("delete indices");
      }
      names.forEach(indices::remove);
      indicesDeleted = true;
      return Outcome.done();
    }

    @Override
    public Observation snapshot(String repository, String name) {
      return missingSnapshots.contains(name) ? new Observation.NotFound("no snapshot " + name) : new Observation.Completed("1 index");
    }

    @Override
    public Outcome<Void> refreshRepository(String repository) {
      return Outcome.done();
    }

    @Override
    public Outcome<List<String>> snapshotIndices(String repository, String name) {
      return Outcome.ok(List.of(name + "-index"));
    }

    @Override
    public Outcome<Void> startSnapshotRestore(String repository, String name) {
      calls.add("restore " + name);
      runtime.timeline.add("restore " + name);
      indices.add(name + "-index");
      return Outcome.done();
    }

    @Override
    public Outcome<Boolean> indicesRestored(List<String> names) {
      return Outcome.ok(indices.containsAll(names));
    }

    @Override
    public Outcome<Map<String, Map<Integer, Long>>> exportedPositions(String recordsPrefix) {
      if (exportedPositionsUnavailable > 0) {
        exportedPositionsUnavailable--;
        return new Outcome.Unreachable<>("HTTP 503 all shards failed");
      }
      return Outcome.ok(Map.of("job", Map.of(1, 100L, 2, 90L), "process", Map.of(1, 2L)));
    }

    @Override
    public Outcome<List<ImportPosition>> importPositions(String app) {
      return Outcome.ok(imported);
    }

    @Override
    public boolean answers(String managementUrl) {
      boolean optimize = managementUrl.equals("http://optimize:8092");
      boolean answers = runtime.running || answeringAfterStop.contains(managementUrl) || (optimize && optimizeBackAfterIndexDeletion && indicesDeleted);
      if (optimize && !answers) {
        runtime.timeline.add("optimize silent");
      }
      return answers;
    }

    @Override
    public boolean ready(String managementUrl) {
      return runtime.running;
    }

    @Override
    public Outcome<List<String>> zeebeTopologyProblems() {
      return Outcome.ok(runtime.running ? List.of() : List.of("down"));
    }
  }
}
