package dev.backstop.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backstop.server.support.Api;
import dev.backstop.server.support.BackstopProcess;
import dev.backstop.server.support.BackupsAndRestores;
import dev.backstop.server.support.ZeebeJobs;
import dev.backstop.testbed.CamundaVersion;
import dev.backstop.testbed.Http;
import dev.backstop.testbed.Testbed;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A backup and a restore, through Backstop's API, of a real cluster of the previous generation,
 * Camunda 8.5.8: the 8.5.8 distribution's broker (two partitions, S3 backup store, OpenSearch
 * exporter) and restore tool, OpenSearch with the records snapshot, run by Backstop's LOCAL_PROCESS
 * runtime. The cluster has no Operate and no Tasklist: their 8.5 distributions are not served by
 * the Maven registry this project builds from (see {@link CamundaVersion}), so the backup covers
 * Zeebe and its exported records.
 *
 * <p>A restore replaces the whole cluster's state, so this test has a test bed of its own, stopped
 * at the end, also when it fails.
 */
class Camunda85RestoreTest {

  private static final CamundaVersion VERSION = CamundaVersion.V8_5_8;

  private static Testbed testbed;
  private static EmbeddedPostgres database;
  private static BackstopProcess backstop;
  private static String clusterId;
  private static String clientId;
  private static String clientSecret;
  private static BackupsAndRestores backups;

  @BeforeAll
  static void startTestbedAndBackstop() throws Exception {
    Path dir = Path.of("target", "restore-85-runs", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))).toAbsolutePath();
    testbed = Testbed.start(dir.resolve("testbed"), VERSION);
    database = EmbeddedPostgres.builder().setServerConfig("listen_addresses", "127.0.0.1").start();
    Path descriptor = testbed.writeRuntimeDescriptor(dir.resolve("runtimes").resolve("testbed.json"));
    List<String> arguments = new ArrayList<>(List.of(
        "--backstop.runtime.local-directory=" + descriptor.getParent(),
        "--backstop.backup.unreachable-tolerance=PT10S",
        "--backstop.backup.records-snapshot-timeout=PT2M",
        "--backstop.backup.zeebe-timeout=PT2M"));
    arguments.addAll(BackstopProcess.regionArguments(testbed.primaryRegion(), testbed.secondaryRegion()));
    backstop = new BackstopProcess("backstop-85", database.getJdbcUrl("postgres", "postgres"), dir, arguments.toArray(String[]::new));
    backstop.start();

    Api operator = backstop.operator();
    String organizationId =
        operator.postJson("/admin/organizations", Map.of("name", "tenant-85", "plan", "ENTERPRISE")).json().path("id").asText();
    JsonNode client =
        operator.postJson(
                "/admin/organizations/" + organizationId + "/clients",
                Map.of("name", "restorer-85", "permissions", List.of("backups:read", "backups:write", "backups:restore", "clusters:read", "clusters:write")))
            .json();
    clientId = client.path("clientId").asText();
    clientSecret = client.path("clientSecret").asText();
    Api.Answer cluster = operator.postJson("/clusters", registration(organizationId, descriptor));
    assertThat(cluster.status()).as(cluster.toString()).isEqualTo(201);
    assertThat(cluster.json().path("generation").asText()).isEqualTo("8.5.8");
    clusterId = cluster.json().path("uuid").asText();
    operator.putJson("/admin/clusters/" + clusterId + "/backup-policy", Map.of("manualRateLimit", "PT0S", "manualRetention", 3, "scheduledRetention", 3));
    backups = new BackupsAndRestores(() -> Api.as(backstop.url(), clientId, clientSecret), Duration.ofMinutes(8));
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
    if (database != null) {
      database.close();
    }
  }

  @Test
  void shouldBringBackExactlyTheInstancesOfTheBackupInZeebe() {
    // given: 8 instances waiting at their user task, exported, in a backup with every component complete
    List<Long> first = testbed.startProcessInstances(Testbed.ORDER_PROCESS_ID, 8);
    awaitExported();
    long backupId = backups.takeBackup(clusterId);
    JsonNode backup = client().get("/clusters/" + clusterId + "/backups/" + backupId).json();
    assertThat(backup.path("status").asText()).as(backup.toString()).isEqualTo("Complete");
    assertThat(backup.path("zeebeStatus").asText()).isEqualTo("Complete");
    assertThat(backup.path("components").findValuesAsText("component")).containsExactlyInAnyOrder("ZEEBE", "ZEEBE_RECORDS");
    assertThat(backup.path("components").findValuesAsText("state")).containsOnly("COMPLETED");
    assertThat(new Http().get(testbed.zeebe().managementUrl() + "/actuator/backups/" + backupId).successJson().path("details").findValuesAsText("brokerVersion"))
        .containsOnly("8.5.8");

    // and: afterwards, 4 more started and 3 of the first completed
    List<Long> later = testbed.startProcessInstances(Testbed.ORDER_PROCESS_ID, 4);
    Set<Long> toComplete = new HashSet<>(first.subList(0, 3));
    ZeebeJobs.completeJobsOf(testbed, toComplete);

    // when: the backup is restored
    Api.Answer requested = client().post("/clusters/" + clusterId + "/backups/" + backupId + "/restore", null);
    assertThat(requested.status()).as(requested.toString()).isEqualTo(202);
    JsonNode restore = backups.awaitRestoreEnd(clusterId, requested.json().path("id").asText());

    // then: COMPLETED, every phase with it
    assertThat(restore.path("state").asText()).as(restore.toString()).isEqualTo("COMPLETED");
    List<String> phases = new ArrayList<>();
    restore.path("phases").forEach(phase -> {
      phases.add(phase.path("name").asText());
      assertThat(phase.path("state").asText()).as(phase.toString()).isEqualTo("COMPLETED");
    });
    assertThat(phases).containsExactly(
        "PREFLIGHT", "STOP_COMPONENTS", "DELETE_INDICES", "RESTORE_SNAPSHOTS", "RESTORE_ZEEBE", "START_COMPONENTS", "VERIFY");

    // and: the exported records are those of the backup again; the later instances' are gone
    assertThat(exportedInstanceKeys()).isEqualTo(Set.copyOf(first));

    // and: exactly the instances of the backup wait in Zeebe again; the later ones are gone
    Set<Long> waiting = ZeebeJobs.completeAllWaitingJobs(testbed);
    assertThat(waiting).isEqualTo(Set.copyOf(first)).containsAll(toComplete).doesNotContainAnyElementsOf(later);
  }

  // ---------------------------------------------------------------------------------- helpers

  private static Map<String, Object> registration(String organizationId, Path descriptor) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", "generation-85");
    body.put("organizationId", organizationId);
    body.put("generation", VERSION.version());
    body.put("region", "local-a");
    body.put("backupLocation", Map.of("type", "SAME_REGION"));
    body.put("components", Map.of(
        "zeebe", Map.of("managementUrl", testbed.zeebe().managementUrl()),
        "search", Map.of("url", testbed.searchUrl(), "repository", Testbed.SEARCH_REPOSITORY)));
    body.put("storage", Map.of("zeebeBasePath", Testbed.ZEEBE_BASE_PATH, "searchBasePath", Testbed.SEARCH_BASE_PATH));
    body.put("runtime", Map.of("type", "LOCAL_PROCESS", "descriptor", descriptor.toString()));
    return body;
  }

  /** The process instances that the exported records in OpenSearch ({@code zeebe-record*}) know. */
  private static Set<Long> exportedInstanceKeys() {
    Map<String, Object> query = Map.of(
        "size", 0,
        "query", Map.of("term", Map.of("valueType", "PROCESS_INSTANCE")),
        "aggs", Map.of("instances", Map.of("terms", Map.of("field", "value.processInstanceKey", "size", 1000))));
    JsonNode answer = new Http().postJson(testbed.searchUrl() + "/zeebe-record*/_search", query).successJson();
    Set<Long> keys = new HashSet<>();
    answer.path("aggregations").path("instances").path("buckets").forEach(bucket -> keys.add(bucket.path("key").asLong()));
    return keys;
  }

  private static Api client() {
    return Api.as(backstop.url(), clientId, clientSecret);
  }

  /** Waits until each partition's exporter has exported all it processed (the records snapshot then holds the instances). */
  private static void awaitExported() {
    Http http = new Http();
    await("Zeebe exported the instances").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).until(() -> {
      JsonNode partitions = http.get(testbed.zeebe().managementUrl() + "/actuator/partitions").successJson();
      for (JsonNode partition : partitions) {
        if (partition.path("exportedPosition").asLong() < partition.path("processedPosition").asLong()) {
          return false;
        }
      }
      return true;
    });
  }
}
