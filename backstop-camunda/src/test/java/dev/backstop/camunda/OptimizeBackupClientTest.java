package dev.backstop.camunda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstop.core.backup.BackupId;
import dev.backstop.core.procedure.Observation;
import dev.backstop.core.procedure.Outcome;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The web-app adapter against Optimize's documented backup API. Optimize cannot run here: this is
 * tested against {@link FakeOptimize}, a hand-written stand-in that follows the documented shapes.
 */
class OptimizeBackupClientTest {

  private final BackupId id = new BackupId(1_795_300_000L);

  @Test
  void shouldStartAwaitAndDeleteAnOptimizeBackup() throws Exception {
    try (FakeOptimize optimize = new FakeOptimize()) {
      WebAppManagementClient client = new WebAppManagementClient(JsonHttp.withDefaults(), WebAppManagementClient.App.OPTIMIZE, optimize.url());

      assertThat(client.status(id)).isInstanceOf(Observation.NotFound.class);
      assertThat(client.start(id)).isEqualTo(Outcome.ok(List.of())); // 202 with a message, no names
      assertThat(client.status(id)).isInstanceOf(Observation.InProgress.class);
      assertThat(client.status(id)).isInstanceOf(Observation.Completed.class);
      assertThat(client.snapshotPrefix(id)).isEqualTo("camunda_optimize_1795300000_");

      assertThat(client.delete(id)).isInstanceOf(Outcome.Ok.class);
      assertThat(client.status(id)).isInstanceOf(Observation.NotFound.class);
      assertThat(client.delete(id)).as("deleting an absent backup is fine").isInstanceOf(Outcome.Ok.class);
    }
  }

  @Test
  void shouldReportARefusedDuplicateAndAFailedBackup() throws Exception {
    try (FakeOptimize optimize = new FakeOptimize()) {
      WebAppManagementClient client = new WebAppManagementClient(JsonHttp.withDefaults(), WebAppManagementClient.App.OPTIMIZE, optimize.url());
      client.start(id);

      Outcome<List<String>> duplicate = client.start(id);
      assertThat(duplicate).isInstanceOf(Outcome.Refused.class);
      assertThat(((Outcome.Refused<List<String>>) duplicate).status()).isEqualTo(409);

      optimize.failing = true;
      Observation failed = client.status(id);
      assertThat(failed).isInstanceOf(Observation.Failed.class);
      assertThat(((Observation.Failed) failed).reason()).contains("snapshot failed").contains("part_2_of_2 FAILED");
    }
  }

  @Test
  void shouldTellAnUnreachableOptimizeFromARefusal() throws Exception {
    String url;
    try (FakeOptimize optimize = new FakeOptimize()) {
      url = optimize.url();
    }
    WebAppManagementClient client = new WebAppManagementClient(JsonHttp.withDefaults(), WebAppManagementClient.App.OPTIMIZE, url);

    assertThat(client.start(id)).isInstanceOf(Outcome.Unreachable.class);
    assertThat(client.status(id)).isInstanceOf(Observation.Unreachable.class);
    assertThat(client.delete(id)).isInstanceOf(Outcome.Unreachable.class);
  }
}
