package dev.backstop.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backstop.server.support.Api;
import dev.backstop.server.support.StandaloneBackstopTest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A cluster deleted while a request on it runs: the request answers 404, as if the cluster had
 * been gone when it came, never 500. The test deletes the cluster's row in a transaction it holds
 * open, lets the request run into that row's lock (it has seen the cluster already), then commits.
 */
class VanishedClusterTest extends StandaloneBackstopTest {

  private String clusterId;

  @BeforeEach
  void registerACluster() {
    Api.Answer registered = operator.postJson("/clusters", registration(newOrganization(), "vanishing-" + UUID.randomUUID(), NOWHERE));
    assertThat(registered.status()).as(registered.toString()).isEqualTo(201);
    clusterId = registered.json().path("uuid").asText();
  }

  @Test
  void shouldAnswer404ToAPolicyChangeOfAClusterDeletedMeanwhile() throws Exception {
    Api.Answer answer =
        whileTheClusterVanishes(
            api -> api.putJson("/admin/clusters/" + clusterId + "/backup-policy", Map.of("manualRateLimit", "PT1H", "manualRetention", 2, "scheduledRetention", 2)));

    assertNotFound(answer);
  }

  @Test
  void shouldAnswer404ToAScheduleForAClusterDeletedMeanwhile() throws Exception {
    Api.Answer answer =
        whileTheClusterVanishes(
            api -> api.putJson("/clusters/" + clusterId + "/backup-schedule", Map.of("frequency", "DAILY", "time", "02:30", "timeZone", "Europe/Berlin", "enabled", true)));

    assertNotFound(answer);
  }

  @Test
  void shouldAnswer404ToABackupOfAClusterDeletedMeanwhile() throws Exception {
    Api.Answer answer = whileTheClusterVanishes(api -> api.post("/clusters/" + clusterId + "/backups", null));

    assertNotFound(answer);
  }

  @Test
  void shouldAnswer404ToTheDeletionOfAClusterDeletedMeanwhile() throws Exception {
    String name = operator.get("/clusters/" + clusterId).json().path("name").asText();

    Api.Answer answer = whileTheClusterVanishes(api -> api.delete("/clusters/" + clusterId + "?confirm=" + name));

    assertNotFound(answer);
  }

  private void assertNotFound(Api.Answer answer) {
    assertThat(answer.status()).as(answer.toString()).isEqualTo(404);
    assertThat(answer.contentType()).startsWith("application/problem+json");
    assertThat(operator.get("/clusters/" + clusterId).status()).isEqualTo(404);
  }

  /**
   * Deletes the cluster's row in an open transaction, sends the request, waits until it waits for
   * the row's lock, commits the deletion, and returns the request's answer.
   */
  private Api.Answer whileTheClusterVanishes(Function<Api, Api.Answer> request) throws Exception {
    JdbcClient jdbc = JdbcClient.create(dataSource);
    CompletableFuture<Api.Answer> answer;
    try (Connection deleting = dataSource.getConnection()) {
      deleting.setAutoCommit(false);
      try (PreparedStatement delete = deleting.prepareStatement("delete from clusters where id = ?")) {
        delete.setString(1, clusterId);
        assertThat(delete.executeUpdate()).isEqualTo(1);
      }
      answer = CompletableFuture.supplyAsync(() -> request.apply(operator));
      await("the request waits for the deleted cluster's row")
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> answer.isDone() || waitingForALock(jdbc));
      deleting.commit();
    }
    return answer.get();
  }

  private static boolean waitingForALock(JdbcClient jdbc) {
    return jdbc.sql("select count(*) from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()")
            .query(Integer.class)
            .single()
        > 0;
  }
}
