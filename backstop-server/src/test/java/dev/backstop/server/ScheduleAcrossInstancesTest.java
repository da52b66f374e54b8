package dev.backstop.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backstop.server.support.Api;
import dev.backstop.server.support.BackstopProcess;
import dev.backstop.server.support.TestCluster;
import dev.backstop.testbed.Testbed;
import dev.backstop.testbed.TestbedExtension;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Scheduled backups with several Backstop instances on one PostgreSQL, and after downtime. Each
 * instance runs in a JVM of its own.
 */
@ExtendWith(TestbedExtension.class)
class ScheduleAcrossInstancesTest {

  @TempDir Path dir;

  @Test
  void shouldRunADueScheduleOnceAcrossInstancesAndCatchUpOnceAfterDowntime(Testbed testbed) throws Exception {
    try (EmbeddedPostgres database = EmbeddedPostgres.builder().setServerConfig("listen_addresses", "127.0.0.1").start()) {
      String jdbcUrl = database.getJdbcUrl("postgres", "postgres");
      JdbcClient sql = JdbcClient.create(database.getPostgresDatabase());
      String clusterId;
      String schedulePath;
      Instant latestDue = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(10));

      // given: two instances on one database, and a cluster with a schedule
      try (BackstopProcess a = new BackstopProcess("backstop-a", jdbcUrl, dir).start();
          BackstopProcess b = new BackstopProcess("backstop-b", jdbcUrl, dir).start()) {
        Api operator = a.operator();
        String organization = operator.postJson("/admin/organizations", Map.of("name", "two-instances", "plan", "ENTERPRISE")).json().path("id").asText();
        Api.Answer cluster = operator.postJson("/clusters", TestCluster.registration(organization, "shared", "8.6.0", testbed));
        assertThat(cluster.status()).as(cluster.toString()).isEqualTo(201);
        clusterId = cluster.json().path("uuid").asText();
        schedulePath = "/clusters/" + clusterId + "/backup-schedule";
        Api.Answer put = operator.putJson(schedulePath, Map.of("frequency", "DAILY", "time", "04:00", "timeZone", "UTC", "enabled", true));
        assertThat(put.status()).as(put.toString()).isEqualTo(200);

        // when: it comes due, with both instances polling
        moveNextRun(sql, clusterId, Instant.now());

        // then: exactly one backup and one run
        await("the due run completes").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
            .until(() -> b.operator().get(schedulePath + "/runs").json().findValuesAsText("outcome").contains("COMPLETED"));
        Thread.sleep(3_000); // both instances polled several times since
        assertThat(operator.get("/clusters/" + clusterId + "/backups").json()).hasSize(1);
        assertThat(operator.get(schedulePath + "/runs").json()).hasSize(1);
        String logs = a.process().logTail(2_000) + b.process().logTail(2_000);
        assertThat(logs.split("Scheduled backup \\d+ of " + clusterId + " started", -1)).hasSize(2);

        // given: the schedule is due daily at the time of 10 minutes ago
        String time = latestDue.atOffset(ZoneOffset.UTC).toLocalTime().toString();
        operator.putJson(schedulePath, Map.of("frequency", "DAILY", "time", time, "timeZone", "UTC", "enabled", true));
      }

      // when: Backstop is down across three due times (the persisted next run is still the one of
      // two days ago, as if no instance had run since), then starts again
      moveNextRun(sql, clusterId, latestDue.minus(Duration.ofDays(2)));
      try (BackstopProcess again = new BackstopProcess("backstop-again", jdbcUrl, dir).start()) {
        Api operator = again.operator();

        // then: exactly one catch-up run, for the latest due time, and the next one tomorrow
        await("one catch-up run").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
            .until(() -> operator.get(schedulePath + "/runs").json().size() == 2
                && !operator.get(schedulePath + "/runs").json().get(0).path("outcome").asText().equals("IN_PROGRESS"));
        Thread.sleep(3_000);
        JsonNode runs = operator.get(schedulePath + "/runs").json();
        assertThat(runs).hasSize(2);
        assertThat(runs.get(0).path("outcome").asText()).isEqualTo("COMPLETED");
        assertThat(Instant.parse(runs.get(0).path("dueAt").asText())).isEqualTo(latestDue);
        assertThat(operator.get("/clusters/" + clusterId + "/backups").json()).hasSize(2);
        Instant next = sql.sql("select execution_time from scheduled_tasks where task_instance = :id").param("id", clusterId)
            .query(Timestamp.class).single().toInstant();
        assertThat(next).isEqualTo(latestDue.plus(Duration.ofDays(1)));
      }
    }
  }

  private static void moveNextRun(JdbcClient sql, String clusterId, Instant at) {
    int updated =
        sql.sql("update scheduled_tasks set execution_time = :at where task_name = 'scheduled-backup' and task_instance = :id")
            .param("at", Timestamp.from(at))
            .param("id", clusterId)
            .update();
    assertThat(updated).isEqualTo(1);
  }
}
