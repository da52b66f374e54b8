package dev.backstop.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstop.server.support.MigratedDatabase;
import java.io.IOException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The one aggregate query behind the per-cluster gauges, on a real PostgreSQL migrated by Flyway. */
class JdbcClusterFactsTest {

  private static final Instant T = Instant.parse("2026-11-22T00:00:00Z");

  private static MigratedDatabase database;
  private static DataSource dataSource;

  private final JdbcClient jdbc = JdbcClient.create(dataSource);
  private final JdbcClusterFacts facts = new JdbcClusterFacts(jdbc);
  private UUID organization;

  @BeforeAll
  static void startDatabase() throws IOException {
    database = MigratedDatabase.start();
    dataSource = database.dataSource();
  }

  @AfterAll
  static void stopDatabase() throws IOException {
    database.close();
  }

  @BeforeEach
  void organization() {
    jdbc.sql("delete from backups").update();
    jdbc.sql("delete from clusters").update();
    organization = UUID.randomUUID();
    jdbc.sql("insert into organizations (id, name, plan, created_at) values (:id, :name, 'ENTERPRISE', now())")
        .param("id", organization).param("name", "org-" + organization).update();
  }

  @Test
  void shouldTellTheNewestCompletedBackupOfEachClusterIgnoringFailedRunningAndDeletingOnes() {
    // given
    cluster("orders", false);
    backup("orders", 1, "COMPLETED", T.plusSeconds(100), "NOT_REQUIRED");
    backup("orders", 2, "COMPLETED", T.plusSeconds(200), "NOT_REQUIRED");
    backup("orders", 3, "FAILED", null, "NOT_REQUIRED");
    backup("orders", 4, "DELETING", T.plusSeconds(400), "NOT_REQUIRED");
    backup("orders", 5, "IN_PROGRESS", null, "NOT_REQUIRED");
    cluster("empty", false);

    // when
    Map<String, ClusterFacts> read = read();

    // then
    assertThat(read.keySet()).containsExactlyInAnyOrder("orders", "empty");
    assertThat(read.get("orders").lastCompletedAt()).contains(T.plusSeconds(200));
    assertThat(read.get("orders").name()).isEqualTo("orders-name");
    assertThat(read.get("orders").dualRegion()).isFalse();
    assertThat(read.get("empty").lastCompletedAt()).isEmpty();
    assertThat(read.get("empty").unreplicatedSince()).isEmpty();
  }

  @Test
  void shouldTellSinceWhenTheSecondaryRegionLacksABackupThePrimaryHas() {
    // given: 1 replicated; 2 failed to replicate but 3 was replicated after it; 4 and 5 not yet
    cluster("dual", true);
    backup("dual", 1, "COMPLETED", T.plusSeconds(100), "COMPLETED");
    backup("dual", 2, "COMPLETED", T.plusSeconds(200), "FAILED");
    backup("dual", 3, "COMPLETED", T.plusSeconds(300), "COMPLETED");
    backup("dual", 4, "COMPLETED", T.plusSeconds(400), "FAILED");
    backup("dual", 5, "COMPLETED", T.plusSeconds(500), "PENDING");
    // a caught-up one, and one that never replicated anything
    cluster("caught-up", true);
    backup("caught-up", 1, "COMPLETED", T.plusSeconds(100), "FAILED");
    backup("caught-up", 2, "COMPLETED", T.plusSeconds(200), "COMPLETED");
    cluster("never", true);
    backup("never", 1, "COMPLETED", T.plusSeconds(100), "IN_PROGRESS");
    backup("never", 2, "COMPLETED", T.plusSeconds(200), "PENDING");

    // when
    Map<String, ClusterFacts> read = read();

    // then: the secondary lacks backups since 4, the oldest newer than its newest (3)
    assertThat(read.get("dual").dualRegion()).isTrue();
    assertThat(read.get("dual").lastCompletedAt()).contains(T.plusSeconds(500));
    assertThat(read.get("dual").lastReplicatedAt()).contains(T.plusSeconds(300));
    assertThat(read.get("dual").unreplicatedSince()).contains(T.plusSeconds(400));
    // an old failed replication does not count once a newer backup reached the secondary
    assertThat(read.get("caught-up").unreplicatedSince()).isEmpty();
    assertThat(read.get("never").lastReplicatedAt()).isEmpty();
    assertThat(read.get("never").unreplicatedSince()).contains(T.plusSeconds(100));
  }

  @Test
  void shouldLeaveOutClustersBeingDeleted() {
    cluster("going", false);
    backup("going", 1, "COMPLETED", T, "NOT_REQUIRED");
    jdbc.sql("update clusters set state = 'DELETING' where id = 'going'").update();

    assertThat(read()).isEmpty();
  }

  private Map<String, ClusterFacts> read() {
    return facts.read().stream().collect(Collectors.toMap(ClusterFacts::clusterId, Function.identity()));
  }

  @Test
  void shouldNotTakeABackupFoundDamagedForTheNewestCompletedOrReplicatedOne() {
    // given: the newest completed backup, replicated, was found damaged by its verification
    cluster("orders", true);
    backup("orders", 1, "COMPLETED", T.plusSeconds(100), "COMPLETED");
    backup("orders", 2, "COMPLETED", T.plusSeconds(200), "COMPLETED");
    jdbc.sql("update backups set verification_state = 'DAMAGED', verification_at = now(), verification_detail = 'local-a: x is missing'"
            + " where cluster_id = 'orders' and backup_id = 2").update();
    backup("orders", 3, "COMPLETED", T.plusSeconds(300), "NOT_REQUIRED");
    jdbc.sql("update backups set verification_state = 'VERIFIED', verification_at = now() where cluster_id = 'orders' and backup_id = 3").update();

    // when
    ClusterFacts orders = read().get("orders");

    // then: a verified backup counts; the damaged one does not
    assertThat(orders.lastCompletedAt()).contains(T.plusSeconds(300));
    assertThat(orders.lastReplicatedAt()).contains(T.plusSeconds(100));
  }

  private void cluster(String id, boolean dual) {
    jdbc.sql("insert into clusters (id, name, organization_id, generation, region, location_type, secondary_region, components, storage, created_at)"
            + " values (:id, :name, :org, '8.6.0', 'local-a', :type, :secondary, '{}'::jsonb, '{}'::jsonb, now())")
        .param("id", id).param("name", id + "-name").param("org", organization)
        .param("type", dual ? "DUAL_REGION" : "SAME_REGION").param("secondary", dual ? "local-b" : null)
        .update();
  }

  private void backup(String cluster, long id, String state, Instant completedAt, String replication) {
    jdbc.sql("insert into backups (cluster_id, backup_id, name, type, state, step, step_started_at, exporting_paused, parts, created_at,"
            + " completed_at, replication) values (:cluster, :id, :name, 'MANUAL', :state, 'DONE', :created, false, '{}'::jsonb, :created,"
            + " :completed, cast(:replication as jsonb))")
        .param("cluster", cluster).param("id", id).param("name", "manual-" + id).param("state", state)
        .param("created", Timestamp.from(T)).param("completed", Optional.ofNullable(completedAt).map(Timestamp::from).orElse(null))
        .param("replication", "{\"state\":\"" + replication + "\",\"objects\":0,\"bytes\":0,\"startedAt\":null,\"endedAt\":null,\"failureReason\":null}")
        .update();
  }
}
