package dev.backstop.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backstop.server.support.Api;
import dev.backstop.server.support.FakeComponents;
import dev.backstop.server.support.StandaloneBackstopTest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

/**
 * A run whose heartbeats come late — the database slow to take them, or the instance starved of
 * CPU — while it still runs on this very instance is not taken over by the same instance. Two runs
 * of one operation at once in one JVM is what made a restore fail on a loaded machine: both
 * restored the same snapshot, and the second was refused because the first had opened its index.
 *
 * <p>The fault is real: another connection holds the operation's row in db-scheduler's table locked
 * for longer than heartbeats may be missing (1 s × 6 here), so the heartbeat's update waits, as it
 * would behind a slow database, while the check for dead executions still reads the row. The
 * components are stand-ins answering every request slowly: the backup's run only has to be alive.
 */
@TestPropertySource(properties = {"db-scheduler.heartbeat-interval=1s", "backstop.it.context=late-heartbeat"})
@DirtiesContext // its backup never ends: the context is closed with the class, not kept running
class LateHeartbeatTest extends StandaloneBackstopTest {

  @Test
  void shouldNotStartASecondRunOfAnOperationStillRunningHereWhoseHeartbeatsCameLate() throws Exception {
    JdbcClient sql = JdbcClient.create(dataSource);
    try (FakeComponents components = new FakeComponents(Duration.ofMillis(500))) {
      // given: a backup whose run is alive, waiting on components that never report it done
      String operation = runningBackup(sql, components, "late-heartbeats");
      long pickedVersion = version(sql, operation);
      double takeoversBefore = takeovers();

      // when: its heartbeats are held back for longer than they may be missing
      holdHeartbeats(operation, Duration.ofSeconds(10));
      Thread.sleep(3_000); // heartbeats get through again; a revival would have run by now

      // then: the execution was not revived (a revival raises its version and unpicks it), and
      // the run is still the one picked first
      assertThat(picked(sql, operation)).isTrue();
      assertThat(version(sql, operation)).isEqualTo(pickedVersion);
      assertThat(takeovers()).isEqualTo(takeoversBefore);
    }
  }

  @Test
  void shouldTakeOverARunStillHereOnceItHasHadNoHeartbeatForThreeTimesTheDeadLimit() throws Exception {
    JdbcClient sql = JdbcClient.create(dataSource);
    try (FakeComponents components = new FakeComponents(Duration.ofMillis(500))) {
      // given: a backup whose run is alive, waiting on components that never report it done
      String operation = runningBackup(sql, components, "stuck-heartbeats");
      long pickedVersion = version(sql, operation);
      double takeoversBefore = takeovers();

      // when: its heartbeats are held back for longer than three times the dead limit (1 s × 6 × 3)
      holdHeartbeats(operation, Duration.ofSeconds(24));

      // then: it was taken over as stuck: revived, one version on, and told as a takeover
      await("the stuck run is taken over")
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> version(sql, operation) > pickedVersion);
      assertThat(takeovers()).isGreaterThan(takeoversBefore);
    }
  }

  /** Registers a cluster on {@code components} and requests a backup; its operation, once picked. */
  private String runningBackup(JdbcClient sql, FakeComponents components, String name) {
    String organizationId = newOrganization();
    Api.Answer cluster = operator.postJson("/clusters", registration(organizationId, name, components.url()));
    assertThat(cluster.status()).as(cluster.toString()).isEqualTo(201);
    String clusterId = cluster.json().path("uuid").asText();
    Api.Answer created = operator.post("/clusters/" + clusterId + "/backups", null);
    assertThat(created.status()).as(created.toString()).isEqualTo(202);
    String operation = clusterId + "/" + created.json().path("backupId").asLong();
    await("the backup's operation is picked")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> picked(sql, operation));
    return operation;
  }

  /** Holds the operation's row locked from another connection for {@code length}: its heartbeats wait. */
  private void holdHeartbeats(String operation, Duration length) throws Exception {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try (PreparedStatement lock = connection.prepareStatement("select version from scheduled_tasks where task_instance = ? for update")) {
        lock.setString(1, operation);
        lock.executeQuery().close();
      }
      Thread.sleep(length.toMillis());
      connection.commit();
    }
  }

  private static boolean picked(JdbcClient sql, String operation) {
    return sql.sql("select count(*) from scheduled_tasks where task_instance = :op and picked").param("op", operation).query(Long.class).single() == 1;
  }

  private static long version(JdbcClient sql, String operation) {
    return sql.sql("select version from scheduled_tasks where task_instance = :op").param("op", operation).query(Long.class).single();
  }

  private double takeovers() {
    String scrape = operator.get("/actuator/prometheus").body();
    return scrape.lines()
        .filter(line -> line.startsWith("backstop_operations_taken_over_total"))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .sum();
  }
}
