package dev.backstop.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backstop.server.support.Api;
import dev.backstop.server.support.BackstopIT;
import dev.backstop.server.support.ComponentProbe;
import dev.backstop.server.support.TestCluster;
import dev.backstop.testbed.FaultProxy;
import dev.backstop.testbed.Http;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * Zeebe's management port becomes unreachable right after exporting was paused, for longer than
 * Backstop tries to resume: the backup fails, and the running Backstop keeps trying to resume
 * exporting until Zeebe is back. The fault is a real one: a proxy in front of the port that
 * refuses connections, so nothing sent meanwhile reaches Zeebe later.
 */
class ZeebeLostAfterPauseTest extends BackstopIT {

  @Test
  void shouldResumeExportingOnceZeebeIsReachableAgainWithoutARestart() {
    ComponentProbe probe = new ComponentProbe(testbed);
    try (FaultProxy zeebePort = FaultProxy.inFrontOf(URI.create(testbed.zeebe().managementUrl()).getPort())) {
      // given: a cluster whose Zeebe is reached through the proxy
      Map<String, Object> registration =
          TestCluster.registration(testCluster.organizationId(), "zeebe-behind-proxy", "8.6.0", testbed, Map.of("zeebe", zeebePort.url()));
      Api.Answer registered = operator.postJson("/clusters", registration);
      assertThat(registered.status()).as(registered.toString()).isEqualTo(201);
      String clusterId = registered.json().path("uuid").asText();
      String backups = "/clusters/" + clusterId + "/backups";

      try {
        // when: the port refuses every connection right after exporting was paused
        CountDownLatch lost = zeebePort.tripAfter("POST /actuator/exporting/pause", FaultProxy.Mode.REFUSE);
        Api.Answer created = client.post(backups, null);
        assertThat(created.status()).as(created.toString()).isEqualTo(202);
        long backupId = created.json().path("backupId").asLong();
        FaultProxy.await(lost, 120);

        // then: the backup fails naming Zeebe, and exporting stays paused while Zeebe cannot be reached …
        JsonNode failed = awaitBackup(backups, backupId, "the backup fails and its resume keeps failing",
            b -> b.path("state").asText().equals("FAILED") && b.path("retry").path("attempts").asInt() >= 2);
        assertThat(failed.path("failureReason").asText()).startsWith("ZEEBE failed");
        assertThat(failed.path("exportingPaused").asBoolean()).as(failed.toString()).isTrue();
        assertThat(failed.path("retry").path("lastError").asText()).as(failed.toString()).contains("resuming exporting");
        assertThat(failed.path("retry").path("nextAttemptAt").isTextual()).as(failed.toString()).isTrue();
        assertThat(probe.exporterPhases()).containsOnly("SOFT_PAUSED");

        // … and once Zeebe is reachable again, the same Backstop resumes it within one retry period
        zeebePort.set(FaultProxy.Mode.PASS);
        await("exporting resumed by the running Backstop")
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(500))
            .until(() -> probe.exporterPhases().stream().allMatch("EXPORTING"::equals));
        JsonNode resumed = awaitBackup(backups, backupId, "the backup records the resume, and its owed cleanup is done",
            b -> !b.path("exportingPaused").asBoolean(true) && b.path("retry").path("nextAttemptAt").isNull());
        assertThat(resumed.path("state").asText()).isEqualTo("FAILED");
        assertThat(resumed.path("retry").path("attempts").asInt()).as(resumed.toString()).isGreaterThanOrEqualTo(2);
        // the part whose cleanup had failed while Zeebe was away was cleaned up by the same Backstop
        assertThat(resumed.path("components").findValuesAsText("state")).as(resumed.toString()).doesNotContain("CLEANUP_FAILED");
      } finally {
        // Never leave the shared test bed paused, and leave no backup of this cluster behind.
        new Http().postJson(testbed.zeebe().managementUrl() + "/actuator/exporting/resume", "");
        zeebePort.set(FaultProxy.Mode.PASS);
        deleteCluster(clusterId);
      }
    }
  }

  private JsonNode awaitBackup(String backups, long backupId, String what, java.util.function.Predicate<JsonNode> condition) {
    JsonNode[] last = new JsonNode[1];
    await(what)
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> condition.test(last[0] = client.get(backups + "/" + backupId).json()));
    return last[0];
  }

  private void deleteCluster(String clusterId) {
    await("the cluster can be deleted")
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> operator.delete("/clusters/" + clusterId + "?confirm=zeebe-behind-proxy").status() == 202);
    await("the cluster is gone")
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> operator.get("/clusters/" + clusterId).status() == 404);
  }
}
