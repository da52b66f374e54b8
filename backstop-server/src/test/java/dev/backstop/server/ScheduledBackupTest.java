package dev.backstop.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backstop.server.support.Api;
import dev.backstop.server.support.BackstopIT;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Scheduled backups against the real test bed. The first run waits for its real due time; later
 * runs are made due by moving db-scheduler's persisted next execution to now, which is exactly what
 * the passing of a day would do to it.
 */
class ScheduledBackupTest extends BackstopIT {

  @Autowired JdbcClient jdbc;

  /** The cluster's run history is kept across schedules: each test counts from what was there. */
  private int runsBefore;

  @BeforeEach
  void countRuns() {
    runsBefore = client.get(schedulePath() + "/runs").json().size();
  }

  @AfterEach
  void removeSchedule() {
    client.delete(schedulePath());
    if (!testbed.tasklist().process().isRunning()) {
      testbed.tasklist().process().start();
    }
  }

  @Test
  void shouldRunOnScheduleKeepTheNewestAndNeverRetryAFailedRun() {
    // given: a daily schedule due at the start of the next minute
    Instant due = Instant.now().truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));
    if (Duration.between(Instant.now(), due).toSeconds() < 5) {
      due = due.plus(Duration.ofMinutes(1)); // too close to set it in time
    }
    String time = due.atOffset(ZoneOffset.UTC).toLocalTime().toString();
    Api.Answer put = client.putJson(schedulePath(), Map.of("frequency", "DAILY", "time", time, "timeZone", "UTC", "enabled", true));
    assertThat(put.status()).as(put.toString()).isEqualTo(200);
    assertThat(Instant.parse(put.json().path("nextRunAt").asText())).isEqualTo(due);
    assertThat(client.get(schedulePath()).json().path("time").asText()).isEqualTo(time);

    // when: the due time comes
    JsonNode first = awaitScheduledBackups(1).getFirst();

    // then: a completed SCHEDULED backup, and the run in the history
    assertThat(first.path("type").asText()).isEqualTo("SCHEDULED");
    assertThat(first.path("state").asText()).as(first.toString()).isEqualTo("COMPLETED");
    assertThat(Instant.parse(first.path("created").asText())).isBetween(due, due.plusSeconds(30));
    JsonNode runs = client.get(schedulePath() + "/runs").json();
    assertThat(runs).hasSize(runsBefore + 1);
    assertThat(runs.get(0).path("outcome").asText()).isEqualTo("COMPLETED");
    assertThat(runs.get(0).path("backupId").asLong()).isEqualTo(first.path("backupId").asLong());
    assertThat(Instant.parse(runs.get(0).path("dueAt").asText())).isEqualTo(due);
    // the next run is tomorrow
    assertThat(nextExecution()).isEqualTo(due.plus(Duration.ofDays(1)));

    // given: scheduled retention of 2; when: two more runs
    setPolicy("PT0S", 3, 2);
    makeDueNow();
    awaitScheduledBackups(2);
    makeDueNow();
    awaitRunCount(3);
    await("retention keeps the 2 newest scheduled backups")
        .atMost(Duration.ofMinutes(2))
        .until(() -> completedIds().size() == 2 && !completedIds().contains(first.path("backupId").asLong()));
    List<Long> kept = completedIds();

    // when: a run fails (Tasklist is down)
    testbed.tasklist().process().stop();
    makeDueNow();
    awaitRunCount(4);
    JsonNode failedRun = await("the failed run is recorded")
        .atMost(BACKUP_TIMEOUT)
        .until(() -> client.get(schedulePath() + "/runs").json().get(0), run -> run.path("outcome").asText().equals("FAILED"));

    // then: the failed backup is kept, counts toward retention, and is not retried
    assertThat(failedRun.path("reason").asText()).contains("TASKLIST");
    long failedId = failedRun.path("backupId").asLong();
    await("retention counts the failed backup")
        .atMost(Duration.ofMinutes(1))
        .until(() -> scheduledBackups().size() == 2);
    List<JsonNode> remaining = scheduledBackups();
    assertThat(remaining.get(0).path("backupId").asLong()).isEqualTo(failedId);
    assertThat(remaining.get(0).path("state").asText()).isEqualTo("FAILED");
    assertThat(remaining.get(1).path("backupId").asLong()).isEqualTo(kept.getFirst());
    Instant nextAfterFailure = nextExecution();
    assertThat(nextAfterFailure).isAfter(Instant.now().plus(Duration.ofHours(20)));
    testbed.tasklist().process().start();
    await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(8)).until(() -> client.get(schedulePath() + "/runs").json().size() == runsBefore + 4);
  }

  @Test
  void shouldSkipARunWhileABackupIsInProgressInsteadOfQueueingIt() {
    // given: a manual backup in progress and a schedule
    client.putJson(schedulePath(), Map.of("frequency", "WEEKLY", "dayOfWeek", "MONDAY", "time", "03:00", "timeZone", "Europe/Berlin", "enabled", true));
    Api.Answer manual = client.post(backupsPath(), null);
    assertThat(manual.status()).isEqualTo(202);

    // when: the schedule comes due
    makeDueNow();

    // then: the run is skipped with the reason, and nothing is queued behind the manual backup
    awaitRunCount(1);
    JsonNode run = client.get(schedulePath() + "/runs").json().get(0);
    assertThat(run.path("outcome").asText()).isEqualTo("SKIPPED");
    assertThat(run.path("reason").asText()).contains("in progress");
    awaitEnded(manual.json().path("backupId").asLong());
    assertThat(scheduledBackups()).isEmpty();
    assertThat(nextExecution()).isAfter(Instant.now().plus(Duration.ofHours(1)));
  }

  @Test
  void shouldNotRetryARunThatBrokeOffButWaitForItsNextDueTime() {
    // given: a schedule, and a database that refuses to record its runs (the table is away)
    // (due half a day from now, so that its next due time is far from any retry's)
    String time = Instant.now().plus(Duration.ofHours(12)).atOffset(ZoneOffset.UTC).toLocalTime().truncatedTo(ChronoUnit.MINUTES).toString();
    Api.Answer put = client.putJson(schedulePath(), Map.of("frequency", "DAILY", "time", time, "timeZone", "UTC", "enabled", true));
    assertThat(put.status()).as(put.toString()).isEqualTo(200);
    Instant nextDue = Instant.parse(put.json().path("nextRunAt").asText());
    int backupsBefore = client.get(backupsPath()).json().size();
    jdbc.sql("alter table schedule_runs rename to schedule_runs_away").update();
    try {
      // when: the run comes due and breaks off
      makeDueNow();

      // then: it is not retried minutes later (which could start a second backup for the same due
      // time), but waits for the next due time; and the backup it asked for was not kept without its run
      await("the broken-off run is rescheduled")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> nextExecution().equals(nextDue));
      assertThat(client.get(backupsPath()).json()).hasSize(backupsBefore);
    } finally {
      jdbc.sql("alter table schedule_runs_away rename to schedule_runs").update();
    }
  }

  @Test
  void shouldAnswerAnInvalidScheduleWithEveryError() {
    Api.Answer invalid = client.putJson(schedulePath(), Map.of("frequency", "WEEKLY", "time", "25:00", "timeZone", "Mars/Olympus"));

    assertThat(invalid.status()).isEqualTo(400);
    assertThat(invalid.contentType()).startsWith("application/problem+json");
    assertThat(invalid.json().path("errors").findValuesAsText("field")).containsExactly("dayOfWeek", "time", "timeZone", "enabled");
    assertThat(client.get(schedulePath()).status()).isEqualTo(404);

    Api.Answer daily = client.putJson(schedulePath(), Map.of("frequency", "DAILY", "dayOfWeek", "MONDAY", "time", "12:00", "timeZone", "UTC", "enabled", true));
    assertThat(daily.status()).isEqualTo(400);
    assertThat(daily.json().path("errors").findValuesAsText("field")).containsExactly("dayOfWeek");
    assertThat(client.get(schedulePath()).status()).isEqualTo(404);
  }

  private String schedulePath() {
    return "/clusters/" + testCluster.clusterId() + "/backup-schedule";
  }

  /** Moves the persisted next run to now, as the passing of time to its due time would. */
  private void makeDueNow() {
    int updated =
        jdbc.sql("update scheduled_tasks set execution_time = :now where task_name = 'scheduled-backup' and task_instance = :id")
            .param("now", Timestamp.from(Instant.now()))
            .param("id", testCluster.clusterId())
            .update();
    assertThat(updated).isEqualTo(1);
  }

  private Instant nextExecution() {
    return jdbc.sql("select execution_time from scheduled_tasks where task_name = 'scheduled-backup' and task_instance = :id")
        .param("id", testCluster.clusterId())
        .query(Timestamp.class)
        .single()
        .toInstant();
  }

  private List<JsonNode> scheduledBackups() {
    List<JsonNode> scheduled = new ArrayList<>();
    for (JsonNode backup : client.get(backupsPath()).json()) {
      if (backup.path("type").asText().equals("SCHEDULED") && !backup.path("state").asText().equals("DELETING")) {
        scheduled.add(backup);
      }
    }
    return scheduled;
  }

  private List<Long> completedIds() {
    return scheduledBackups().stream().filter(b -> b.path("state").asText().equals("COMPLETED")).map(b -> b.path("backupId").asLong()).toList();
  }

  private List<JsonNode> awaitScheduledBackups(int count) {
    await(count + " scheduled backups completed")
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> completedIds().size() >= count && scheduledBackups().stream().noneMatch(b -> b.path("state").asText().equals("IN_PROGRESS")));
    return scheduledBackups();
  }

  private void awaitRunCount(int count) {
    await(count + " runs recorded")
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> client.get(schedulePath() + "/runs").json().size() >= runsBefore + count);
  }
}
