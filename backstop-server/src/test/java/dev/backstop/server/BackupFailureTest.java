package dev.backstop.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backstop.server.support.Api;
import dev.backstop.server.support.BackstopIT;
import dev.backstop.server.support.ComponentProbe;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A component that goes away in the middle of a backup. */
class BackupFailureTest extends BackstopIT {

  @Test
  void shouldFailNamingTheStoppedComponentResumeExportingAndLeaveNothingBehind() {
    ComponentProbe probe = new ComponentProbe(testbed);
    try {
      // given: a backup whose Operate part has started
      Api.Answer created = client.post(backupsPath(), null);
      assertThat(created.status()).isEqualTo(202);
      long id = created.json().path("backupId").asLong();
      await("Operate's backup started")
          .atMost(Duration.ofMinutes(1))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> operatePartState(id).equals("IN_PROGRESS"));

      // when: Operate dies
      testbed.operate().process().kill();

      // then: the backup fails, naming Operate and the step
      JsonNode failed = awaitEnded(id);
      assertThat(failed.path("state").asText()).as(failed.toString()).isEqualTo("FAILED");
      assertThat(failed.path("status").asText()).isEqualTo("Failed");
      assertThat(failed.path("failureReason").asText()).contains("OPERATE").contains("web-app backups");
      // exporting was never left paused
      assertThat(probe.exporterPhases()).containsOnly("EXPORTING");
      // and nothing of it remains in any component
      assertThat(probe.snapshotsOf(id)).isEmpty();
      assertThat(probe.backupState(testbed.tasklist(), id)).isEqualTo("404");
      assertThat(probe.backupState(testbed.zeebe(), id)).isEqualTo("404");
      assertThat(failed.path("components").findValuesAsText("state")).doesNotContain("CLEANUP_FAILED", "COMPLETED", "IN_PROGRESS");
    } finally {
      // when: Operate is back
      if (!testbed.operate().process().isRunning()) {
        testbed.operate().process().start();
      }
    }

    // then: the next backup succeeds
    JsonNode next = takeBackup();
    assertThat(next.path("state").asText()).as(next.toString()).isEqualTo("COMPLETED");
    assertThat(probe.backupState(testbed.operate(), next.path("backupId").asLong())).isEqualTo("COMPLETED");
  }

  private String operatePartState(long id) {
    for (JsonNode part : client.get(backupsPath() + "/" + id).json().path("components")) {
      if (part.path("component").asText().equals("OPERATE")) {
        return part.path("state").asText();
      }
    }
    return "";
  }
}
