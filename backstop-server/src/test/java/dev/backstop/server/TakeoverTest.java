package dev.backstop.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backstop.server.support.Api;
import dev.backstop.server.support.BackstopProcess;
import dev.backstop.server.support.ComponentProbe;
import dev.backstop.server.support.TestCluster;
import dev.backstop.testbed.Http;
import dev.backstop.testbed.Testbed;
import dev.backstop.testbed.TestbedExtension;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Two instances on one PostgreSQL; the one running a backup is stalled ({@code SIGSTOP}) for longer
 * than its heartbeats may be missing: the other takes the backup's operation over and ends it, and
 * the stalled one, continued, writes nothing over it.
 */
@ExtendWith(TestbedExtension.class)
class TakeoverTest {

  @TempDir Path dir;

  @Test
  void shouldLetAnotherInstanceFinishTheBackupOfAStalledOneAndFenceTheStalledOneOut(Testbed testbed) throws Exception {
    ComponentProbe probe = new ComponentProbe(testbed);
    try (EmbeddedPostgres database = EmbeddedPostgres.builder().setServerConfig("listen_addresses", "127.0.0.1").start();
        BackstopProcess a = new BackstopProcess("backstop-a", jdbcUrl(database), dir).start();
        BackstopProcess b = new BackstopProcess("backstop-b", jdbcUrl(database), dir).start()) {
      JdbcClient sql = JdbcClient.create(database.getPostgresDatabase());
      Api operator = a.operator();
      String organization = operator.postJson("/admin/organizations", Map.of("name", "takeover", "plan", "ENTERPRISE")).json().path("id").asText();
      Api.Answer cluster = operator.postJson("/clusters", TestCluster.registration(organization, "taken-over", "8.6.0", testbed));
      assertThat(cluster.status()).as(cluster.toString()).isEqualTo(201);
      String clusterId = cluster.json().path("uuid").asText();

      // given: a backup running on one of the instances, waiting for the web-app backups
      Api.Answer created = operator.post("/clusters/" + clusterId + "/backups", null);
      assertThat(created.status()).as(created.toString()).isEqualTo(202);
      long backupId = created.json().path("backupId").asLong();
      String operation = clusterId + "/" + backupId;
      await("the backup waits for the web apps")
          .atMost(Duration.ofMinutes(1))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> "AWAIT_WEB_APP_BACKUPS".equals(step(sql, clusterId, backupId)));
      String runner = sql.sql("select picked_by from scheduled_tasks where task_name = 'backup-operation' and task_instance = :op")
          .param("op", operation).query(String.class).single();
      BackstopProcess stalled = runner.equals("backstop-a") ? a : b;
      BackstopProcess other = stalled == a ? b : a;
      long stalledPid = stalled.process().pid().orElseThrow();

      try {
        // when: the runner stalls
        signal("STOP", stalledPid);

        // then: the other instance takes the operation over and completes the backup
        await("the other instance completes the backup")
            .atMost(Duration.ofMinutes(2))
            .pollInterval(Duration.ofMillis(500))
            .until(() -> "COMPLETED".equals(other.operator().get("/clusters/" + clusterId + "/backups/" + backupId).json().path("state").asText()));
        assertThat(other.process().logTail(500)).contains("Running backup " + backupId + " of " + clusterId);
        assertThat(probe.backupState(testbed.zeebe(), backupId)).isEqualTo("COMPLETED");
        assertThat(probe.exporterPhases()).containsOnly("EXPORTING");
        Map<String, Object> completed = row(sql, clusterId, backupId);

        // when: the stalled instance continues
        signal("CONT", stalledPid);

        // then: it stops at its next write, and the backup stays as the other instance left it
        await("the stalled run finds it was taken over")
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(500))
            .until(() -> stalled.process().logTail(500).contains("Operation " + operation));
        Thread.sleep(3_000);
        assertThat(row(sql, clusterId, backupId)).isEqualTo(completed);
        assertThat(stalled.process().logTail(500)).contains("was claimed by another run");
        assertThat(probe.exporterPhases()).containsOnly("EXPORTING");
      } finally {
        signal("CONT", stalledPid);
        new Http().postJson(testbed.zeebe().managementUrl() + "/actuator/exporting/resume", "");
      }
    }
  }

  private static String jdbcUrl(EmbeddedPostgres database) {
    return database.getJdbcUrl("postgres", "postgres");
  }

  private static String step(JdbcClient sql, String clusterId, long backupId) {
    Optional<String> step = sql.sql("select step from backups where cluster_id = :c and backup_id = :b")
        .param("c", clusterId).param("b", backupId).query(String.class).optional();
    return step.orElse("");
  }

  private static Map<String, Object> row(JdbcClient sql, String clusterId, long backupId) {
    return sql.sql("select state, step, exporting_paused, parts::text as parts, completed_at, failure_reason, fence from backups"
            + " where cluster_id = :c and backup_id = :b")
        .param("c", clusterId).param("b", backupId).query().singleRow();
  }

  private static void signal(String signal, long pid) throws IOException, InterruptedException {
    new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start().waitFor();
  }
}
