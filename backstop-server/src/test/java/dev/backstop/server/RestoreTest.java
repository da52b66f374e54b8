package dev.backstop.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backstop.core.restore.RestoreService;
import dev.backstop.server.support.Api;
import dev.backstop.server.support.BackstopProcess;
import dev.backstop.server.support.BackupsAndRestores;
import dev.backstop.server.support.Takeover;
import dev.backstop.server.support.ZeebeJobs;
import dev.backstop.testbed.FaultProxy;
import dev.backstop.testbed.Ports;
import dev.backstop.testbed.S3Region;
import dev.backstop.testbed.Testbed;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Restores of a real Camunda 8.6 cluster, through Backstop's API, by a Backstop in a JVM of its
 * own that stops, restores and starts the cluster's processes (the LOCAL_PROCESS runtime).
 *
 * <p>A restore replaces the whole cluster's state, so these tests have a test bed of their own,
 * not the suite's shared one; they run in order (the last deletes the primary region's objects).
 * The cluster's search engine is reached through a fault proxy, which places Backstop's crashes
 * inside the phases that talk to it. (A search engine behind TLS and basic authentication is
 * covered by {@code SecuredSearchTest}, on the suite's shared test bed.)
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RestoreTest {

  private static final Duration RESTORE_TIMEOUT = Duration.ofMinutes(8);

  private static Path dir;
  private static Testbed testbed;
  private static EmbeddedPostgres database;
  private static FaultProxy searchPort;
  private static Path descriptor;
  private static BackstopProcess backstop;
  private static int instances;
  private static String clusterId;
  private static String organizationId;
  private static String clientId;
  private static String clientSecret;
  /** The backup the first restore brings back, and the instances waiting at their user task in it. */
  private static long firstBackup;
  private static Set<Long> waitingInFirstBackup;

  @BeforeAll
  static void startTestbedAndBackstop() throws Exception {
    dir = Path.of("target", "restore-runs", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))).toAbsolutePath();
    testbed = Testbed.start(dir.resolve("testbed"));
    database = EmbeddedPostgres.builder().setServerConfig("listen_addresses", "127.0.0.1").start();
    searchPort = FaultProxy.inFrontOf(URI.create(testbed.searchUrl()).getPort());
    descriptor = testbed.writeRuntimeDescriptor(dir.resolve("runtimes").resolve("testbed.json"));
    startBackstop();
    Api operator = backstop.operator();
    organizationId = operator.postJson("/admin/organizations", Map.of("name", "restore-tenant", "plan", "ENTERPRISE")).json().path("id").asText();
    JsonNode client =
        operator.postJson(
                "/admin/organizations/" + organizationId + "/clients",
                Map.of("name", "restorer", "permissions", List.of("backups:read", "backups:write", "backups:restore", "clusters:read", "clusters:write")))
            .json();
    clientId = client.path("clientId").asText();
    clientSecret = client.path("clientSecret").asText();
    Api.Answer cluster = operator.postJson("/clusters", registration("restored", testbed.operate().managementUrl(), testbed.tasklist().managementUrl()));
    assertThat(cluster.status()).as(cluster.toString()).isEqualTo(201);
    assertThat(cluster.json().path("runtime").path("type").asText()).isEqualTo("LOCAL_PROCESS");
    clusterId = cluster.json().path("uuid").asText();
    operator.putJson("/admin/clusters/" + clusterId + "/backup-policy", Map.of("manualRateLimit", "PT0S", "manualRetention", 5, "scheduledRetention", 3));
    testbed.deployOrderProcess();
  }

  @AfterAll
  static void stopEverything() throws Exception {
    if (backstop != null) {
      backstop.process().kill();
    }
    if (testbed != null) {
      testbed.close();
    }
    if (searchPort != null) {
      searchPort.close();
    }
    if (database != null) {
      database.close();
    }
  }

  // --------------------------------------------------------------------------------- refusals

  @Test
  @Order(1)
  void shouldRefuseUnknownFailedAndWronglyPlacedBackupsTouchingNothing() {
    Api api = client();
    // an unknown backup
    Api.Answer unknown = api.post("/clusters/" + clusterId + "/backups/4242/restore", null);
    assertThat(unknown.status()).as(unknown.toString()).isEqualTo(404);
    assertThat(unknown.contentType()).startsWith("application/problem+json");

    // a FAILED backup (of a cluster whose web apps cannot be reached: nothing of it starts in the shared components)
    String nowhere = "http://127.0.0.1:" + Ports.freeLoopbackPort();
    Api.Answer broken = backstop.operator().postJson("/clusters", registration("broken", nowhere, nowhere));
    assertThat(broken.status()).as(broken.toString()).isEqualTo(201);
    String brokenId = broken.json().path("uuid").asText();
    long failed = api.post("/clusters/" + brokenId + "/backups", null).json().path("backupId").asLong();
    JsonNode failedBackup = awaitBackupEnd(brokenId, failed);
    assertThat(failedBackup.path("state").asText()).as(failedBackup.toString()).isEqualTo("FAILED");
    Api.Answer ofFailed = api.post("/clusters/" + brokenId + "/backups/" + failed + "/restore", null);
    assertThat(ofFailed.status()).as(ofFailed.toString()).isEqualTo(400);
    assertThat(ofFailed.json().path("errors").path(0).path("field").asText()).isEqualTo("backupId");

    // a region that holds no copy of the cluster's backups
    long completed = takeBackup();
    Api.Answer elsewhere = api.postJson("/clusters/" + clusterId + "/backups/" + completed + "/restore", Map.of("sourceRegion", "nowhere"));
    assertThat(elsewhere.status()).as(elsewhere.toString()).isEqualTo(400);
    assertThat(elsewhere.json().path("errors").path(0).path("field").asText()).isEqualTo("sourceRegion");

    // then: no restore was recorded
    assertThat(api.get("/clusters/" + clusterId + "/restores").json()).isEmpty();
    assertThat(api.get("/clusters/" + brokenId + "/restores").json()).isEmpty();
  }

  @Test
  @Order(2)
  void shouldFailInPreflightWithoutStoppingAnythingWhenAPartOfTheBackupIsMissing() {
    // given: a completed backup one of whose Zeebe files is gone from the region
    long backupId = takeBackup();
    String removed = removeOneZeebeFile(testbed.primaryRegion(), backupId);
    Map<String, Long> pidsBefore = componentPids();

    // when
    Api.Answer requested = client().post("/clusters/" + clusterId + "/backups/" + backupId + "/restore", null);
    assertThat(requested.status()).as(requested.toString()).isEqualTo(202);
    JsonNode restore = awaitRestoreEnd(requested.json().path("id").asText());

    // then: FAILED in PREFLIGHT, naming the file; every component still runs, untouched
    assertThat(restore.path("state").asText()).as(restore.toString()).isEqualTo("FAILED");
    assertThat(restore.path("phase").asText()).isEqualTo("PREFLIGHT");
    assertThat(restore.path("failureReason").asText()).contains(removed.substring(removed.lastIndexOf('/') + 1)).contains("Nothing was stopped");
    assertThat(restore.path("phases").path(1).path("state").asText()).isEqualTo("PENDING");
    assertThat(componentPids()).isEqualTo(pidsBefore);
    assertThat(new dev.backstop.testbed.Http().isOk(testbed.zeebe().managementUrl() + "/actuator/health/readiness")).isTrue();
  }

  // ------------------------------------------------------------------------------ the restore

  @Test
  @Order(3)
  void shouldBringBackExactlyTheInstancesOfTheBackupInZeebeOperateAndTasklist() {
    // given: 20 instances waiting at their user task, in a backup
    List<Long> first = testbed.startProcessInstances(Testbed.ORDER_PROCESS_ID, 20);
    awaitImported(first);
    firstBackup = takeBackup();
    waitingInFirstBackup = waitingInstances();
    assertThat(waitingInFirstBackup).containsAll(first);

    // and: afterwards, 10 more started and 5 of the first completed
    List<Long> later = testbed.startProcessInstances(Testbed.ORDER_PROCESS_ID, 10);
    Set<Long> toComplete = new HashSet<>(first.subList(0, 5));
    completeJobsOf(toComplete);

    // when: the backup is restored
    Api.Answer requested = client().post("/clusters/" + clusterId + "/backups/" + firstBackup + "/restore", null);
    assertThat(requested.status()).as(requested.toString()).isEqualTo(202);
    String restoreId = requested.json().path("id").asText();
    assertThat(requested.json().path("sourceRegion").asText()).isEqualTo("local-a");

    // and: while it runs, no other restore and no backup is admitted
    Api.Answer second = client().post("/clusters/" + clusterId + "/backups/" + firstBackup + "/restore", null);
    assertThat(second.status()).as(second.toString()).isEqualTo(409);
    Api.Answer backup = client().post("/clusters/" + clusterId + "/backups", null);
    assertThat(backup.status()).as(backup.toString()).isEqualTo(409);
    JsonNode restore = awaitRestoreEnd(restoreId);

    // then: COMPLETED, every phase with its times
    assertThat(restore.path("state").asText()).as(restore.toString()).isEqualTo("COMPLETED");
    List<String> phases = new ArrayList<>();
    restore.path("phases").forEach(phase -> {
      phases.add(phase.path("name").asText());
      assertThat(phase.path("state").asText()).as(phase.toString()).isEqualTo("COMPLETED");
      assertThat(phase.path("startedAt").isNull()).isFalse();
      assertThat(phase.path("endedAt").isNull()).isFalse();
    });
    assertThat(phases).containsExactly(
        "PREFLIGHT", "STOP_COMPONENTS", "DELETE_INDICES", "RESTORE_SNAPSHOTS", "RESTORE_ZEEBE", "START_COMPONENTS", "VERIFY");

    // and: exactly the instances of the backup are back, in Operate, Tasklist and Zeebe; the later ones are gone
    await("Operate lists the instances of the backup").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
        .untilAsserted(() -> assertThat(Set.copyOf(testbed.operateActiveInstanceKeys(Testbed.ORDER_PROCESS_ID))).isEqualTo(waitingInFirstBackup));
    await("Tasklist lists the tasks of the backup").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
        .untilAsserted(() -> assertThat(Set.copyOf(testbed.tasklistOpenTaskInstanceKeys())).isEqualTo(waitingInFirstBackup));
    Set<Long> activated = completeAllWaitingJobs();
    assertThat(activated).isEqualTo(waitingInFirstBackup).containsAll(toComplete).doesNotContainAnyElementsOf(later);
  }

  /** Part of the crash-consistency evidence suite ({@code mvn -Pevidence verify}): about two minutes. */
  @Test
  @Order(4)
  @Tag("evidence")
  void shouldCompleteARestoreWhenBackstopIsKilledInEveryPhase() {
    // given: a restore of the first backup (whose instances the test before completed); under
    // `mvn -Pevidence verify` this test runs alone and takes that backup itself
    if (firstBackup == 0) {
      List<Long> first = testbed.startProcessInstances(Testbed.ORDER_PROCESS_ID, 5);
      awaitImported(first);
      firstBackup = takeBackup();
      waitingInFirstBackup = waitingInstances();
    }
    List<String> killedIn = new ArrayList<>();

    // when: Backstop is killed (SIGKILL) in each phase and started again on the same database.
    // Phases that talk to the search engine are held there by the proxy swallowing requests; the
    // others take seconds (processes stopping, the restore tool, processes starting).
    searchPort.set(FaultProxy.Mode.BLACKHOLE);
    Api.Answer requested = client().post("/clusters/" + clusterId + "/backups/" + firstBackup + "/restore", null);
    assertThat(requested.status()).as(requested.toString()).isEqualTo(202);
    String restoreId = requested.json().path("id").asText();
    awaitPhase(restoreId, "PREFLIGHT");
    killedIn.add(killBackstopIn(restoreId));

    startBackstopAgain(FaultProxy.Mode.PASS);
    awaitPhase(restoreId, "STOP_COMPONENTS");
    searchPort.set(FaultProxy.Mode.BLACKHOLE); // the next phase, once resumed, waits on the search engine
    killedIn.add(killBackstopIn(restoreId));

    startBackstopAgain(FaultProxy.Mode.BLACKHOLE);
    awaitPhase(restoreId, "DELETE_INDICES");
    killedIn.add(killBackstopIn(restoreId));

    startBackstopAgain(FaultProxy.Mode.PASS);
    CountDownLatch restoring = searchPort.tripAfter("/_restore", FaultProxy.Mode.BLACKHOLE);
    FaultProxy.await(restoring, 240);
    awaitPhase(restoreId, "RESTORE_SNAPSHOTS");
    killedIn.add(killBackstopIn(restoreId));

    startBackstopAgain(FaultProxy.Mode.PASS);
    awaitPhase(restoreId, "RESTORE_ZEEBE");
    killedIn.add(killBackstopIn(restoreId));

    startBackstopAgain(FaultProxy.Mode.PASS);
    awaitPhase(restoreId, "START_COMPONENTS");
    killedIn.add(killBackstopIn(restoreId));

    startBackstopAgain(FaultProxy.Mode.PASS);
    awaitPhase(restoreId, "START_COMPONENTS");
    searchPort.set(FaultProxy.Mode.BLACKHOLE); // the verification reads the exported and imported positions there
    awaitPhase(restoreId, "VERIFY");
    killedIn.add(killBackstopIn(restoreId));

    startBackstopAgain(FaultProxy.Mode.PASS);
    JsonNode restore = awaitRestoreEnd(restoreId);

    // then: it completed, and the instances of the backup are back
    assertThat(killedIn).containsExactly(
        "PREFLIGHT", "STOP_COMPONENTS", "DELETE_INDICES", "RESTORE_SNAPSHOTS", "RESTORE_ZEEBE", "START_COMPONENTS", "VERIFY");
    assertThat(restore.path("state").asText()).as(restore.toString()).isEqualTo("COMPLETED");
    assertThat(completeAllWaitingJobs()).isEqualTo(waitingInFirstBackup);
  }

  /**
   * Two behaviours in one restore, for the suite's time (a restore stops and starts the whole
   * cluster): the MANUAL runtime waiting for the operator at each step, and a restore from the
   * secondary region once the primary region's objects are gone.
   */
  /**
   * Part of the high-availability evidence suite ({@code mvn -Pevidence verify}): three instances
   * on one database; the one running the restore is killed while the search snapshots restore, and
   * one of the two others finishes it in one run, starting each component once.
   */
  @Test
  @Order(5)
  @Tag("evidence")
  void shouldFinishARestoreOnAnotherInstanceWhenItsRunnerIsKilled() {
    // given: three instances on the database, and a backup (taken here when this test runs alone)
    if (firstBackup == 0) {
      List<Long> first = testbed.startProcessInstances(Testbed.ORDER_PROCESS_ID, 5);
      awaitImported(first);
      firstBackup = takeBackup();
      waitingInFirstBackup = waitingInstances();
    }
    List<BackstopProcess> instances = List.of(backstop, newBackstop(), newBackstop());
    try {
      // when: a restore of it runs, and its runner is killed (SIGKILL) while the snapshots restore
      CountDownLatch restoring = searchPort.tripAfter("/_restore", FaultProxy.Mode.BLACKHOLE);
      Api.Answer requested = client().post("/clusters/" + clusterId + "/backups/" + firstBackup + "/restore", null);
      assertThat(requested.status()).as(requested.toString()).isEqualTo(202);
      String restoreId = requested.json().path("id").asText();
      FaultProxy.await(restoring, 240);
      awaitPhase(restoreId, "RESTORE_SNAPSHOTS");
      Takeover takeover = Takeover.killRunnerOf(database.getPostgresDatabase(), RestoreService.operationOf(clusterId, restoreId), instances);
      searchPort.set(FaultProxy.Mode.PASS);
      backstop = takeover.survivors().getFirst();

      // then: another instance completes it
      JsonNode restore = awaitRestoreEnd(restoreId);
      assertThat(restore.path("state").asText()).as(restore.toString()).isEqualTo("COMPLETED");
      restore.path("phases").forEach(phase -> assertThat(phase.path("state").asText()).as(phase.toString()).isEqualTo("COMPLETED"));
      assertThat(completeAllWaitingJobs()).isEqualTo(waitingInFirstBackup);

      // and: in one run, carried on from the phase of the kill, which started each component once
      assertThat(takeover.loggedAfterTheKill("Running restore " + restoreId + " of "))
          .as("runs after the kill").singleElement().asString().contains("from RUNNING/RESTORE_SNAPSHOTS");
      assertThat(takeover.loggedAfterTheKill(" is ready (pid ")).as("components started after the kill").hasSize(3);
    } finally {
      // one instance goes on with the tests after this one
      instances.stream().filter(instance -> instance != backstop).forEach(instance -> instance.process().kill());
    }
  }

  @Test
  @Order(6)
  void shouldRestoreFromTheSecondaryRegionThroughAManualRuntimeWaitingForTheOperatorAtEachStep() throws Exception {
    // given: the same cluster registered with the MANUAL runtime, and a backup of it replicated to the secondary region
    Map<String, Object> body = registration("by-hand", testbed.operate().managementUrl(), testbed.tasklist().managementUrl());
    body.remove("runtime");
    Api.Answer registered = backstop.operator().postJson("/clusters", body);
    assertThat(registered.status()).as(registered.toString()).isEqualTo(201);
    assertThat(registered.json().path("runtime").path("type").asText()).isEqualTo("MANUAL");
    String manualId = registered.json().path("uuid").asText();
    backstop.operator().putJson("/admin/clusters/" + manualId + "/backup-policy", Map.of("manualRateLimit", "PT0S", "manualRetention", 5, "scheduledRetention", 3));
    List<Long> inBackup = testbed.startProcessInstances(Testbed.ORDER_PROCESS_ID, 2);
    awaitImported(inBackup);
    long backupId = takeBackup(manualId);
    Set<Long> waiting = waitingInstances();
    await("the backup is replicated").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
        .until(() -> client().get("/clusters/" + manualId + "/backups/" + backupId).json().path("location").path("replication").asText(), "COMPLETED"::equals);
    List<Long> after = testbed.startProcessInstances(Testbed.ORDER_PROCESS_ID, 2);

    // and: every object of the primary region's bucket is deleted
    assertThat(deleteEverything(testbed.primaryRegion())).isPositive();
    String restores = "/clusters/" + manualId + "/restores/";
    Api.Answer requested = client().postJson("/clusters/" + manualId + "/backups/" + backupId + "/restore", Map.of("sourceRegion", "local-b"));
    assertThat(requested.status()).as(requested.toString()).isEqualTo(202);
    String restoreId = requested.json().path("id").asText();

    // when / then: it waits for the stop, saying what to stop
    JsonNode stop = awaitWaiting(manualId, restoreId, "STOP_COMPONENTS");
    assertThat(stop.path("waitingFor").asText()).contains("Stop Zeebe (" + testbed.zeebe().managementUrl()).contains("Operate").contains("Tasklist");
    assertThat(client().postJson(restores + restoreId + "/confirm", Map.of("phase", "START_COMPONENTS")).status()).isEqualTo(409);
    stopRunningComponents();
    assertThat(client().postJson(restores + restoreId + "/confirm", Map.of("phase", "STOP_COMPONENTS")).status()).isEqualTo(202);

    // and: it deletes and restores the indices from the secondary repository, then waits for
    // Zeebe's restore tool, naming the backup and the secondary region's bucket
    JsonNode zeebe = awaitWaiting(manualId, restoreId, "RESTORE_ZEEBE");
    assertThat(zeebe.path("waitingFor").asText()).contains("--backupId=" + backupId).contains(testbed.secondaryRegion().bucket());
    Path data = testbed.workDirectory().resolve("zeebe").resolve("data");
    deleteRecursively(data);
    testbed.restoreZeebe(testbed.secondaryRegion(), backupId, data);
    assertThat(client().postJson(restores + restoreId + "/confirm", Map.of("phase", "RESTORE_ZEEBE")).status()).isEqualTo(202);

    // and: it waits for the start, then verifies the cluster
    awaitWaiting(manualId, restoreId, "START_COMPONENTS");
    testbed.zeebe().process().start();
    testbed.operate().process().start();
    testbed.tasklist().process().start();
    try {
      assertThat(client().postJson(restores + restoreId + "/confirm", Map.of("phase", "START_COMPONENTS")).status()).isEqualTo(202);
      JsonNode restore = awaitRestoreEnd(manualId, restoreId);
      assertThat(restore.path("state").asText()).as(restore.toString()).isEqualTo("COMPLETED");
      assertThat(restore.path("sourceRegion").asText()).isEqualTo("local-b");
      assertThat(restore.path("phases").path(1).path("detail").asText()).isEqualTo("confirmed by the operator; no component answers");
      await("Operate lists the instances of the backup").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
          .untilAsserted(() -> assertThat(Set.copyOf(testbed.operateActiveInstanceKeys(Testbed.ORDER_PROCESS_ID))).isEqualTo(waiting));
      assertThat(completeAllWaitingJobs()).isEqualTo(waiting).containsAll(inBackup).doesNotContainAnyElementsOf(after);
    } finally {
      // The test bed's own handles run the components again: the LOCAL_PROCESS runtime's pid files must say so.
      testbed.writeRuntimeDescriptor(descriptor);
    }
  }

  // ---------------------------------------------------------------------------------- helpers

  private static Map<String, Object> registration(String name, String operateManagementUrl, String tasklistManagementUrl) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    body.put("organizationId", organizationId);
    body.put("generation", Testbed.CAMUNDA_VERSION);
    body.put("region", "local-a");
    body.put("backupLocation", Map.of("type", "DUAL_REGION", "secondaryRegion", "local-b"));
    body.put("components", Map.of(
        "zeebe", Map.of("managementUrl", testbed.zeebe().managementUrl()),
        "operate", Map.of("managementUrl", operateManagementUrl),
        "tasklist", Map.of("managementUrl", tasklistManagementUrl),
        "search", Map.of("url", searchPort.url(), "repository", Testbed.SEARCH_REPOSITORY)));
    body.put("storage", Map.of(
        "zeebeBasePath", Testbed.ZEEBE_BASE_PATH,
        "searchBasePath", Testbed.SEARCH_BASE_PATH,
        "secondarySearchRepository", Testbed.SECONDARY_SEARCH_REPOSITORY));
    body.put("runtime", Map.of("type", "LOCAL_PROCESS", "descriptor", descriptor.toString()));
    return body;
  }

  private static void startBackstop() {
    backstop = newBackstop();
  }

  /** Starts another Backstop on the database. */
  private static BackstopProcess newBackstop() {
    S3Region a = testbed.primaryRegion();
    S3Region b = testbed.secondaryRegion();
    List<String> arguments = new ArrayList<>(List.of(
        "--backstop.runtime.local-directory=" + descriptor.getParent(),
        "--backstop.backup.unreachable-tolerance=PT10S",
        "--backstop.backup.web-app-timeout=PT3M",
        "--backstop.backup.records-snapshot-timeout=PT2M",
        "--backstop.backup.zeebe-timeout=PT2M"));
    arguments.addAll(BackstopProcess.regionArguments(a, b));
    return new BackstopProcess("backstop-" + (++instances), database.getJdbcUrl("postgres", "postgres"), dir, arguments.toArray(String[]::new))
        .start();
  }

  private static JsonNode awaitWaiting(String cluster, String restoreId, String phase) {
    JsonNode[] restore = new JsonNode[1];
    await("restore waiting at " + phase).atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).until(() -> {
      restore[0] = client().get("/clusters/" + cluster + "/restores/" + restoreId).json();
      assertThat(restore[0].path("state").asText()).as(restore[0].toString()).isNotEqualTo("FAILED");
      return restore[0].path("state").asText().equals("WAITING") && restore[0].path("phase").asText().equals(phase);
    });
    return restore[0];
  }

  /** As an operator would: SIGTERM to Zeebe, Operate and Tasklist (run by Backstop's runtime), and wait until they exit. */
  private static void stopRunningComponents() throws Exception {
    List<ProcessHandle> running = testbed.runtimeProcesses();
    assertThat(running).hasSize(3);
    running.forEach(ProcessHandle::destroy);
    for (ProcessHandle process : running) {
      process.onExit().get(60, java.util.concurrent.TimeUnit.SECONDS);
    }
  }

  private static void deleteRecursively(Path directory) throws Exception {
    try (var paths = java.nio.file.Files.walk(directory)) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        java.nio.file.Files.delete(path);
      }
    }
  }

  /** Waits until the restore is RUNNING at {@code phase} (saved as started). */
  private static void awaitPhase(String restoreId, String phase) {
    await("restore at " + phase).atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(100))
        .until(() -> {
          JsonNode seen = client().get("/clusters/" + clusterId + "/restores/" + restoreId).json();
          return seen.path("phase").asText().equals(phase) && seen.path("state").asText().equals("RUNNING");
        });
  }

  /** Kills Backstop (SIGKILL); the phase the restore was saved at then, as its database holds it. */
  private static String killBackstopIn(String restoreId) {
    backstop.process().kill();
    try (var connection = database.getPostgresDatabase().getConnection();
        var query = connection.prepareStatement("select phase, state from restores where id = ?")) {
      query.setString(1, restoreId);
      try (var row = query.executeQuery()) {
        assertThat(row.next()).isTrue();
        assertThat(row.getString("state")).isEqualTo("RUNNING");
        return row.getString("phase");
      }
    } catch (java.sql.SQLException e) {
      throw new AssertionError(e);
    }
  }

  /** Starts the next Backstop on the same database, the search engine's proxy in {@code mode}. */
  private static void startBackstopAgain(FaultProxy.Mode mode) {
    searchPort.set(mode);
    startBackstop();
  }

  private static Api client() {
    return Api.as(backstop.url(), clientId, clientSecret);
  }

  private static long takeBackup() {
    return takeBackup(clusterId);
  }

  private static long takeBackup(String cluster) {
    return backups().takeBackup(cluster);
  }

  private static JsonNode awaitBackupEnd(String cluster, long backupId) {
    return backups().awaitBackupEnd(cluster, backupId);
  }

  private static JsonNode awaitRestoreEnd(String restoreId) {
    return awaitRestoreEnd(clusterId, restoreId);
  }

  private static JsonNode awaitRestoreEnd(String cluster, String restoreId) {
    return backups().awaitRestoreEnd(cluster, restoreId);
  }

  private static BackupsAndRestores backups() {
    return new BackupsAndRestores(RestoreTest::client, RESTORE_TIMEOUT);
  }

  /** Waits until Operate and Tasklist both list these instances (so the web apps' backups hold them). */
  private static void awaitImported(List<Long> keys) {
    await("Operate and Tasklist imported the instances").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).until(() ->
        testbed.operateActiveInstanceKeys(Testbed.ORDER_PROCESS_ID).containsAll(keys) && testbed.tasklistOpenTaskInstanceKeys().containsAll(keys));
  }

  /** The instances waiting at their user task now, as Operate lists them. */
  private static Set<Long> waitingInstances() {
    return Set.copyOf(testbed.operateActiveInstanceKeys(Testbed.ORDER_PROCESS_ID));
  }

  private static void completeJobsOf(Set<Long> instanceKeys) {
    ZeebeJobs.completeJobsOf(testbed, instanceKeys);
  }

  private static Set<Long> completeAllWaitingJobs() {
    return ZeebeJobs.completeAllWaitingJobs(testbed);
  }

  private static Map<String, Long> componentPids() {
    Map<String, Long> pids = new LinkedHashMap<>();
    pids.put("zeebe", testbed.zeebe().process().pid().orElse(-1L));
    pids.put("operate", testbed.operate().process().pid().orElse(-1L));
    pids.put("tasklist", testbed.tasklist().process().pid().orElse(-1L));
    return pids;
  }

  /** Deletes one snapshot or segment file of Zeebe's backup {@code backupId} (its manifest stays COMPLETED). */
  private static String removeOneZeebeFile(S3Region region, long backupId) {
    try (S3Client s3 = region.newClient()) {
      String key =
          s3.listObjectsV2Paginator(b -> b.bucket(region.bucket()).prefix(Testbed.ZEEBE_BASE_PATH + "/")).contents().stream()
              .map(S3Object::key)
              .filter(k -> k.contains("/" + backupId + "/") && (k.contains("/segments/") || k.contains("/snapshot/")))
              .findFirst()
              .orElseThrow();
      s3.deleteObject(b -> b.bucket(region.bucket()).key(key));
      return key;
    }
  }

  private static int deleteEverything(S3Region region) {
    try (S3Client s3 = region.newClient()) {
      List<String> keys = s3.listObjectsV2Paginator(b -> b.bucket(region.bucket())).contents().stream().map(S3Object::key).collect(Collectors.toList());
      keys.forEach(key -> s3.deleteObject(b -> b.bucket(region.bucket()).key(key)));
      return keys.size();
    }
  }
}
