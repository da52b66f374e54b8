package dev.backstop.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Proves the ground is real before Backstop automates it: on the test bed, the documented
 * consistent backup of Camunda 8.6 is taken by hand, through each component's own API, in the
 * documented order (web apps, soft pause, records snapshot, Zeebe, resume).
 */
@ExtendWith(TestbedExtension.class)
class ConsistentBackupThroughComponentApisTest {

  private static final Duration STEP_TIMEOUT = Duration.ofMinutes(2);
  private static final Duration POLL = Duration.ofSeconds(1);

  private final Http http = new Http();

  @Test
  void shouldTakeTheDocumentedConsistentBackupThroughTheComponentsOwnApis(Testbed testbed) {
    // given: a deployed process with 20 instances that Operate reports
    testbed.deployOrderProcess();
    testbed.startProcessInstances(Testbed.ORDER_PROCESS_ID, 20);
    await("Operate imports the 20 instances")
        .atMost(STEP_TIMEOUT)
        .pollInterval(POLL)
        .ignoreExceptions()
        .until(() -> testbed.operateProcessInstanceCount(Testbed.ORDER_PROCESS_ID) == 20);
    long backupId = System.currentTimeMillis() / 1000;
    CamundaComponent zeebe = testbed.zeebe();

    // when: 1. Operate and Tasklist back up, both started before either is awaited
    JsonNode operateScheduled = startWebAppBackup(testbed.operate(), backupId);
    JsonNode tasklistScheduled = startWebAppBackup(testbed.tasklist(), backupId);
    JsonNode operateBackup = awaitWebAppBackupCompleted(testbed.operate(), backupId);
    JsonNode tasklistBackup = awaitWebAppBackupCompleted(testbed.tasklist(), backupId);

    // 2. soft-pause exporting: always HTTP 200, the outcome is in the body
    JsonNode pause = http.postJson(zeebe.managementUrl() + "/actuator/exporting/pause?soft=true", "").successJson();
    assertThat(pause.path("status").asInt()).isEqualTo(204);
    assertThat(exporterPhases(zeebe)).containsOnly("SOFT_PAUSED").hasSize(Testbed.PARTITION_COUNT);

    // 3. snapshot the exported records
    String recordsSnapshot = "camunda_zeebe_records_backup_" + backupId;
    http.putJson(
            testbed.searchUrl() + "/_snapshot/" + Testbed.SEARCH_REPOSITORY + "/" + recordsSnapshot,
            Map.of("indices", "zeebe-record*", "feature_states", List.of("none")))
        .successJson();
    JsonNode records = awaitSnapshotState(testbed, recordsSnapshot, "SUCCESS");

    // 4. back up Zeebe
    Http.Response zeebeStart = http.postJson(zeebe.managementUrl() + "/actuator/backups", Map.of("backupId", backupId));
    assertThat(zeebeStart.status()).isEqualTo(202);
    JsonNode zeebeBackup =
        awaitJson(
            "Zeebe backup " + backupId + " COMPLETED",
            zeebe.managementUrl() + "/actuator/backups/" + backupId,
            json -> json.path("state").asText().equals("COMPLETED"));

    // 5. resume exporting
    JsonNode resume = http.postJson(zeebe.managementUrl() + "/actuator/exporting/resume", "").successJson();
    assertThat(resume.path("status").asInt()).isEqualTo(204);

    // then: every part reports COMPLETED under the one backup id
    assertThat(operateScheduled.path("scheduledSnapshots")).isNotEmpty();
    assertThat(texts(operateScheduled.path("scheduledSnapshots")))
        .allMatch(name -> name.startsWith("camunda_operate_" + backupId + "_8.6.0_part_"));
    assertThat(texts(tasklistScheduled.path("scheduledSnapshots")))
        .isNotEmpty()
        .allMatch(name -> name.startsWith("camunda_tasklist_" + backupId + "_8.6.0_part_"));
    assertThat(operateBackup.path("state").asText()).isEqualTo("COMPLETED");
    assertThat(tasklistBackup.path("state").asText()).isEqualTo("COMPLETED");
    assertThat(records.path("indices")).isNotEmpty();
    assertThat(texts(records.path("indices"))).allMatch(index -> index.startsWith("zeebe-record"));
    assertThat(zeebeBackup.path("details")).hasSize(Testbed.PARTITION_COUNT);
    assertThat(zeebeBackup.path("details").findValuesAsText("state")).containsOnly("COMPLETED");

    // and the Zeebe backup objects and the snapshots are in the primary region's bucket
    S3Region region = testbed.primaryRegion();
    try (S3Client s3 = region.newClient()) {
      Set<String> keys = listKeys(s3, region.bucket());
      for (int partition = 1; partition <= Testbed.PARTITION_COUNT; partition++) {
        String manifestKey = "%s/%d/%d/0/manifest.json".formatted(Testbed.ZEEBE_BASE_PATH, partition, backupId);
        assertThat(keys).contains(manifestKey);
        JsonNode manifest =
            parse(s3.getObject(b -> b.bucket(region.bucket()).key(manifestKey), ResponseTransformer.toBytes()).asUtf8String());
        assertThat(manifest.path("statusCode").asText()).isEqualTo("completed");
        assertThat(keys).anyMatch(key -> key.startsWith(manifestKey.replace("manifest.json", "segments/")));
      }
      List<JsonNode> snapshots = snapshotsOfBackup(testbed, backupId);
      List<String> names = snapshots.stream().map(s -> s.path("snapshot").asText()).toList();
      assertThat(names)
          .contains(recordsSnapshot)
          .anyMatch(name -> name.startsWith("camunda_operate_" + backupId))
          .anyMatch(name -> name.startsWith("camunda_tasklist_" + backupId))
          .hasSize(operateScheduled.path("scheduledSnapshots").size() + tasklistScheduled.path("scheduledSnapshots").size() + 1);
      for (JsonNode snapshot : snapshots) {
        assertThat(snapshot.path("state").asText()).isEqualTo("SUCCESS");
        assertThat(keys).contains(Testbed.SEARCH_BASE_PATH + "/snap-" + snapshot.path("uuid").asText() + ".dat");
      }
    }

    // and every partition is exporting again: a new instance reaches Operate
    assertThat(exporterPhases(zeebe)).containsOnly("EXPORTING").hasSize(Testbed.PARTITION_COUNT);
    testbed.startProcessInstances(Testbed.ORDER_PROCESS_ID, 1);
    await("an instance started after the backup reaches Operate")
        .atMost(STEP_TIMEOUT)
        .pollInterval(POLL)
        .ignoreExceptions()
        .until(() -> testbed.operateProcessInstanceCount(Testbed.ORDER_PROCESS_ID) == 21);
  }

  private JsonNode startWebAppBackup(CamundaComponent app, long backupId) {
    Http.Response response = http.postJson(app.managementUrl() + "/actuator/backups", Map.of("backupId", backupId));
    assertThat(response.status()).as(app.name() + " backup accepted: " + response.body()).isEqualTo(200);
    return response.json();
  }

  /**
   * Right after the start the backup may answer 404 or even 400 for a while, and INCOMPLETE
   * between its parts: only COMPLETED ends the wait (FAILED fails it at once).
   */
  private JsonNode awaitWebAppBackupCompleted(CamundaComponent app, long backupId) {
    return awaitJson(
        app.name() + " backup " + backupId + " COMPLETED",
        app.managementUrl() + "/actuator/backups/" + backupId,
        json -> {
          assertThat(json.path("state").asText()).as(app.name() + " backup state").isNotIn("FAILED", "INCOMPATIBLE");
          return json.path("state").asText().equals("COMPLETED");
        });
  }

  private JsonNode awaitSnapshotState(Testbed testbed, String snapshot, String state) {
    String url = testbed.searchUrl() + "/_snapshot/" + Testbed.SEARCH_REPOSITORY + "/" + snapshot;
    return awaitJson(
            "snapshot " + snapshot + " " + state,
            url,
            json -> json.path("snapshots").path(0).path("state").asText().equals(state))
        .path("snapshots")
        .path(0);
  }

  private JsonNode awaitJson(String what, String url, java.util.function.Predicate<JsonNode> done) {
    JsonNode[] last = new JsonNode[1];
    await(what)
        .atMost(STEP_TIMEOUT)
        .pollInterval(POLL)
        .until(
            () -> {
              Http.Response response = http.get(url);
              if (!response.isSuccess()) {
                return false; // not visible yet (404) or Operate's transient 400
              }
              last[0] = response.json();
              return done.test(last[0]);
            });
    return last[0];
  }

  private List<String> exporterPhases(CamundaComponent zeebe) {
    JsonNode partitions = http.get(zeebe.managementUrl() + "/actuator/partitions").successJson();
    List<String> phases = new ArrayList<>();
    partitions.forEach(partition -> phases.add(partition.path("exporterPhase").asText()));
    return phases;
  }

  private List<JsonNode> snapshotsOfBackup(Testbed testbed, long backupId) {
    JsonNode all = http.get(testbed.searchUrl() + "/_snapshot/" + Testbed.SEARCH_REPOSITORY + "/_all").successJson();
    return StreamSupport.stream(all.path("snapshots").spliterator(), false)
        .filter(s -> s.path("snapshot").asText().contains("_" + backupId))
        .toList();
  }

  private static Set<String> listKeys(S3Client s3, String bucket) {
    return s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream()
        .map(o -> o.key())
        .collect(Collectors.toSet());
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(node -> texts.add(node.asText()));
    return texts;
  }

  private static JsonNode parse(String json) {
    try {
      return Http.JSON.readTree(json);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }
}
