package dev.backstop.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backstop.server.operation.OperationEngine;
import dev.backstop.server.support.Api;
import dev.backstop.server.support.BackstopProcess;
import dev.backstop.server.support.ComponentProbe;
import dev.backstop.server.support.RegionContents;
import dev.backstop.server.support.Takeover;
import dev.backstop.server.support.TestCluster;
import dev.backstop.testbed.FaultProxy;
import dev.backstop.testbed.Http;
import dev.backstop.testbed.Testbed;
import dev.backstop.testbed.TestbedExtension;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * High availability (evidence suite, {@code mvn -Pevidence verify}): three Backstop instances on
 * one PostgreSQL; the instance running a backup's operation is killed ({@code kill -9}) in the
 * middle of the backup, or of its replication, and one of the two others finishes it, exactly
 * once: one run after the kill, one COMPLETED backup, one backup in Zeebe, and no object the
 * secondary region held whole written again. (The kill in the middle of a restore, with three
 * instances, is {@code RestoreTest#shouldFinishARestoreOnAnotherInstanceWhenItsRunnerIsKilled}: a
 * restore needs a test bed of its own.)
 *
 * <p>The cases share the instances: the first leaves two, the second one, finishing (a killed
 * instance is not replaced: starting one takes minutes on a loaded machine).
 *
 * <p>Unlike {@code TakeoverTest} (a stalled runner, fenced out when it continues), the runner here
 * is gone for good, as after a crash of its host. The secondary region is reached through a fault
 * proxy, which places the kill in the replication.
 */
@Tag("evidence")
@ExtendWith(TestbedExtension.class)
class HighAvailabilityTest {

  private static final int INSTANCES = 3;

  private static Testbed testbed;
  private static Path dir;
  private static EmbeddedPostgres database;
  private static JdbcClient sql;
  private static FaultProxy secondary;
  private static final List<BackstopProcess> running = new ArrayList<>();
  private static int started;
  private static String clusterId;
  private static ComponentProbe probe;

  @BeforeAll
  static void startInstances(Testbed shared) throws Exception {
    testbed = shared;
    probe = new ComponentProbe(testbed);
    dir = Path.of("target", "ha-runs", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))).toAbsolutePath();
    database = EmbeddedPostgres.builder().setServerConfig("listen_addresses", "127.0.0.1").start();
    sql = JdbcClient.create(database.getPostgresDatabase());
    secondary = FaultProxy.inFrontOf(URI.create(testbed.secondaryRegion().endpoint()).getPort());
    for (int i = 0; i < INSTANCES; i++) {
      startInstance();
    }
    Api operator = running.getFirst().operator();
    String organization = operator.postJson("/admin/organizations", Map.of("name", "high-availability", "plan", "ENTERPRISE")).json().path("id").asText();
    Map<String, Object> registration = TestCluster.registration(organization, "high-availability", "8.6.0", testbed);
    registration.put("backupLocation", Map.of("type", "DUAL_REGION", "secondaryRegion", testbed.secondaryRegion().name()));
    Api.Answer cluster = operator.postJson("/clusters", registration);
    assertThat(cluster.status()).as(cluster.toString()).isEqualTo(201);
    clusterId = cluster.json().path("uuid").asText();
    operator.putJson("/admin/clusters/" + clusterId + "/backup-policy", Map.of("manualRateLimit", "PT0S", "manualRetention", 5, "scheduledRetention", 3));
  }

  @AfterAll
  static void stopEverything() throws Exception {
    running.forEach(instance -> instance.process().kill());
    if (secondary != null) {
      secondary.close();
    }
    if (testbed != null) {
      // Whatever happened, never leave the shared test bed paused.
      new Http().postJson(testbed.zeebe().managementUrl() + "/actuator/exporting/resume", "");
    }
    if (database != null) {
      database.close();
    }
  }

  @Test
  void shouldFinishABackupOnAnotherInstanceExactlyOnceWhenItsRunnerIsKilled() {
    // given: a backup waiting for the web-app backups on one of three instances
    Set<Long> zeebeBefore = probe.backupIds(testbed.zeebe());
    long backupId = requestBackup();
    await("the backup waits for the web apps").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(50))
        .until(() -> "AWAIT_WEB_APP_BACKUPS".equals(step(backupId)));

    // when: its runner is killed
    Takeover takeover = killRunnerOf(operation(backupId));

    // then: one of the others completes it, in one run
    JsonNode backup = awaitReplicated(takeover.survivors(), backupId);
    assertThat(backup.path("state").asText()).as(backup.toString()).isEqualTo("COMPLETED");
    assertThat(takeover.loggedAfterTheKill("Running backup " + backupId + " of ")).as("runs after the kill").hasSize(1);
    assertThat(probe.exporterPhases()).containsOnly("EXPORTING");

    // and: Zeebe took one backup, the one Backstop lists
    Set<Long> zeebeNew = new HashSet<>(probe.backupIds(testbed.zeebe()));
    zeebeNew.removeAll(zeebeBefore);
    assertThat(zeebeNew).containsExactly(backupId);
    assertThat(probe.backupState(testbed.zeebe(), backupId)).isEqualTo("COMPLETED");
    assertThat(unresolvedOperations()).isEmpty();
  }

  @Test
  void shouldFinishAReplicationOnAnotherInstanceCopyingEachObjectOnceWhenItsRunnerIsKilled() {
    // given: a backup whose runner is killed as soon as a search blob reached the secondary region
    Set<String> heldEarlier = RegionContents.list(testbed.secondaryRegion(), "").keySet();
    AtomicReference<Takeover> takeover = new AtomicReference<>();
    AtomicReference<Long> backupId = new AtomicReference<>();
    CountDownLatch copying = secondary.tripAfter("/" + Testbed.SEARCH_BASE_PATH + "/indices/",
        () -> takeover.set(killRunnerOf(operation(backupId.get()))));
    backupId.set(requestBackup());
    FaultProxy.await(copying, 240);
    long id = backupId.get();

    // what the secondary region held of it at that moment (S3 writes are atomic: each object whole)
    Map<String, RegionContents.FileIdentity> before = RegionContents.replicatedFiles(testbed, testbed.secondaryRegion(), id);
    before.keySet().removeAll(heldEarlier);
    assertThat(before.keySet()).as("copied before the kill").anyMatch(key -> key.contains(Testbed.SEARCH_BASE_PATH + "/indices/"));

    // then: one of the others completes the replication, in one run
    assertThat(takeover.get()).as("the runner was found and killed").isNotNull();
    JsonNode backup = awaitReplicated(takeover.get().survivors(), id);
    assertThat(backup.path("location").path("replication").asText()).as(backup.toString()).isEqualTo("COMPLETED");
    assertThat(takeover.get().loggedAfterTheKill("Running backup " + id + " of ")).as("runs after the kill").hasSize(1);
    assertThat(RegionContents.zeebeObjectsOf(testbed.secondaryRegion(), id)).isEqualTo(RegionContents.zeebeObjectsOf(testbed.primaryRegion(), id));
    assertThat(RegionContents.snapshotsListedIn(testbed.secondaryRegion())).containsAll(probe.snapshotsOf(id));

    // and: nothing the secondary held whole at the kill was written again
    Map<String, RegionContents.Listed> after = RegionContents.list(testbed.secondaryRegion(), "");
    long kept = 0;
    for (Map.Entry<String, RegionContents.FileIdentity> held : before.entrySet()) {
      if (after.containsKey(held.getKey())) {
        assertThat(RegionContents.fileOf(testbed, testbed.secondaryRegion(), held.getKey())).as(held.getKey()).isEqualTo(held.getValue());
        kept++;
      }
    }
    assertThat(kept).as("objects of this backup copied before the kill and still used").isPositive();
    assertThat(unresolvedOperations()).isEmpty();
  }

  // --------------------------------------------------------------------------------- helpers

  private static void startInstance() {
    List<String> arguments = new ArrayList<>(List.of("--backstop.backup.web-app-timeout=PT3M", "--backstop.backup.zeebe-timeout=PT2M"));
    arguments.addAll(BackstopProcess.regionArguments(testbed.primaryRegion()));
    arguments.addAll(BackstopProcess.regionArguments(testbed.secondaryRegion(), secondary.url()));
    BackstopProcess instance =
        new BackstopProcess("backstop-ha-" + (++started), database.getJdbcUrl("postgres", "postgres"), dir, arguments.toArray(String[]::new));
    running.add(instance.start());
  }

  private static long requestBackup() {
    Api.Answer created = running.getFirst().operator().post("/clusters/" + clusterId + "/backups", null);
    assertThat(created.status()).as(created.toString()).isEqualTo(202);
    return created.json().path("backupId").asLong();
  }

  private static String operation(long backupId) {
    return clusterId + "/" + backupId;
  }

  private static String step(long backupId) {
    return sql.sql("select step from backups where cluster_id = :c and backup_id = :b")
        .param("c", clusterId).param("b", backupId).query(String.class).optional().orElse("");
  }

  private static Takeover killRunnerOf(String operation) {
    return Takeover.killRunnerOf(database.getPostgresDatabase(), operation, running);
  }

  /** Waits until the backup ended and, when COMPLETED, its replication too: as any survivor shows it. */
  private static JsonNode awaitReplicated(List<BackstopProcess> survivors, long backupId) {
    JsonNode[] backup = new JsonNode[1];
    await("backup " + backupId + " finished by another instance").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).until(() -> {
      backup[0] = survivors.getFirst().operator().get("/clusters/" + clusterId + "/backups/" + backupId).json();
      String state = backup[0].path("state").asText();
      return state.equals("FAILED")
          || state.equals("COMPLETED") && List.of("COMPLETED", "FAILED").contains(backup[0].path("location").path("replication").asText());
    });
    await("the operation resolved").atMost(Duration.ofSeconds(30)).until(() -> unresolvedOperations().isEmpty());
    return backup[0];
  }

  private static List<String> unresolvedOperations() {
    List<String> unresolved = new ArrayList<>(
        sql.sql("select cluster_id || '/' || backup_id || ' ' || state || ' at ' || step from backups where has_work").query(String.class).list());
    unresolved.addAll(sql.sql("select task_instance from scheduled_tasks where task_name = :task")
        .param("task", OperationEngine.BACKUP_OPERATION).query(String.class).list());
    return unresolved;
  }
}
