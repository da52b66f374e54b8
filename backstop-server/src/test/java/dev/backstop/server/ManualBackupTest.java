package dev.backstop.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backstop.server.support.Api;
import dev.backstop.server.support.BackstopIT;
import dev.backstop.server.support.ComponentProbe;
import dev.backstop.server.support.TestCluster;
import dev.backstop.testbed.Http;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Manual backups through the Administration API, against the real test bed. */
class ManualBackupTest extends BackstopIT {

  @Test
  void shouldTakeAConsistentBackupOfEveryComponent() {
    // when
    Api.Answer created = client.post(backupsPath(), null);

    // then: accepted at once, in progress, with Camunda's fields
    assertThat(created.status()).as(created.toString()).isEqualTo(202);
    JsonNode accepted = created.json();
    assertThat(accepted.path("state").asText()).isEqualTo("IN_PROGRESS");
    assertThat(accepted.path("status").asText()).isEqualTo("In progress");
    long id = accepted.path("backupId").asLong();
    assertThat(accepted.path("uuid").asText()).isEqualTo(Long.toString(id));

    JsonNode done = awaitEnded(id);
    assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("COMPLETED");
    assertThat(done.path("status").asText()).isEqualTo("Complete");
    assertThat(done.path("zeebeStatus").asText()).isEqualTo("Complete");
    assertThat(done.path("operateStatus").asText()).isEqualTo("Complete");
    assertThat(done.path("tasklistStatus").asText()).isEqualTo("Complete");
    assertThat(done.path("optimizeStatus").asText()).isEqualTo("-");
    assertThat(done.path("type").asText()).isEqualTo("MANUAL");
    assertThat(done.path("created").asText()).isNotBlank();
    assertThat(done.path("completed").asText()).isNotBlank();
    assertThat(done.path("failureReason").isNull()).isTrue();
    assertThat(done.path("components").findValuesAsText("component"))
        .containsExactlyInAnyOrder("ZEEBE", "OPERATE", "TASKLIST", "ZEEBE_RECORDS");
    assertThat(done.path("location").path("primaryRegion").asText()).isEqualTo("local-a");
    assertThat(done.path("location").path("replication").asText()).isEqualTo("NOT_REQUIRED");

    // and each component's own API confirms backup id
    ComponentProbe probe = new ComponentProbe(testbed);
    assertThat(probe.backupState(testbed.zeebe(), id)).isEqualTo("COMPLETED");
    assertThat(probe.backupState(testbed.operate(), id)).isEqualTo("COMPLETED");
    assertThat(probe.backupState(testbed.tasklist(), id)).isEqualTo("COMPLETED");
    assertThat(probe.snapshotsOf(id)).contains("camunda_zeebe_records_backup_" + id);
    // and exporting runs again
    assertThat(probe.exporterPhases()).containsOnly("EXPORTING");

    // and the list shows it, newest first, with the same words
    JsonNode list = client.get(backupsPath()).json();
    assertThat(list).hasSize(1);
    assertThat(list.get(0).path("uuid").asText()).isEqualTo(Long.toString(id));
    assertThat(list.get(0).path("status").asText()).isEqualTo("Complete");
  }

  @Test
  void shouldTakeTheNextBackupAboveOneTakenOutsideBackstopWhoseIdIsAheadOfTheClock() {
    // given: another tool took a backup on Zeebe directly, its id a minute ahead of the clock; Zeebe
    // now refuses every id at or below it (it stays in Zeebe's store: deleting it would not lift
    // that). A minute, not more: the test bed's Zeebe is shared, and other Backstop installations
    // of the suite (TakeoverTest's) know nothing of the ids this one allocates above it.
    long takenOutside = Instant.now().getEpochSecond() + 60;
    Http http = new Http();
    http.postJson(testbed.zeebe().managementUrl() + "/actuator/backups", Map.of("backupId", takenOutside)).successJson();
    ComponentProbe probe = new ComponentProbe(testbed);
    await("Zeebe completes the backup taken outside Backstop")
        .atMost(Duration.ofMinutes(2))
        .until(() -> probe.backupState(testbed.zeebe(), takenOutside).equals("COMPLETED"));

    // when
    JsonNode backup = takeBackup();

    // then: Backstop's id is above it, and every component completes
    assertThat(backup.path("state").asText()).as(backup.toString()).isEqualTo("COMPLETED");
    assertThat(backup.path("backupId").asLong()).isGreaterThan(takenOutside);
    assertThat(probe.backupState(testbed.zeebe(), backup.path("backupId").asLong())).isEqualTo("COMPLETED");
  }

  @Test
  void shouldRateLimitManualBackupsAndFreeTheWindowWhenTheBackupIsDeleted() {
    // given: one manual backup per 5 hours, and one taken
    setPolicy("PT5H", 3, 3);
    JsonNode first = takeBackup();

    // when: another inside the window
    Api.Answer limited = client.post(backupsPath(), null);

    // then
    assertThat(limited.status()).as(limited.toString()).isEqualTo(429);
    assertThat(limited.contentType()).startsWith("application/problem+json");
    long retryAfter = Long.parseLong(limited.header("Retry-After").orElseThrow());
    assertThat(retryAfter).isBetween(Duration.ofHours(5).toSeconds() - 600, Duration.ofHours(5).toSeconds());
    assertThat(client.get(backupsPath()).json()).hasSize(1);

    // when: the backup holding the window is deleted
    Api.Answer deleted = client.delete(backupsPath() + "/" + first.path("backupId").asLong());
    assertThat(deleted.status()).isEqualTo(202);
    assertThat(deleted.json().path("state").asText()).isEqualTo("DELETING");

    // then: a new one is accepted at once
    Api.Answer accepted = client.post(backupsPath(), null);
    assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
    awaitEnded(accepted.json().path("backupId").asLong());
  }

  @Test
  void shouldKeepOnlyTheThreeNewestCompletedBackupsInBackstopAndEveryComponent() {
    // given
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      JsonNode backup = takeBackup();
      assertThat(backup.path("state").asText()).as(backup.toString()).isEqualTo("COMPLETED");
      ids.add(backup.path("backupId").asLong());
    }

    // when: a fourth completes
    JsonNode fourth = takeBackup();
    assertThat(fourth.path("state").asText()).isEqualTo("COMPLETED");

    // then: the oldest is gone, from Backstop and from every component
    long oldest = ids.getFirst();
    await("retention deletes the oldest backup")
        .atMost(Duration.ofMinutes(1))
        .until(() -> client.get(backupsPath()).json().size() == 3);
    assertThat(client.get(backupsPath()).json().findValuesAsText("uuid"))
        .containsExactly(fourth.path("uuid").asText(), ids.get(2).toString(), ids.get(1).toString());
    assertThat(client.get(backupsPath() + "/" + oldest).status()).isEqualTo(404);
    ComponentProbe probe = new ComponentProbe(testbed);
    assertThat(probe.backupState(testbed.zeebe(), oldest)).isEqualTo("404");
    assertThat(probe.backupState(testbed.operate(), oldest)).isEqualTo("404");
    assertThat(probe.backupState(testbed.tasklist(), oldest)).isEqualTo("404");
    assertThat(probe.snapshotsOf(oldest)).isEmpty();
    // and the three kept are whole
    for (long kept : List.of(ids.get(1), ids.get(2), fourth.path("backupId").asLong())) {
      assertThat(probe.backupState(testbed.zeebe(), kept)).isEqualTo("COMPLETED");
      assertThat(probe.snapshotsOf(kept)).contains("camunda_zeebe_records_backup_" + kept);
    }
  }

  @Test
  void shouldAcceptExactlyOneOfTwentySimultaneousRequests() throws Exception {
    // given
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Api.Answer>> answers = new ArrayList<>();
    try (ExecutorService threads = Executors.newFixedThreadPool(20)) {
      for (int i = 0; i < 20; i++) {
        answers.add(threads.submit(() -> {
          start.await();
          return client.post(backupsPath(), null);
        }));
      }
      // when
      start.countDown();
    }

    // then
    List<Integer> statuses = new ArrayList<>();
    for (Future<Api.Answer> answer : answers) {
      statuses.add(answer.get().status());
    }
    assertThat(statuses.stream().filter(s -> s == 202)).hasSize(1);
    assertThat(statuses.stream().filter(s -> s != 202)).allMatch(s -> s == 409);
    assertThat(client.get(backupsPath()).json()).hasSize(1);
    awaitEnded(client.get(backupsPath()).json().get(0).path("backupId").asLong());
  }
}
