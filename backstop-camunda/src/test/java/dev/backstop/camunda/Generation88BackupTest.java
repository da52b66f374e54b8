package dev.backstop.camunda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstop.core.backup.Backup;
import dev.backstop.core.backup.BackupId;
import dev.backstop.core.backup.BackupState;
import dev.backstop.core.backup.BackupType;
import dev.backstop.core.backup.Component;
import dev.backstop.core.backup.PartState;
import dev.backstop.core.cluster.BackupLocation;
import dev.backstop.core.cluster.Cluster;
import dev.backstop.core.cluster.ComponentEndpoints;
import dev.backstop.core.cluster.Generation;
import dev.backstop.core.operation.Backoff;
import dev.backstop.core.procedure.BackupProcedure;
import dev.backstop.core.procedure.Observation;
import dev.backstop.core.procedure.Outcome;
import dev.backstop.core.procedure.Waits;
import dev.backstop.core.restore.BackupInventory;
import dev.backstop.core.restore.ClusterRuntime;
import dev.backstop.core.restore.Restore;
import dev.backstop.core.restore.RestoreApis;
import dev.backstop.core.restore.RestoreProcedure;
import dev.backstop.core.restore.RestoreState;
import dev.backstop.testbed.SearchNode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backup and restore of a Camunda 8.8 cluster with Optimize, run by the core procedures through
 * the real HTTP adapters ({@link CamundaClusterApis} of generation 8.8, {@link CamundaRestoreApis})
 * against a real OpenSearch node, whose repository holds every snapshot. The 8.8 orchestration
 * cluster's management port and Optimize are hand-written fakes ({@link FakeCamunda88}, {@link
 * FakeOptimize}) following the shapes read in Camunda's source, because no 8.8 distribution and no
 * Optimize can be obtained here; both take their snapshots for real in that OpenSearch.
 */
class Generation88BackupTest {

  private static final Generation G88 = Generation.parse("8.8.0");
  private static final List<String> INDICES =
      List.of("camunda-user", "operate-list-view", "tasklist-task", "optimize-report-1", "optimize-process-instance-1", "zeebe-record_job_8.8.0");
  private static final AtomicLong IDS = new AtomicLong(System.currentTimeMillis() / 1000);

  @TempDir static Path workDirectory;
  private static final String REPOSITORY = "backstop-fs";
  private static SearchNode search;

  private final JsonHttp http = JsonHttp.withDefaults();
  private final List<String> log = Collections.synchronizedList(new ArrayList<>());
  private FakeHttp.Repository repository;
  private FakeCamunda88 camunda;
  private FakeOptimize optimize;
  private Cluster cluster;

  private final BackupProcedure.Settings settings =
      new BackupProcedure.Settings(
          Duration.ofMinutes(1), Duration.ofMinutes(1), Duration.ofMinutes(1), Duration.ofSeconds(10),
          Duration.ofSeconds(10), Duration.ofMillis(100), Duration.ofMillis(500), new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(5)))
          // started together, as the documented order has it (the test engine has one snapshot thread, so AUTO would not)
          .with(BackupProcedure.WebAppBackups.TOGETHER);
  private final BackupProcedure procedure =
      new BackupProcedure(Clock.systemUTC(), settings, duration -> Thread.sleep(duration), BackupProcedure.StepListener.NONE);

  @BeforeAll
  static void startSearch() {
    search = SearchNode.start(SearchNode.Engine.OPENSEARCH, workDirectory.resolve("opensearch"));
    search.registerFsRepository(REPOSITORY);
  }

  @AfterAll
  static void stopSearch() {
    if (search != null) {
      search.close();
    }
  }

  @BeforeEach
  void startCluster() throws Exception {
    // A cluster's data: each component's indices, with documents, and nothing else.
    http.delete(search.url() + "/*");
    http.delete(search.url() + "/_snapshot/" + REPOSITORY + "/*");
    for (String index : INDICES) {
      for (int doc = 0; doc < 2; doc++) {
        http.put(search.url() + "/" + index + "/_doc/" + doc + "?refresh=true", Map.of("n", doc));
      }
    }
    repository = new FakeHttp.Repository(http, search.url(), REPOSITORY);
    camunda = new FakeCamunda88(repository, log);
    optimize = new FakeOptimize(repository, FakeCamunda88.VERSION, log);
    cluster =
        new Cluster(
            "c-88", "orders", UUID.randomUUID(), G88, "local", BackupLocation.sameRegion(),
            new ComponentEndpoints(
                camunda.url(), Optional.of(camunda.url()), Optional.of(camunda.url()), Optional.of(optimize.url()),
                new ComponentEndpoints.Search(search.url(), REPOSITORY, "zeebe-record")),
            new Cluster.StorageLayout("zeebe", "search"),
            Clock.systemUTC().instant());
  }

  @AfterEach
  void stopCluster() {
    camunda.close();
    optimize.close();
  }

  @Test
  void shouldBackUpAn88ClusterThroughItsEndpointsInTheDocumentedOrder() {
    // when
    Backup done = backUp();

    // then: soft pause first, then the history and Optimize backups, the records, the runtime backup, resume
    assertThat(done.state()).as(done.failureReason().orElse("")).isEqualTo(BackupState.COMPLETED);
    long id = done.id().value();
    assertThat(log.stream().filter(call -> call.contains(" POST ")).toList())
        .containsExactly(
            "CAMUNDA POST /actuator/exporting/pause?soft=true",
            "CAMUNDA POST /actuator/backupHistory",
            "OPTIMIZE POST /actuator/backups",
            "CAMUNDA POST /actuator/backupRuntime",
            "CAMUNDA POST /actuator/exporting/resume");
    assertThat(log).contains("CAMUNDA GET /actuator/backupHistory/" + id, "OPTIMIZE GET /actuator/backups/" + id,
        "CAMUNDA GET /actuator/backupRuntime/" + id);
    assertThat(log.indexOf("CAMUNDA GET /actuator/backupHistory/" + id)).isGreaterThan(log.indexOf("OPTIMIZE POST /actuator/backups"));
    assertThat(camunda.paused).isFalse();

    // and: every part shows its own state; Operate and Tasklist both name the history backup's snapshots
    assertThat(done.parts().values()).allMatch(part -> part.state() == PartState.COMPLETED);
    assertThat(done.part(Component.OPERATE).orElseThrow().artifacts()).isEqualTo(FakeCamunda88.historySnapshots(id));
    assertThat(done.part(Component.TASKLIST).orElseThrow().artifacts()).isEqualTo(FakeCamunda88.historySnapshots(id));
    assertThat(done.part(Component.OPTIMIZE).orElseThrow().artifacts()).isEqualTo(optimize.snapshotNames(id));
    assertThat(repository.state("camunda_zeebe_records_backup_" + id)).as("the records snapshot, needed with Optimize").contains("SUCCESS");
    assertThat(camunda.hasRuntimeBackup(id)).isTrue();
  }

  @Test
  void shouldFailWhenTheHistoryBackupFailsResumeExportingAndRemoveEveryPart() {
    // given: a snapshot of the history backup fails
    camunda.historyFails = true;

    // when
    Backup failed = backUp();

    // then: FAILED with the history backup's reason, exporting resumed, what it took removed
    long id = failed.id().value();
    assertThat(failed.state()).isEqualTo(BackupState.FAILED);
    assertThat(failed.failureReason()).get().asString()
        .contains("await web-app backups").contains("history backup FAILED").contains("Out of disk space");
    assertThat(camunda.paused).isFalse();
    assertThat(failed.exportingPaused()).isFalse();
    assertThat(log).contains("CAMUNDA DELETE /actuator/backupHistory/" + id, "OPTIMIZE DELETE /actuator/backups/" + id)
        .doesNotContain("CAMUNDA POST /actuator/backupRuntime");
    assertThat(new SearchSnapshotClient(http, search.url(), REPOSITORY).snapshotNames("*"))
        .isEqualTo(Outcome.ok(List.of()));
    for (Component part : List.of(Component.OPERATE, Component.TASKLIST, Component.OPTIMIZE)) {
      assertThat(failed.part(part).orElseThrow().state()).as(part.name()).isEqualTo(PartState.DELETED);
    }
    assertThat(failed.owesCleanup()).isFalse();
  }

  @Test
  void shouldRestoreAn88BackupWithOptimizeStoppedWhileItsSnapshotsRestore() {
    // given: a completed backup, then the data changed: Optimize's report index lost, a stray index
    Backup backup = backUp();
    assertThat(backup.state()).isEqualTo(BackupState.COMPLETED);
    http.delete(search.url() + "/optimize-report-1");
    http.put(search.url() + "/operate-list-view/_doc/99?refresh=true", Map.of("n", 99));
    http.put(search.url() + "/optimize-stray/_doc/1?refresh=true", Map.of("n", 1));
    log.clear();

    // when: restored through the real search engine, with a runtime that stops and starts the fakes
    Waits waits = new Waits(Clock.systemUTC(), Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(10), d -> Thread.sleep(d));
    BackupInventory inventory = (c, region, id) -> new BackupInventory.ZeebeCopy(2, Optional.of(FakeCamunda88.VERSION), List.of());
    RestoreProcedure restoring =
        new RestoreProcedure(Clock.systemUTC(), waits, new RestoreProcedure.Settings(Duration.ofSeconds(10), Duration.ofMinutes(1), Duration.ofMinutes(1)), inventory);
    RestoreApis apis = new LoggingRestoreApis(new CamundaRestoreApis(http, cluster.components()), log);
    RestoreProcedure.Context context =
        new RestoreProcedure.Context(cluster, backup, new CamundaClusterApis(http, G88, cluster.components()), apis, FakeRuntime::new);
    Restore restore =
        restoring.run(Restore.requested(UUID.randomUUID().toString(), cluster.id(), backup.id(), cluster.region(), Clock.systemUTC().instant()),
            context, saved -> {});

    // then: the data is the backup's again
    assertThat(restore.state()).as(restore.failureReason().orElse("")).isEqualTo(RestoreState.COMPLETED);
    assertThat(count("optimize-report-1")).isEqualTo(2);
    assertThat(count("operate-list-view")).isEqualTo(2);
    assertThat(count("camunda-user")).isEqualTo(2);
    assertThat(http.get(search.url() + "/optimize-stray").status()).as("Optimize's indices deleted first").isEqualTo(404);
    // and: Optimize was stopped before its snapshots were restored, and started only after
    long id = backup.id().value();
    List<String> restores = log.stream().filter(call -> call.startsWith("SEARCH restore")).toList();
    assertThat(restores).containsExactlyInAnyOrder(
        "SEARCH restore " + FakeCamunda88.historySnapshots(id).get(0), "SEARCH restore " + FakeCamunda88.historySnapshots(id).get(1),
        "SEARCH restore " + optimize.snapshotNames(id).get(0), "SEARCH restore " + optimize.snapshotNames(id).get(1),
        "SEARCH restore camunda_zeebe_records_backup_" + id);
    int stopped = log.indexOf("RUNTIME stop");
    int optimizeRestored = log.indexOf("SEARCH restore " + optimize.snapshotNames(id).get(0));
    assertThat(stopped).isNotNegative().isLessThan(optimizeRestored);
    assertThat(log.subList(stopped, optimizeRestored)).contains("OPTIMIZE GET /actuator/health").doesNotContain("RUNTIME start");
    assertThat(log.indexOf("RUNTIME start")).isGreaterThan(log.lastIndexOf("SEARCH restore " + optimize.snapshotNames(id).get(1)));
    assertThat(log).contains("RUNTIME restore brokers " + id);
  }

  // ------------------------------------------------------------------------------------ helpers

  private Backup backUp() {
    Backup requested =
        Backup.requested(cluster.id(), new BackupId(IDS.incrementAndGet()), Optional.empty(), BackupType.MANUAL, cluster.backupComponents(),
            Clock.systemUTC().instant());
    assertThat(requested.has(Component.ZEEBE_RECORDS)).as("an 8.8 cluster with Optimize snapshots the records").isTrue();
    return procedure.run(requested, cluster, new CamundaClusterApis(http, G88, cluster.components()), saved -> {});
  }

  private long count(String index) {
    http.post(search.url() + "/" + index + "/_refresh", null);
    return http.get(search.url() + "/" + index + "/_count").json().path("count").asLong(-1);
  }

  /** Stops and starts the fakes as a runtime stops and starts the components; the broker restore is recorded. */
  private final class FakeRuntime implements ClusterRuntime {
    @Override
    public Step stopComponents(Cluster c) {
      log.add("RUNTIME stop");
      camunda.stopped = true;
      optimize.stopped = true;
      return new Done("stopped");
    }

    @Override
    public Step restoreBrokers(Cluster c, BackupId id, String sourceRegion) {
      log.add("RUNTIME restore brokers " + id);
      return new Done("restored");
    }

    @Override
    public Step startComponents(Cluster c) {
      log.add("RUNTIME start");
      camunda.stopped = false;
      optimize.stopped = false;
      return new Done("started");
    }
  }

  /** The real restore APIs, with each snapshot restore appended to the log as "SEARCH restore name". */
  private record LoggingRestoreApis(RestoreApis real, List<String> log) implements RestoreApis {
    @Override
    public Outcome<List<String>> indices(List<String> patterns) {
      return real.indices(patterns);
    }

    @Override
    public Outcome<Void> deleteIndices(List<String> names) {
      return real.deleteIndices(names);
    }

    @Override
    public Observation snapshot(String repository, String name) {
      return real.snapshot(repository, name);
    }

    @Override
    public Outcome<Void> refreshRepository(String repository) {
      return real.refreshRepository(repository);
    }

    @Override
    public Outcome<List<String>> snapshotIndices(String repository, String name) {
      return real.snapshotIndices(repository, name);
    }

    @Override
    public Outcome<Void> startSnapshotRestore(String repository, String name) {
      log.add("SEARCH restore " + name);
      return real.startSnapshotRestore(repository, name);
    }

    @Override
    public Outcome<Boolean> indicesRestored(List<String> names) {
      return real.indicesRestored(names);
    }

    @Override
    public Outcome<Map<String, Map<Integer, Long>>> exportedPositions(String recordsPrefix) {
      return real.exportedPositions(recordsPrefix);
    }

    @Override
    public Outcome<List<ImportPosition>> importPositions(String app) {
      return real.importPositions(app);
    }

    @Override
    public boolean answers(String managementUrl) {
      return real.answers(managementUrl);
    }

    @Override
    public boolean ready(String managementUrl) {
      return real.ready(managementUrl);
    }

    @Override
    public Outcome<List<String>> zeebeTopologyProblems() {
      return real.zeebeTopologyProblems();
    }
  }
}
