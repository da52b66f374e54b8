package dev.backstop.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backstop.server.support.Api;
import dev.backstop.server.support.BackstopIT;
import dev.backstop.server.support.ComponentProbe;
import dev.backstop.server.support.TestCluster;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Deleting a cluster deletes all its backups, in every component, then the cluster. */
class ClusterDeletionTest extends BackstopIT {

  @Test
  void shouldDeleteEveryBackupOfADeletedCluster() {
    // given: a second registration of the test bed, with a completed backup
    Api.Answer registered = operator.postJson("/clusters", TestCluster.registration(testCluster.organizationId(), "short-lived", "8.6.0", testbed));
    assertThat(registered.status()).as(registered.toString()).isEqualTo(201);
    String clusterId = registered.json().path("uuid").asText();
    operator.putJson("/admin/clusters/" + clusterId + "/backup-policy", Map.of("manualRateLimit", "PT0S", "manualRetention", 3, "scheduledRetention", 3));
    Api.Answer created = client.post("/clusters/" + clusterId + "/backups", null);
    assertThat(created.status()).as(created.toString()).isEqualTo(202);
    long backupId = created.json().path("backupId").asLong();
    JsonNode[] backup = new JsonNode[1];
    await("the backup completes").atMost(BACKUP_TIMEOUT).pollInterval(Duration.ofMillis(500))
        .until(() -> (backup[0] = client.get("/clusters/" + clusterId + "/backups/" + backupId).json()).path("state").asText().equals("COMPLETED"));
    ComponentProbe probe = new ComponentProbe(testbed);
    assertThat(probe.backupState(testbed.zeebe(), backupId)).isEqualTo("COMPLETED");

    // when: the cluster is deleted, confirmed by its name
    Api.Answer deleted = client.delete("/clusters/" + clusterId + "?confirm=short-lived");

    // then: accepted; its backups are gone from every component, then the cluster from Backstop
    assertThat(deleted.status()).as(deleted.toString()).isEqualTo(202);
    assertThat(deleted.json().path("state").asText()).isEqualTo("DELETING");
    assertThat(client.post("/clusters/" + clusterId + "/backups", null).status()).isEqualTo(404);
    await("the cluster and its backups are gone").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
        .until(() -> client.get("/clusters/" + clusterId).status() == 404);
    assertThat(probe.backupState(testbed.zeebe(), backupId)).isEqualTo("404");
    assertThat(probe.backupState(testbed.operate(), backupId)).isEqualTo("404");
    assertThat(probe.backupState(testbed.tasklist(), backupId)).isEqualTo("404");
    assertThat(probe.snapshotsOf(backupId)).isEmpty();
    assertThat(client.get("/clusters").json().findValuesAsText("uuid")).doesNotContain(clusterId);
  }
}
