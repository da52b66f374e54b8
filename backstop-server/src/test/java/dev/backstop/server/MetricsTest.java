package dev.backstop.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backstop.core.backup.BackupStep;
import dev.backstop.server.metrics.Scrape;
import dev.backstop.server.support.Api;
import dev.backstop.server.support.BackstopIT;
import dev.backstop.server.support.TestCluster;
import dev.backstop.testbed.FaultProxy;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code /actuator/prometheus} after real backups of the test bed's cluster: the values, not only
 * the names. The Spring context is shared with other test classes, so every count is read before
 * and after.
 */
class MetricsTest extends BackstopIT {

  private static final String METRICS = "/actuator/prometheus";
  /** Steps of a backup that completes, in order. */
  private static final List<BackupStep> SUCCESS_PATH =
      List.of(
          BackupStep.REQUESTED, BackupStep.START_WEB_APP_BACKUPS, BackupStep.AWAIT_WEB_APP_BACKUPS, BackupStep.COPY_RECORDS_AHEAD,
          BackupStep.PAUSE_EXPORTING,
          BackupStep.SNAPSHOT_RECORDS, BackupStep.AWAIT_RECORDS_SNAPSHOT, BackupStep.START_ZEEBE_BACKUP, BackupStep.AWAIT_ZEEBE_BACKUP,
          BackupStep.RESUME_EXPORTING);
  /** Steps while exporting is paused: from the confirmed pause to the resume step. */
  private static final List<BackupStep> PAUSED_STEPS =
      List.of(BackupStep.SNAPSHOT_RECORDS, BackupStep.AWAIT_RECORDS_SNAPSHOT, BackupStep.START_ZEEBE_BACKUP, BackupStep.AWAIT_ZEEBE_BACKUP);
  private static final List<String> COMPONENTS = List.of("ZEEBE", "OPERATE", "TASKLIST", "ZEEBE_RECORDS");
  /** The API shows times from the database (microseconds); the meters time with the clock (nanoseconds). */
  private static final double CLOCK_TOLERANCE = 0.05;

  @Test
  void shouldLetOnlyTheOperatorScrape() {
    // when
    Api.Answer anonymous = Api.anonymous(baseUrl()).get(METRICS);
    Api.Answer tenant = client.get(METRICS);
    Api.Answer operatorScrape = operator.get(METRICS);

    // then
    assertThat(anonymous.status()).as(anonymous.toString()).isEqualTo(401);
    assertThat(anonymous.contentType()).startsWith("application/problem+json");
    assertThat(tenant.status()).as(tenant.toString()).isEqualTo(403);
    assertThat(tenant.contentType()).startsWith("application/problem+json");
    assertThat(operatorScrape.status()).isEqualTo(200);
    assertThat(operatorScrape.contentType()).startsWith("text/plain");
    assertThat(operatorScrape.body()).contains("# TYPE backstop_cluster_info gauge");
  }

  @Test
  void shouldCountTimeAndAgeACompletedManualBackup() throws InterruptedException {
    // given
    String cluster = testCluster.clusterId();
    Scrape before = scrape();

    // when
    JsonNode backup = takeBackup();

    // then: the backup counted once, as completed and manual
    assertThat(backup.path("state").asText()).as(backup.toString()).isEqualTo("COMPLETED");
    Instant created = Instant.parse(backup.path("created").asText());
    Instant completed = Instant.parse(backup.path("completed").asText());
    double took = Duration.between(created, completed).toNanos() / 1e9;
    Scrape after = awaitScrape("the ended backup is counted",
        s -> s.valueOrZero("backstop_backups_total", "cluster", cluster, "outcome", "completed", "type", "MANUAL")
            > before.valueOrZero("backstop_backups_total", "cluster", cluster, "outcome", "completed", "type", "MANUAL"));
    assertThat(delta(before, after, "backstop_backups_total", "cluster", cluster, "outcome", "completed", "type", "MANUAL")).isEqualTo(1.0);
    assertThat(delta(before, after, "backstop_backups_total", "cluster", cluster, "outcome", "failed", "type", "MANUAL")).isZero();

    // and its duration, from the request to its completion as the API shows them
    assertThat(delta(before, after, "backstop_backup_duration_seconds_count", "outcome", "completed", "type", "MANUAL")).isEqualTo(1.0);
    assertThat(delta(before, after, "backstop_backup_duration_seconds_sum", "outcome", "completed", "type", "MANUAL"))
        .isCloseTo(took, within(CLOCK_TOLERANCE));

    // and each step it ran, once; one after the other, the steps take the whole backup
    Map<BackupStep, Double> steps = new EnumMap<>(BackupStep.class);
    for (BackupStep step : SUCCESS_PATH) {
      assertThat(delta(before, after, "backstop_backup_step_duration_seconds_count", "step", step.name())).as(step.name()).isEqualTo(1.0);
      steps.put(step, delta(before, after, "backstop_backup_step_duration_seconds_sum", "step", step.name()));
    }
    assertThat(steps.values().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(took, within(CLOCK_TOLERANCE));
    assertThat(steps.get(BackupStep.AWAIT_ZEEBE_BACKUP)).isPositive();
    assertThat(delta(before, after, "backstop_backup_step_duration_seconds_count", "step", BackupStep.CLEAN_UP.name())).isZero();

    // and each component's backup, started to completed
    for (String component : COMPONENTS) {
      assertThat(delta(before, after, "backstop_backup_component_duration_seconds_count", "component", component)).as(component).isEqualTo(1.0);
      assertThat(delta(before, after, "backstop_backup_component_duration_seconds_sum", "component", component)).as(component)
          .isPositive().isLessThan(took);
    }

    // and how long exporting was paused: at least the steps it was paused for, at most up to the end of the resume step
    assertThat(delta(before, after, "backstop_exporting_paused_seconds_count")).isEqualTo(1.0);
    double paused = delta(before, after, "backstop_exporting_paused_seconds_sum");
    double pausedSteps = PAUSED_STEPS.stream().mapToDouble(steps::get).sum();
    assertThat(paused).isPositive().isLessThan(took);
    assertThat(paused).isBetween(pausedSteps - CLOCK_TOLERANCE, pausedSteps + steps.get(BackupStep.RESUME_EXPORTING) + CLOCK_TOLERANCE);

    // and the age of the cluster's newest completed backup, from the database
    Scrape aged = awaitScrape("the gauge shows the new backup",
        s -> s.value("backstop_cluster_has_completed_backup", "cluster", cluster).orElse(0) == 1
            && s.value("backstop_last_completed_backup_age_seconds", "cluster", cluster).orElse(Double.MAX_VALUE)
                <= secondsSince(completed) + 1.0);
    double age = aged.value("backstop_last_completed_backup_age_seconds", "cluster", cluster).orElseThrow();
    assertThat(age).isGreaterThanOrEqualTo(0.0);
    // the test bed's cluster is same-region: no replication series
    assertThat(aged.hasSeries("backstop_replication_lag_seconds", "cluster", cluster)).isFalse();

    // and it grows between scrapes
    Thread.sleep(1_500);
    double later = scrape().value("backstop_last_completed_backup_age_seconds", "cluster", cluster).orElseThrow();
    assertThat(later).isGreaterThan(age + 1.0).isLessThanOrEqualTo(secondsSince(completed) + 1.0);
  }

  @Test
  void shouldCountAFailedBackupAndForgetADeletedCluster() {
    try (FaultProxy operatePort = FaultProxy.inFrontOf(URI.create(testbed.operate().managementUrl()).getPort())) {
      // given: a cluster whose Operate is reached through a proxy, registered while Operate answers
      String name = "metrics-operate-down";
      Map<String, Object> registration =
          TestCluster.registration(testCluster.organizationId(), name, "8.6.0", testbed, Map.of("operate", operatePort.url()));
      Api.Answer registered = operator.postJson("/clusters", registration);
      assertThat(registered.status()).as(registered.toString()).isEqualTo(201);
      String cluster = registered.json().path("uuid").asText();
      String backups = "/clusters/" + cluster + "/backups";
      try {
        // its counters appear at zero with it
        Scrape before = awaitScrape("the new cluster's series", s -> s.hasSeries("backstop_cluster_info", "cluster", cluster));
        assertThat(before.value("backstop_backups_total", "cluster", cluster, "outcome", "failed", "type", "MANUAL")).hasValue(0.0);
        assertThat(before.value("backstop_cluster_has_completed_backup", "cluster", cluster)).hasValue(0.0);
        assertThat(before.value("backstop_last_completed_backup_age_seconds", "cluster", cluster)).isEmpty();

        // when: Operate's port refuses connections, and a backup is taken
        operatePort.set(FaultProxy.Mode.REFUSE);
        Api.Answer created = client.post(backups, null);
        assertThat(created.status()).as(created.toString()).isEqualTo(202);
        long id = created.json().path("backupId").asLong();
        JsonNode failed = awaitBackup(backups + "/" + id, b -> b.path("state").asText().equals("FAILED"));
        assertThat(failed.path("failureReason").asText()).as(failed.toString()).contains("OPERATE");

        // then: counted once, as failed; the cluster still has no completed backup
        Scrape after = awaitScrape("the failed backup is counted",
            s -> s.valueOrZero("backstop_backups_total", "cluster", cluster, "outcome", "failed", "type", "MANUAL") > 0);
        assertThat(after.value("backstop_backups_total", "cluster", cluster, "outcome", "failed", "type", "MANUAL")).hasValue(1.0);
        assertThat(after.value("backstop_backups_total", "cluster", cluster, "outcome", "completed", "type", "MANUAL")).hasValue(0.0);
        assertThat(delta(before, after, "backstop_backup_duration_seconds_count", "outcome", "failed", "type", "MANUAL")).isEqualTo(1.0);
        assertThat(after.value("backstop_cluster_has_completed_backup", "cluster", cluster)).hasValue(0.0);
        // the failed step is not timed, the cleanup after it is
        assertThat(delta(before, after, "backstop_backup_step_duration_seconds_count", "step", BackupStep.START_WEB_APP_BACKUPS.name())).isZero();
        assertThat(delta(before, after, "backstop_backup_step_duration_seconds_count", "step", BackupStep.CLEAN_UP.name())).isEqualTo(1.0);
      } finally {
        operatePort.set(FaultProxy.Mode.PASS);
        deleteCluster(cluster, name);
      }

      // and once the cluster is deleted, its series go
      awaitScrape("the deleted cluster's series are gone",
          s -> !s.hasSeries("backstop_cluster_info", "cluster", cluster)
              && !s.hasSeries("backstop_cluster_has_completed_backup", "cluster", cluster)
              && !s.hasSeries("backstop_backups_total", "cluster", cluster));
    }
  }

  // ------------------------------------------------------------------------------------ helpers

  private Scrape scrape() {
    Api.Answer answer = operator.get(METRICS);
    assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
    return new Scrape(answer.body());
  }

  private Scrape awaitScrape(String what, java.util.function.Predicate<Scrape> condition) {
    Scrape[] last = new Scrape[1];
    await(what)
        .atMost(Duration.ofSeconds(45))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> condition.test(last[0] = scrape()));
    return last[0];
  }

  private JsonNode awaitBackup(String path, java.util.function.Predicate<JsonNode> condition) {
    JsonNode[] last = new JsonNode[1];
    await("backup " + path)
        .atMost(BACKUP_TIMEOUT)
        .pollInterval(Duration.ofMillis(500))
        .until(() -> condition.test(last[0] = client.get(path).json()));
    return last[0];
  }

  private void deleteCluster(String clusterId, String name) {
    await("the cluster can be deleted")
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> operator.delete("/clusters/" + clusterId + "?confirm=" + name).status() == 202);
    await("the cluster is gone")
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> operator.get("/clusters/" + clusterId).status() == 404);
  }

  private static double delta(Scrape before, Scrape after, String name, String... labels) {
    return after.valueOrZero(name, labels) - before.valueOrZero(name, labels);
  }

  private static double secondsSince(Instant instant) {
    return Duration.between(instant, Instant.now()).toNanos() / 1e9;
  }
}
