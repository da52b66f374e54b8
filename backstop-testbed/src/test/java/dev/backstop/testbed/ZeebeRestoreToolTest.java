package dev.backstop.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Zeebe's restore tool, run by the test bed against a region, fills an empty data directory from
 * a backup; a broker started on that directory knows the deployments and instances of the backup.
 */
@ExtendWith(TestbedExtension.class)
class ZeebeRestoreToolTest {

  private static final int INSTANCES = 5;

  private final Http http = new Http();

  @Test
  void shouldRestoreAZeebeBackupFromTheRegionOnWhichABrokerRunsTheBackedUpInstances(Testbed testbed) throws IOException {
    // given: a process of this test with 5 waiting instances, and a Zeebe backup of them
    String suffix = String.valueOf(System.currentTimeMillis());
    String processId = "backstop-restore-probe-" + suffix;
    String jobType = "restore-probe-" + suffix;
    testbed.deployProcess(processId + ".bpmn", serviceTaskProcess(processId, jobType));
    testbed.startProcessInstances(processId, INSTANCES);
    long backupId = testbed.nextZeebeBackupId();
    testbed.takeZeebeBackup(backupId);
    Path dataDir = testbed.workDirectory().resolve("zeebe-restore-" + backupId).resolve("data");

    // when
    ZeebeRestoreRun run = testbed.restoreZeebe(testbed.primaryRegion(), backupId, dataDir);

    // then: the tool succeeded and the directory holds both partitions
    assertThat(run.exitCode()).isZero();
    assertThat(run.logTail()).contains("Successfully restored broker from backup " + backupId);
    for (int partition = 1; partition <= Testbed.PARTITION_COUNT; partition++) {
      Path partitionDir = dataDir.resolve("raft-partition").resolve("partitions").resolve(String.valueOf(partition));
      assertThat(partitionDir).isDirectory();
      assertThat(filesUnder(partitionDir)).as("files of partition " + partition).anyMatch(f -> f.toString().endsWith(".log"));
    }

    // and: a broker started on it has the deployment and the 5 instances waiting at their task
    try (RestoredZeebe restored = testbed.startZeebeOn(dataDir)) {
      JsonNode partitions = http.get(restored.managementUrl() + "/actuator/partitions").successJson();
      assertThat(partitions.findValuesAsText("role")).containsOnly("LEADER").hasSize(Testbed.PARTITION_COUNT);
      assertThat(partitions.findValuesAsText("streamProcessorPhase")).containsOnly("PROCESSING");
      assertThat(http.get(restored.managementUrl() + "/actuator/health").successJson().path("status").asText()).isEqualTo("UP");

      Set<Long> jobsOfRestoredInstances = new HashSet<>();
      await("the restored instances' jobs are activatable")
          .atMost(Duration.ofMinutes(1))
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> {
            activateJobs(restored, jobType).forEach(job -> jobsOfRestoredInstances.add(job.path("processInstanceKey").asLong()));
            return jobsOfRestoredInstances.size() >= INSTANCES;
          });
      assertThat(jobsOfRestoredInstances).hasSize(INSTANCES);
      JsonNode created =
          http.postJson(restored.url() + "/v2/process-instances", Map.of("processDefinitionId", processId)).successJson();
      assertThat(created.path("processDefinitionId").asText()).isEqualTo(processId);
    }
  }

  @Test
  void shouldFailWithTheToolsLogWhenTheRegionHasNoSuchBackup(Testbed testbed) {
    // given: an id far above any backup taken
    long missing = testbed.nextZeebeBackupId() + 1_000_000;
    Path dataDir = testbed.workDirectory().resolve("zeebe-restore-missing-" + missing).resolve("data");

    // when / then
    assertThatThrownBy(() -> testbed.restoreZeebe(testbed.secondaryRegion(), missing, dataDir))
        .isInstanceOf(TestbedException.class)
        .hasMessageContaining("restoring Zeebe backup " + missing + " from local-b failed with exit code")
        .hasMessageContaining(String.valueOf(missing));
  }

  @Test
  void shouldRefuseADataDirectoryThatIsNotEmpty(Testbed testbed) throws IOException {
    // given
    Path dataDir = Files.createDirectories(testbed.workDirectory().resolve("zeebe-restore-not-empty"));
    Files.writeString(dataDir.resolve("leftover"), "x");

    // when / then
    assertThatThrownBy(() -> testbed.restoreZeebe(testbed.primaryRegion(), 1, dataDir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("empty data directory");
  }

  private List<JsonNode> activateJobs(RestoredZeebe zeebe, String jobType) {
    JsonNode activated =
        http.postJson(
                zeebe.url() + "/v2/jobs/activation",
                Map.of("type", jobType, "maxJobsToActivate", INSTANCES * 2, "timeout", 600_000, "worker", "restore-test", "requestTimeout", 1_000))
            .successJson();
    List<JsonNode> jobs = new java.util.ArrayList<>();
    activated.path("jobs").forEach(jobs::add);
    return jobs;
  }

  private static byte[] serviceTaskProcess(String processId, String jobType) {
    String bpmn =
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" \
        xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="restore-probe" targetNamespace="http://backstop.dev/test">
          <bpmn:process id="%s" isExecutable="true">
            <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
            <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="work"/>
            <bpmn:serviceTask id="work">
              <bpmn:extensionElements><zeebe:taskDefinition type="%s"/></bpmn:extensionElements>
              <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
            </bpmn:serviceTask>
            <bpmn:sequenceFlow id="f2" sourceRef="work" targetRef="end"/>
            <bpmn:endEvent id="end"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
          </bpmn:process>
        </bpmn:definitions>
        """
            .formatted(processId, jobType);
    return bpmn.getBytes(StandardCharsets.UTF_8);
  }

  private static List<Path> filesUnder(Path directory) throws IOException {
    try (Stream<Path> walk = Files.walk(directory)) {
      return walk.filter(Files::isRegularFile).toList();
    }
  }
}
