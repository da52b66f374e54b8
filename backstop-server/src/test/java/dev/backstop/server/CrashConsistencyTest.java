package dev.backstop.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backstop.core.backup.BackupStep;
import dev.backstop.server.operation.OperationEngine;
import dev.backstop.server.support.Api;
import dev.backstop.server.support.BackstopProcess;
import dev.backstop.server.support.ComponentProbe;
import dev.backstop.server.support.RegionContents;
import dev.backstop.server.support.TestCluster;
import dev.backstop.testbed.FaultProxy;
import dev.backstop.testbed.Http;
import dev.backstop.testbed.S3Region;
import dev.backstop.testbed.Testbed;
import dev.backstop.testbed.TestbedExtension;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Crash consistency (evidence suite, {@code mvn -Pevidence verify}): Backstop is killed ({@code
 * kill -9}) inside each step of an 8.6 backup of a cluster with Operate and Tasklist, inside the
 * cleanup of a failed backup, and inside each phase of a replication; then started again on the
 * same database. After each crash the cluster exports, the backup ends COMPLETED or FAILED with no
 * operation left, and no component and no region holds a part of a backup that Backstop does not
 * list as COMPLETED. (The kill in every phase of a restore is {@code
 * RestoreTest#shouldCompleteARestoreWhenBackstopIsKilledInEveryPhase}.)
 *
 * <p>Backstop is held inside a step by fault proxies in front of Zeebe's, Operate's and Tasklist's
 * management ports, the search engine and the secondary region, which swallow the step's request
 * or, once it went through, the polls that follow it (see {@link #holdIn}).
 * The cluster keeps its backups in two regions, so every completed backup is also replicated.
 * One Backstop at a time, on one database; the cases share the test bed and run in order.
 */
@Tag("evidence")
@ExtendWith(TestbedExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CrashConsistencyTest {

  private static Testbed testbed;
  private static Path dir;
  private static EmbeddedPostgres database;
  private static JdbcClient sql;
  private static FaultProxy zeebe;
  private static FaultProxy operate;
  private static FaultProxy tasklist;
  private static FaultProxy search;
  private static FaultProxy secondary;
  private static volatile BackstopProcess backstop;
  private static int instances;
  private static String clusterId;
  private static ComponentProbe probe;
  /** The first backup id of this class: what the test bed holds below it is other tests'. */
  private static long firstBackupId;

  @BeforeAll
  static void startBackstop(Testbed shared) throws Exception {
    testbed = shared;
    probe = new ComponentProbe(testbed);
    dir = Path.of("target", "crash-runs", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))).toAbsolutePath();
    database = EmbeddedPostgres.builder().setServerConfig("listen_addresses", "127.0.0.1").start();
    sql = JdbcClient.create(database.getPostgresDatabase());
    zeebe = FaultProxy.inFrontOf(URI.create(testbed.zeebe().managementUrl()).getPort());
    operate = FaultProxy.inFrontOf(URI.create(testbed.operate().managementUrl()).getPort());
    tasklist = FaultProxy.inFrontOf(URI.create(testbed.tasklist().managementUrl()).getPort());
    search = FaultProxy.inFrontOf(URI.create(testbed.searchUrl()).getPort());
    secondary = FaultProxy.inFrontOf(URI.create(testbed.secondaryRegion().endpoint()).getPort());
    startAgain();
    Api operator = backstop.operator();
    String organization =
        operator.postJson("/admin/organizations", Map.of("name", "crash-consistency", "plan", "ENTERPRISE")).json().path("id").asText();
    Map<String, Object> registration = TestCluster.registration(organization, "crash-consistency", "8.6.0", testbed,
        Map.of("zeebe", zeebe.url(), "operate", operate.url(), "tasklist", tasklist.url(), "search", search.url()));
    registration.put("backupLocation", Map.of("type", "DUAL_REGION", "secondaryRegion", testbed.secondaryRegion().name()));
    Api.Answer cluster = operator.postJson("/clusters", registration);
    assertThat(cluster.status()).as(cluster.toString()).isEqualTo(201);
    clusterId = cluster.json().path("uuid").asText();
    Api.Answer policy = operator.putJson("/admin/clusters/" + clusterId + "/backup-policy",
        Map.of("manualRateLimit", "PT0S", "manualRetention", 5, "scheduledRetention", 3));
    assertThat(policy.status()).as(policy.toString()).isEqualTo(200);
  }

  @AfterAll
  static void stopEverything() throws Exception {
    if (backstop != null) {
      backstop.process().kill();
    }
    for (FaultProxy proxy : new FaultProxy[] {zeebe, operate, tasklist, search, secondary}) {
      if (proxy != null) {
        proxy.close();
      }
    }
    if (testbed != null) {
      // Whatever happened, never leave the shared test bed paused.
      new Http().postJson(testbed.zeebe().managementUrl() + "/actuator/exporting/resume", "");
    }
    if (database != null) {
      database.close();
    }
  }

  // ------------------------------------------------------------------------------ the backup

  @Order(1)
  @ParameterizedTest(name = "killed in {0}")
  @EnumSource(value = BackupStep.class, names = {"DONE", "CLEANED_UP"}, mode = EnumSource.Mode.EXCLUDE)
  void shouldLeaveNothingUnresolvedWhenKilledInsideABackupStep(BackupStep step) {
    // given: Backstop held inside the step
    CountDownLatch held = holdIn(step);

    // when: a backup runs, and Backstop is killed (SIGKILL) inside the step
    long backupId = requestBackup();
    if (held != null) {
      FaultProxy.await(held, 180);
      awaitRecordedStep(backupId, step);
    }
    backstop.process().kill();
    String killedIn = recordedStep(backupId);
    releaseAllFaults();

    // and: Backstop is started again on the same database
    startAgain();

    // then: the backup ends, nothing is left paused, unresolved or unknown
    JsonNode backup = awaitResolved(backupId);
    assertThat(backup.path("state").asText()).as(backup.toString()).isEqualTo(step == BackupStep.CLEAN_UP ? "FAILED" : "COMPLETED");
    assertConsistent();
    assertThat(killedIn).as("the step the backup was recorded at when Backstop was killed").isEqualTo(step.name());

    // and: deleted, it leaves nothing behind either
    deleteAndAssertGone(backupId);
  }

  /**
   * Arms the proxies so that the backup stays inside {@code step}: either the step's own request is
   * swallowed before it reaches the component ({@link FaultProxy#failFrom}), or the request that
   * starts what the step waits for goes through and then the component's port swallows the polls
   * ({@link FaultProxy#tripAfter}). The cleanup is reached by a Zeebe that resets the backup's
   * start and refuses connections from then on: the backup fails there, and the cleanup keeps
   * trying to resume exporting.
   *
   * @return tripped once the hold is in place; null when Backstop is killed at once instead
   */
  private static final String RECORDS_AHEAD_START = "PUT /_snapshot/" + Testbed.SEARCH_REPOSITORY + "/backstop_records_ahead_";
  private static final String RECORDS_SNAPSHOT_START = "PUT /_snapshot/" + Testbed.SEARCH_REPOSITORY + "/camunda_zeebe_records_backup_";

  private static CountDownLatch holdIn(BackupStep step) {
    String start = "POST /actuator/backups";
    return switch (step) {
      // REQUESTED touches no component, so nothing holds it: Backstop is killed as soon as the
      // request was answered, and the case tells whether the backup was still there
      case REQUESTED -> null;
      // Operate's backup started, Tasklist's start swallowed
      case START_WEB_APP_BACKUPS -> tasklist.failFrom(start, FaultProxy.Mode.BLACKHOLE);
      // both started, Tasklist's status never answered
      case AWAIT_WEB_APP_BACKUPS -> tasklist.tripAfter(start, FaultProxy.Mode.BLACKHOLE);
      // the pause recorded as possibly applied, its request swallowed
      case PAUSE_EXPORTING -> zeebe.failFrom("POST /actuator/exporting/pause", FaultProxy.Mode.BLACKHOLE);
      // the web apps' backups done, the creation of the records' copy ahead of the pause swallowed
      case COPY_RECORDS_AHEAD -> search.failFrom(RECORDS_AHEAD_START, FaultProxy.Mode.BLACKHOLE);
      // exporting paused, the records snapshot's creation swallowed
      case SNAPSHOT_RECORDS -> search.failFrom(RECORDS_SNAPSHOT_START, FaultProxy.Mode.BLACKHOLE);
      // the records snapshot created, its status never answered
      case AWAIT_RECORDS_SNAPSHOT -> search.tripAfter(RECORDS_SNAPSHOT_START, FaultProxy.Mode.BLACKHOLE);
      // Zeebe's backup start swallowed, exporting paused
      case START_ZEEBE_BACKUP -> zeebe.failFrom(start, FaultProxy.Mode.BLACKHOLE);
      // Zeebe's backup started, its status never answered
      case AWAIT_ZEEBE_BACKUP -> zeebe.tripAfter(start, FaultProxy.Mode.BLACKHOLE);
      // every part completed, the resume swallowed: exporting still paused
      case RESUME_EXPORTING -> zeebe.failFrom("POST /actuator/exporting/resume", FaultProxy.Mode.BLACKHOLE);
      // Zeebe's backup start reset, then Zeebe refuses connections: failed, exporting paused
      case CLEAN_UP -> zeebe.failFrom(start, FaultProxy.Mode.REFUSE);
      case DONE, CLEANED_UP -> throw new IllegalArgumentException(step + " is not a step Backstop can be inside");
    };
  }

  // ------------------------------------------------------------------------- the replication

  /** The phases of a replication, in the order the secondary region receives them. */
  enum ReplicationPhase {
    /** The Zeebe backup's objects. */
    ZEEBE_OBJECTS,
    /** The search repository's shard data blobs. */
    SEARCH_DATA_BLOBS,
    /** The repository's metadata, last: its root index {@code index-N} written, {@code index.latest} not yet. */
    SEARCH_METADATA;

    /** Bytes of a request to the secondary region that only this phase sends. */
    String marker(S3Region secondaryRegion) {
      return switch (this) {
        case ZEEBE_OBJECTS -> "/" + secondaryRegion.bucket() + "/" + Testbed.ZEEBE_BASE_PATH + "/";
        case SEARCH_DATA_BLOBS -> "/" + Testbed.SEARCH_BASE_PATH + "/indices/";
        case SEARCH_METADATA -> "PUT /" + secondaryRegion.bucket() + "/" + Testbed.SEARCH_BASE_PATH + "/index-";
      };
    }
  }

  @Order(2)
  @ParameterizedTest(name = "killed while copying {0}")
  @EnumSource(ReplicationPhase.class)
  void shouldCompleteAReplicationWhenKilledInsideAPhase(ReplicationPhase phase) {
    // given: Backstop killed as soon as the secondary region received the phase's first object
    BackstopProcess running = backstop;
    CountDownLatch killed = secondary.tripAfter(phase.marker(testbed.secondaryRegion()), () -> running.process().kill());

    // when: a backup completes and is replicated
    long backupId = requestBackup();
    FaultProxy.await(killed, 240);
    await().atMost(Duration.ofSeconds(10)).until(() -> !running.process().isRunning());
    releaseAllFaults();

    // and: Backstop is started again on the same database
    startAgain();

    // then: the backup is COMPLETED and replicated, whole, in the secondary region
    JsonNode backup = awaitResolved(backupId);
    assertThat(backup.path("state").asText()).as(backup.toString()).isEqualTo("COMPLETED");
    assertThat(backup.path("location").path("replication").asText()).as(backup.toString()).isEqualTo("COMPLETED");
    assertThat(RegionContents.zeebeObjectsOf(testbed.secondaryRegion(), backupId))
        .isEqualTo(RegionContents.zeebeObjectsOf(testbed.primaryRegion(), backupId));
    assertThat(RegionContents.snapshotsListedIn(testbed.secondaryRegion())).containsAll(probe.snapshotsOf(backupId));
    assertConsistent();

    // and: deleted, it leaves nothing behind either
    deleteAndAssertGone(backupId);
  }

  // --------------------------------------------------------------------------------- helpers

  private static void startAgain() {
    List<String> arguments = new ArrayList<>(List.of(
        "--backstop.backup.web-app-timeout=PT3M",
        "--backstop.backup.records-snapshot-timeout=PT2M",
        "--backstop.backup.zeebe-timeout=PT2M"));
    arguments.addAll(BackstopProcess.regionArguments(testbed.primaryRegion()));
    arguments.addAll(BackstopProcess.regionArguments(testbed.secondaryRegion(), secondary.url()));
    backstop = new BackstopProcess("backstop-" + (++instances), database.getJdbcUrl("postgres", "postgres"), dir, arguments.toArray(String[]::new));
    backstop.start();
  }

  private static long requestBackup() {
    Api.Answer created = backstop.operator().post("/clusters/" + clusterId + "/backups", null);
    assertThat(created.status()).as(created.toString()).isEqualTo(202);
    long backupId = created.json().path("backupId").asLong();
    if (firstBackupId == 0) {
      firstBackupId = backupId;
    }
    return backupId;
  }

  /** Every proxy forwards again, and no switch is left armed. */
  private static void releaseAllFaults() {
    for (FaultProxy proxy : new FaultProxy[] {zeebe, operate, tasklist, search, secondary}) {
      proxy.disarm();
      proxy.set(FaultProxy.Mode.PASS);
    }
  }

  /** Waits (a little) until the backup is recorded at {@code step}; what was recorded is checked after the kill. */
  private static void awaitRecordedStep(long backupId, BackupStep step) {
    try {
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> step.name().equals(recordedStep(backupId)));
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      // killed anyway: the case then fails on the step it names
    }
  }

  private static String recordedStep(long backupId) {
    return sql.sql("select step from backups where cluster_id = :c and backup_id = :b")
        .param("c", clusterId).param("b", backupId).query(String.class).optional().orElse("");
  }

  /**
   * Waits until the backup ended and its operation is gone: nothing left to do for it (no work
   * recorded: no step, no paused exporting, no cleanup or replication owed) and no scheduled run.
   */
  private static JsonNode awaitResolved(long backupId) {
    JsonNode[] backup = new JsonNode[1];
    await("backup " + backupId + " resolved").atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500)).until(() -> {
      backup[0] = backstop.operator().get("/clusters/" + clusterId + "/backups/" + backupId).json();
      boolean ended = List.of("COMPLETED", "FAILED").contains(backup[0].path("state").asText());
      boolean replicated = !backup[0].path("state").asText().equals("COMPLETED")
          || List.of("COMPLETED", "FAILED").contains(backup[0].path("location").path("replication").asText());
      return ended && replicated && unresolvedOperations().isEmpty();
    });
    return backup[0];
  }

  /** Backups with work recorded, and scheduled runs of backup operations. */
  private static List<String> unresolvedOperations() {
    List<String> unresolved = new ArrayList<>(
        sql.sql("select cluster_id || '/' || backup_id || ' ' || state || ' at ' || step from backups where has_work").query(String.class).list());
    unresolved.addAll(sql.sql("select task_instance from scheduled_tasks where task_name = :task")
        .param("task", OperationEngine.BACKUP_OPERATION).query(String.class).list());
    return unresolved;
  }

  /**
   * The invariants after any crash: Zeebe exports on every partition, and every backup id that
   * Zeebe, Operate, Tasklist, the search repository and both regions hold (from this class's
   * first backup on) is one of the backups Backstop lists as COMPLETED; each of those is whole.
   */
  private static void assertConsistent() {
    assertThat(probe.exporterPhases()).as("Zeebe's exporters").containsOnly("EXPORTING");
    assertThat(unresolvedOperations()).as("unresolved operations").isEmpty();
    Set<Long> completed = new TreeSet<>();
    for (JsonNode listed : backstop.operator().get("/clusters/" + clusterId + "/backups").json()) {
      assertThat(listed.path("state").asText()).as(listed.toString()).isIn("COMPLETED", "FAILED");
      if (listed.path("state").asText().equals("COMPLETED")) {
        completed.add(listed.path("backupId").asLong());
      }
    }
    assertThat(ours(probe.backupIds(testbed.zeebe()))).as("Zeebe's backups").isSubsetOf(completed);
    assertThat(ours(probe.backupIds(testbed.operate()))).as("Operate's backups").isSubsetOf(completed);
    assertThat(ours(probe.backupIds(testbed.tasklist()))).as("Tasklist's backups").isSubsetOf(completed);
    assertThat(ours(probe.snapshotBackupIds())).as("the search repository's snapshots").isSubsetOf(completed);
    assertThat(ours(RegionContents.zeebeBackupIds(testbed.primaryRegion()))).as("Zeebe's objects in the primary region").isSubsetOf(completed);
    assertThat(ours(RegionContents.zeebeBackupIds(testbed.secondaryRegion()))).as("Zeebe's objects in the secondary region").isSubsetOf(completed);
    assertThat(ours(RegionContents.snapshotsListedIn(testbed.secondaryRegion()).stream()
            .map(ComponentProbe::backupIdOf).filter(java.util.Optional::isPresent).map(java.util.Optional::get).collect(Collectors.toSet())))
        .as("the snapshots the secondary region's repository lists").isSubsetOf(completed);
    for (long backupId : completed) {
      assertThat(probe.backupState(testbed.zeebe(), backupId)).as("Zeebe's backup " + backupId).isEqualTo("COMPLETED");
      assertThat(probe.backupState(testbed.operate(), backupId)).as("Operate's backup " + backupId).isEqualTo("COMPLETED");
      assertThat(probe.backupState(testbed.tasklist(), backupId)).as("Tasklist's backup " + backupId).isEqualTo("COMPLETED");
      assertThat(probe.snapshotsOf(backupId)).as("snapshots of " + backupId).contains("camunda_zeebe_records_backup_" + backupId);
    }
  }

  /** The ids from this class's first backup on. */
  private static Set<Long> ours(Set<Long> ids) {
    return ids.stream().filter(id -> id >= firstBackupId).collect(Collectors.toCollection(TreeSet::new));
  }

  private static void deleteAndAssertGone(long backupId) {
    Api.Answer deleted = backstop.operator().delete("/clusters/" + clusterId + "/backups/" + backupId);
    assertThat(deleted.status()).as(deleted.toString()).isEqualTo(202);
    await("backup " + backupId + " deleted").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
        .until(() -> backstop.operator().get("/clusters/" + clusterId + "/backups/" + backupId).status() == 404 && unresolvedOperations().isEmpty());
    assertConsistent();
  }
}
