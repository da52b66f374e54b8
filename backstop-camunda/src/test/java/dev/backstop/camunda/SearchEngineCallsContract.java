package dev.backstop.camunda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstop.core.cluster.ComponentEndpoints;
import dev.backstop.core.cluster.PreflightReport;
import dev.backstop.core.procedure.Observation;
import dev.backstop.core.procedure.Outcome;
import dev.backstop.core.restore.RestoreApis;
import dev.backstop.testbed.Http;
import dev.backstop.testbed.SearchNode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;

/**
 * Every call Backstop sends to a search engine, against a real one: the records snapshot of the
 * backup ({@link SearchSnapshotClient}), what a restore asks of the engine ({@link
 * CamundaRestoreApis}) and the preflight's reading of the engine ({@link CamundaPreflight}). Each
 * subclass runs the same specification against one engine; the node starts once per class.
 *
 * <p>Index names follow what Zeebe's exporter writes ({@code zeebe-record_<kind>_<version>_<date>});
 * every test uses names of its own, so the tests share the node without depending on each other.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SearchEngineCallsContract {

  private static final String REPOSITORY = "camunda-backups";
  private static final Duration WAIT = Duration.ofSeconds(60);

  private final Http http = new Http();
  private SearchNode node;
  private JsonHttp json;
  private SearchSnapshotClient snapshots;
  private CamundaRestoreApis restore;
  private String prefix;

  /** The engine the subclass specifies. */
  abstract SearchNode.Engine engine();

  @BeforeAll
  void startEngine() {
    Path directory = Path.of("target", "search-nodes", engine().distribution() + "-" + System.currentTimeMillis());
    node = SearchNode.start(engine(), directory);
    node.registerFsRepository(REPOSITORY);
    json = JsonHttp.withDefaults();
  }

  @AfterAll
  void stopEngine() {
    if (node != null) {
      node.close();
      assertThat(node.process().isRunning()).as("the node is stopped with its test class").isFalse();
    }
  }

  @BeforeEach
  void freshNames(TestInfo test) {
    // A records prefix per test: one test's indices never fall under another's pattern.
    prefix = "zeebe-record-" + test.getTestMethod().orElseThrow().getName().toLowerCase();
    snapshots = new SearchSnapshotClient(json, node.url(), REPOSITORY);
    restore = new CamundaRestoreApis(json, endpoints(REPOSITORY, prefix));
  }

  // ------------------------------------------------------------------------- backup: snapshot

  @Test
  void shouldSnapshotOnlyTheIndicesOfThePatternAndReportSuccess() {
    // given: two record indices with documents, and an index outside the pattern
    String jobs = recordIndex("job");
    String instances = recordIndex("process-instance");
    index(jobs, 3);
    index(instances, 2);
    index("operate-list-view-" + prefix, 1);

    // when
    Outcome<Void> created = snapshots.createSnapshot("records-1", prefix + "*");
    Observation status = awaitEnd(() -> snapshots.snapshotStatus("records-1"));

    // then: the snapshot ends SUCCESS and holds exactly the two record indices
    assertThat(created).isEqualTo(Outcome.done());
    assertThat(status).isEqualTo(new Observation.Completed("2 indices"));
    assertThat(ok(restore.snapshotIndices(REPOSITORY, "records-1"))).containsExactlyInAnyOrder(jobs, instances);
  }

  @Test
  void shouldRefuseASnapshotWhoseNameExists() {
    // given
    index(recordIndex("job"), 1);
    snapshots.createSnapshot("taken-once", prefix + "*");
    awaitEnd(() -> snapshots.snapshotStatus("taken-once"));

    // when
    Outcome<Void> again = snapshots.createSnapshot("taken-once", prefix + "*");

    // then: refused, not unreachable (asking again will not help), and the engine says why
    assertThat(refused(again).status()).isEqualTo(400);
    assertThat(refused(again).message()).contains("already exists");
  }

  @Test
  void shouldReportAnAbsentSnapshotAsNotFound() {
    // when
    Observation status = snapshots.snapshotStatus("never-taken");

    // then
    assertThat(status).isInstanceOf(Observation.NotFound.class);
  }

  @Test
  void shouldReportASnapshotOfAnAbsentRepositoryAsAFailure() {
    // given
    SearchSnapshotClient elsewhere = new SearchSnapshotClient(json, node.url(), "no-such-repository");

    // when
    Observation status = elsewhere.snapshotStatus("anything");
    Outcome<Void> created = elsewhere.createSnapshot("anything", prefix + "*");

    // then: a missing repository is the engine's 404 too, but creating in it is refused
    assertThat(status).isInstanceOf(Observation.NotFound.class);
    assertThat(created).isInstanceOf(Outcome.Refused.class);
  }

  @Test
  void shouldListTheNamesOfTheSnapshotsMatchingAPattern() {
    // given: snapshots of two backups, 42 and 43
    index(recordIndex("job"), 1);
    for (String name : List.of("camunda_list_42_1", "camunda_list_42_2", "camunda_list_43_1")) {
      snapshots.createSnapshot(name, prefix + "*");
      awaitEnd(() -> snapshots.snapshotStatus(name));
    }

    // when
    Outcome<List<String>> of42 = snapshots.snapshotNames("camunda_list_42_*");
    Outcome<List<String>> ofNone = snapshots.snapshotNames("camunda_list_99_*");

    // then: only backup 42's, and a pattern that matches nothing is an empty list, not an error
    assertThat(ok(of42)).containsExactlyInAnyOrder("camunda_list_42_1", "camunda_list_42_2");
    assertThat(ofNone).isEqualTo(Outcome.ok(List.of()));
  }

  @Test
  void shouldNameTheSnapshotsRunningInItsRepositoryOnly() {
    // given: a repository that writes 4 KB a second, and an index of about 40 KB to snapshot there
    String slowRepository = "slow-" + engine().distribution();
    http.putJson(node.url() + "/_snapshot/" + slowRepository,
            Map.of("type", "fs", "settings", Map.of("location", node.snapshotDirectory().resolve(slowRepository).toString(),
                "max_snapshot_bytes_per_sec", "4kb")))
        .successJson();
    String bulky = recordIndex("bulky");
    for (int document = 1; document <= 40; document++) {
      http.putJson(node.url() + "/" + bulky + "/_doc/" + document, Map.of("padding", "x".repeat(1000) + document)).successJson();
    }
    http.postJson(node.url() + "/" + bulky + "/_refresh", "").successJson();
    SearchSnapshotClient slow = new SearchSnapshotClient(json, node.url(), slowRepository);
    assertThat(slow.createSnapshot("camunda_running_1", bulky)).isEqualTo(Outcome.done());

    // when
    Outcome<java.util.Set<String>> runningThere = slow.runningSnapshots();
    Outcome<java.util.Set<String>> runningInTheOther = snapshots.runningSnapshots();

    // then: the running snapshot is named in its repository, and the other repository runs none
    assertThat(runningThere).isEqualTo(Outcome.ok(java.util.Set.of("camunda_running_1")));
    assertThat(runningInTheOther).isEqualTo(Outcome.ok(java.util.Set.of()));

    // when: it is deleted (aborted), nothing runs there any more
    assertThat(slow.deleteSnapshots(List.of("camunda_running_1"))).isEqualTo(Outcome.done());
    assertThat(slow.runningSnapshots()).isEqualTo(Outcome.ok(java.util.Set.of()));
  }

  @Test
  void shouldTellItsSnapshotThreadsOverAllNodes() {
    // given: what the engine's nodes report of their snapshot pools
    int reported = 0;
    for (com.fasterxml.jackson.databind.JsonNode info : http.get(node.url() + "/_nodes/thread_pool").successJson().path("nodes")) {
      reported += info.path("thread_pool").path("snapshot").path("max").asInt();
    }

    // when
    Outcome<Integer> threads = snapshots.snapshotThreads();

    // then
    assertThat(reported).isPositive();
    assertThat(threads).isEqualTo(Outcome.ok(reported));
  }

  @Test
  void shouldDeleteSnapshotsByNameAndByPatternAndAcceptWhatMatchesNothing() {
    // given
    index(recordIndex("job"), 1);
    for (String name : List.of("camunda_delete_7_1", "camunda_delete_8_1", "camunda_delete_8_2", "camunda_keep_9_1")) {
      snapshots.createSnapshot(name, prefix + "*");
      awaitEnd(() -> snapshots.snapshotStatus(name));
    }

    // when: one by name, two by a pattern
    Outcome<Void> deleted = snapshots.deleteSnapshots(List.of("camunda_delete_7_1", "camunda_delete_8_*"));
    // and again: now the name is absent and the pattern matches nothing
    Outcome<Void> again = snapshots.deleteSnapshots(List.of("camunda_delete_7_1", "camunda_delete_8_*", "never-taken"));

    // then
    assertThat(deleted).isEqualTo(Outcome.done());
    assertThat(again).isEqualTo(Outcome.done());
    assertThat(snapshots.snapshotNames("camunda_delete_*")).isEqualTo(Outcome.ok(List.of()));
    assertThat(snapshots.snapshotStatus("camunda_delete_7_1")).isInstanceOf(Observation.NotFound.class);
    assertThat(snapshots.snapshotNames("camunda_keep_*")).isEqualTo(Outcome.ok(List.of("camunda_keep_9_1")));
  }

  // ---------------------------------------------------------------------------------- restore

  @Test
  void shouldRestoreTheRecordIndicesWithTheirDocumentsAfterTheyWereDeleted() {
    // given: two record indices snapshotted, with positions per partition
    String jobs = recordIndex("job");
    String instances = recordIndex("process-instance");
    index(jobs, 4);
    index(instances, 3);
    snapshots.createSnapshot("restore-me", prefix + "*");
    assertThat(awaitEnd(() -> snapshots.snapshotStatus("restore-me"))).isInstanceOf(Observation.Completed.class);
    Outcome<Map<String, Map<Integer, Long>>> positionsBefore = restore.exportedPositions(prefix);

    // when: the restore's steps — find the indices, delete them, re-read the repository, restore
    Outcome<List<String>> found = restore.indices(List.of(prefix + "*"));
    Outcome<Void> deleted = restore.deleteIndices(ok(found));
    Outcome<List<String>> afterDeletion = restore.indices(List.of(prefix + "*"));
    Outcome<Void> deletedAgain = restore.deleteIndices(List.of(jobs, instances));
    Outcome<Boolean> restoredBeforeStart = restore.indicesRestored(List.of(jobs, instances));
    Outcome<Void> refreshed = restore.refreshRepository(REPOSITORY);
    Outcome<Void> started = restore.startSnapshotRestore(REPOSITORY, "restore-me");
    awaitTrue(() -> restore.indicesRestored(List.of(jobs, instances)));

    // then: both indices are back with every document, and the positions read as before
    assertThat(found).isEqualTo(Outcome.ok(List.of(jobs, instances).stream().sorted().toList()));
    assertThat(deleted).isEqualTo(Outcome.done());
    assertThat(afterDeletion).isEqualTo(Outcome.ok(List.of()));
    assertThat(deletedAgain).as("deleting absent indices is fine").isEqualTo(Outcome.done());
    assertThat(restoredBeforeStart).isEqualTo(Outcome.ok(false));
    assertThat(refreshed).isEqualTo(Outcome.done());
    assertThat(started).isEqualTo(Outcome.done());
    assertThat(count(jobs)).isEqualTo(4);
    assertThat(count(instances)).isEqualTo(3);
    assertThat(ok(positionsBefore))
        .containsEntry("job", Map.of(1, 4L))
        .containsEntry("process-instance", Map.of(1, 3L));
    assertThat(restore.exportedPositions(prefix)).isEqualTo(positionsBefore);
  }

  @Test
  void shouldRefuseToRestoreAnAbsentSnapshotOrOverAnOpenIndex() {
    // given: a snapshot whose index still exists (open) on the engine
    String jobs = recordIndex("job");
    index(jobs, 1);
    snapshots.createSnapshot("still-open", prefix + "*");
    awaitEnd(() -> snapshots.snapshotStatus("still-open"));

    // when
    Outcome<Void> absent = restore.startSnapshotRestore(REPOSITORY, "never-taken");
    Outcome<Void> overOpen = restore.startSnapshotRestore(REPOSITORY, "still-open");
    Outcome<List<String>> indicesOfAbsent = restore.snapshotIndices(REPOSITORY, "never-taken");
    Outcome<Void> refreshAbsent = restore.refreshRepository("no-such-repository");

    // then
    // (Elasticsearch 7.10 answers 500 "snapshot does not exist": still a refusal, not a transient failure)
    assertThat(refused(absent).message()).contains("never-taken");
    assertThat(refused(overOpen).message()).contains("cannot restore index");
    assertThat(indicesOfAbsent).isInstanceOf(Outcome.Refused.class);
    assertThat(refreshAbsent).isInstanceOf(Outcome.Refused.class);
    assertThat(count(jobs)).as("the open index is untouched").isEqualTo(1);
  }

  @Test
  void shouldReadTheImportPositionsOfAWebApp() {
    // given: Operate's import positions, as Operate writes them
    String indexName = "operate-import-position-" + prefix;
    http.putJson(node.url() + "/" + indexName + "/_doc/1?refresh=true", Map.of("aliasName", prefix + "-job", "partitionId", 1, "position", 17))
        .successJson();

    // when
    Outcome<List<RestoreApis.ImportPosition>> positions = restore.importPositions("operate");

    // then
    assertThat(ok(positions)).containsExactly(new RestoreApis.ImportPosition(prefix + "-job", 1, 17));
  }

  // -------------------------------------------------------------------------------- preflight

  @Test
  void shouldReportTheEngineItsVersionAndTheRepository() {
    // given
    CamundaPreflight preflight = new CamundaPreflight(json, Clock.systemUTC());

    // when
    PreflightReport.Check configured = searchCheck(preflight.check(endpoints(REPOSITORY, prefix)));
    PreflightReport.Check missing = searchCheck(preflight.check(endpoints("no-such-repository", prefix)));

    // then
    assertThat(configured.reachable()).isTrue();
    assertThat(configured.backupConfigured()).isTrue();
    assertThat(configured.version()).contains(engine().version());
    assertThat(configured.detail()).isEqualTo(engine().distribution() + ", repository " + REPOSITORY + " of type fs");
    assertThat(missing.reachable()).isTrue();
    assertThat(missing.backupConfigured()).isFalse();
    assertThat(missing.detail()).startsWith(engine().distribution() + ", repository no-such-repository: HTTP 404");
  }

  // ---------------------------------------------------------------------------------- helpers

  private ComponentEndpoints endpoints(String repository, String recordsPrefix) {
    // Only the search engine runs here; the other components' URLs point at a closed port.
    String nowhere = "http://127.0.0.1:9";
    return new ComponentEndpoints(
        nowhere, Optional.empty(), Optional.empty(), Optional.empty(), new ComponentEndpoints.Search(node.url(), repository, recordsPrefix));
  }

  private static <T> T ok(Outcome<T> outcome) {
    assertThat(outcome).as(outcome.describe()).isInstanceOf(Outcome.Ok.class);
    return ((Outcome.Ok<T>) outcome).value();
  }

  private static <T> Outcome.Refused<T> refused(Outcome<T> outcome) {
    assertThat(outcome).as(outcome.describe()).isInstanceOf(Outcome.Refused.class);
    return (Outcome.Refused<T>) outcome;
  }

  private static PreflightReport.Check searchCheck(PreflightReport report) {
    return report.checks().stream().filter(check -> check.component().equals("search")).findFirst().orElseThrow();
  }

  private String recordIndex(String kind) {
    return prefix + "_" + kind + "_8.6.0_2026-11-23";
  }

  /** {@code documents} record documents on partition 1, positions 1…n, visible at once. */
  private void index(String indexName, int documents) {
    for (int position = 1; position <= documents; position++) {
      http.putJson(node.url() + "/" + indexName + "/_doc/" + position, Map.of("partitionId", 1, "position", position)).successJson();
    }
    http.postJson(node.url() + "/" + indexName + "/_refresh", "").successJson();
  }

  private long count(String indexName) {
    return http.get(node.url() + "/" + indexName + "/_count").successJson().path("count").asLong();
  }

  private static Observation awaitEnd(Supplier<Observation> status) {
    Instant deadline = Instant.now().plus(WAIT);
    Observation last = status.get();
    while (!(last instanceof Observation.Completed || last instanceof Observation.Failed) && Instant.now().isBefore(deadline)) {
      sleep();
      last = status.get();
    }
    return last;
  }

  private static void awaitTrue(Supplier<Outcome<Boolean>> condition) {
    Instant deadline = Instant.now().plus(WAIT);
    while (!condition.get().equals(Outcome.ok(true))) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("not true within " + WAIT + ": " + condition.get());
      }
      sleep();
    }
  }

  private static void sleep() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
