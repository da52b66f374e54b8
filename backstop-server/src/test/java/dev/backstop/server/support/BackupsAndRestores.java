package dev.backstop.server.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * Backups and restores of a registered cluster through Backstop's API, awaited to their end: what
 * the tests of real restores share.
 *
 * @param client the API client to act as (asked anew for each call: Backstop may have been restarted)
 * @param restoreTimeout how long a restore may take before the test gives up
 */
public record BackupsAndRestores(Supplier<Api> client, Duration restoreTimeout) {

  /** Takes a backup and waits until it ends; it must be COMPLETED. @return its id */
  public long takeBackup(String clusterId) {
    Api.Answer created = client.get().post("/clusters/" + clusterId + "/backups", null);
    assertThat(created.status()).as(created.toString()).isEqualTo(202);
    long backupId = created.json().path("backupId").asLong();
    JsonNode backup = awaitBackupEnd(clusterId, backupId);
    assertThat(backup.path("state").asText()).as(backup.toString()).isEqualTo("COMPLETED");
    return backupId;
  }

  /** Waits (up to four minutes) until the backup is COMPLETED or FAILED. @return it, as the API shows it */
  public JsonNode awaitBackupEnd(String clusterId, long backupId) {
    JsonNode[] backup = new JsonNode[1];
    await("backup " + backupId).atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500)).until(() -> {
      backup[0] = client.get().get("/clusters/" + clusterId + "/backups/" + backupId).json();
      return List.of("COMPLETED", "FAILED").contains(backup[0].path("state").asText());
    });
    return backup[0];
  }

  /** Waits until the restore is COMPLETED or FAILED. @return it, as the API shows it */
  public JsonNode awaitRestoreEnd(String clusterId, String restoreId) {
    JsonNode[] restore = new JsonNode[1];
    await("restore " + restoreId).atMost(restoreTimeout).pollInterval(Duration.ofSeconds(1)).until(() -> {
      restore[0] = client.get().get("/clusters/" + clusterId + "/restores/" + restoreId).json();
      return List.of("COMPLETED", "FAILED").contains(restore[0].path("state").asText());
    });
    return restore[0];
  }
}
