package dev.backstop.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import dev.backstop.core.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The per-cluster gauges: pure functions of the database's facts and the clock, read at each scrape. */
class ClusterGaugesTest {

  private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");

  private final SettableClock clock = new SettableClock(NOW);
  private final List<ClusterFacts> facts = new ArrayList<>();
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final BackstopMeters meters = new BackstopMeters(registry);
  private boolean databaseDown;
  private final ClusterGauges gauges = new ClusterGauges(registry, meters, this::read, clock, Duration.ofSeconds(15));

  @Test
  void shouldShowTheAgeOfTheNewestCompletedBackupAndLetItGrowBetweenReads() {
    // given: completed 2 h ago
    facts.add(sameRegion("orders", Optional.of(NOW.minus(Duration.ofHours(2)))));
    gauges.refresh();

    // then
    Scrape scrape = scrape();
    assertThat(scrape.value("backstop_last_completed_backup_age_seconds", "cluster", "orders")).hasValue(7200.0);
    assertThat(scrape.value("backstop_cluster_has_completed_backup", "cluster", "orders")).hasValue(1.0);
    assertThat(scrape.value("backstop_cluster_info", "cluster", "orders", "cluster_name", "orders-name")).hasValue(1.0);

    // when: 90 s later, without reading the database again
    clock.advance(Duration.ofSeconds(90));

    // then
    assertThat(scrape().value("backstop_last_completed_backup_age_seconds", "cluster", "orders")).hasValue(7290.0);
  }

  @Test
  void shouldShowAClusterThatNeverCompletedABackupAsZeroWithoutAnAge() {
    // given
    facts.add(sameRegion("fresh", Optional.empty()));

    // when
    gauges.refresh();

    // then
    Scrape scrape = scrape();
    assertThat(scrape.value("backstop_cluster_has_completed_backup", "cluster", "fresh")).hasValue(0.0);
    assertThat(scrape.value("backstop_last_completed_backup_age_seconds", "cluster", "fresh")).isEmpty();
    // nor any replication series: it is a same-region cluster
    assertThat(scrape.hasSeries("backstop_replication_lag_seconds", "cluster", "fresh")).isFalse();
    assertThat(scrape.hasSeries("backstop_cluster_has_replicated_backup", "cluster", "fresh")).isFalse();
  }

  @Test
  void shouldShowReplicationOfDualRegionClusters() {
    // given: replicated the backup of 3 h ago; the one of 1 h ago not yet, nor the one of 10 min ago
    facts.add(new ClusterFacts(
        "dual", "dual-name", true, Optional.of(NOW.minus(Duration.ofMinutes(10))), Optional.of(NOW.minus(Duration.ofHours(3))),
        Optional.of(NOW.minus(Duration.ofHours(1)))));
    // and one whose secondary has the newest
    facts.add(new ClusterFacts(
        "caught-up", "caught-up-name", true, Optional.of(NOW.minus(Duration.ofHours(5))), Optional.of(NOW.minus(Duration.ofHours(5))),
        Optional.empty()));
    // and one that never replicated anything
    facts.add(new ClusterFacts("never", "never-name", true, Optional.of(NOW.minus(Duration.ofMinutes(30))), Optional.empty(), Optional.of(NOW.minus(Duration.ofMinutes(30)))));

    // when
    gauges.refresh();

    // then
    Scrape scrape = scrape();
    assertThat(scrape.value("backstop_replication_lag_seconds", "cluster", "dual")).hasValue(3600.0);
    assertThat(scrape.value("backstop_last_replicated_backup_age_seconds", "cluster", "dual")).hasValue(10800.0);
    assertThat(scrape.value("backstop_cluster_has_replicated_backup", "cluster", "dual")).hasValue(1.0);
    assertThat(scrape.value("backstop_replication_lag_seconds", "cluster", "caught-up")).hasValue(0.0);
    assertThat(scrape.value("backstop_replication_lag_seconds", "cluster", "never")).hasValue(1800.0);
    assertThat(scrape.value("backstop_cluster_has_replicated_backup", "cluster", "never")).hasValue(0.0);
    assertThat(scrape.value("backstop_last_replicated_backup_age_seconds", "cluster", "never")).isEmpty();
  }

  @Test
  void shouldNeverShowANegativeAgeWhenAnotherInstancesClockIsAhead() {
    facts.add(sameRegion("skewed", Optional.of(NOW.plusSeconds(3))));

    gauges.refresh();

    assertThat(scrape().value("backstop_last_completed_backup_age_seconds", "cluster", "skewed")).hasValue(0.0);
  }

  @Test
  void shouldAddRegisteredClustersWithTheirCountersAtZeroAndRemoveDeletedOnes() {
    // given
    facts.add(sameRegion("kept", Optional.of(NOW.minusSeconds(60))));
    facts.add(sameRegion("deleted", Optional.of(NOW.minusSeconds(60))));
    gauges.refresh();
    meters.backups("deleted", dev.backstop.core.backup.BackupType.MANUAL, BackstopMeters.COMPLETED).increment();
    Scrape before = scrape();
    assertThat(before.value("backstop_backups_total", "cluster", "kept", "type", "SCHEDULED", "outcome", "failed")).hasValue(0.0);
    assertThat(before.value("backstop_backups_total", "cluster", "deleted", "type", "MANUAL", "outcome", "completed")).hasValue(1.0);

    // when: one is deleted, another registered
    facts.removeIf(f -> f.clusterId().equals("deleted"));
    facts.add(sameRegion("new", Optional.empty()));
    gauges.refresh();

    // then
    Scrape after = scrape();
    assertThat(after.value("backstop_cluster_has_completed_backup", "cluster", "new")).hasValue(0.0);
    assertThat(after.value("backstop_schedule_runs_total", "cluster", "new", "outcome", "skipped")).hasValue(0.0);
    assertThat(after.hasSeries("backstop_cluster_has_completed_backup", "cluster", "deleted")).isFalse();
    assertThat(after.hasSeries("backstop_last_completed_backup_age_seconds", "cluster", "deleted")).isFalse();
    assertThat(after.hasSeries("backstop_backups_total", "cluster", "deleted")).isFalse();
    assertThat(after.value("backstop_backups_total", "cluster", "kept", "type", "MANUAL", "outcome", "completed")).hasValue(0.0);
  }

  @Test
  void shouldForgetCountersOfAClusterNoReadEverShowed() {
    // given: a cluster's backup counted between two reads, the cluster deleted before the next
    facts.add(sameRegion("kept", Optional.of(NOW.minusSeconds(60))));
    gauges.refresh();
    meters.backups("short-lived", dev.backstop.core.backup.BackupType.MANUAL, BackstopMeters.COMPLETED).increment();
    assertThat(scrape().hasSeries("backstop_backups_total", "cluster", "short-lived")).isTrue();

    // when: the next read differs (a backup of "kept" completed)
    facts.set(0, sameRegion("kept", Optional.of(NOW.minusSeconds(5))));
    gauges.refresh();

    // then
    Scrape after = scrape();
    assertThat(after.hasSeries("backstop_backups_total", "cluster", "short-lived")).isFalse();
    assertThat(after.value("backstop_last_completed_backup_age_seconds", "cluster", "kept")).hasValue(5.0);
    assertThat(meters.clustersWithCounters()).containsExactly("kept");
  }

  @Test
  void shouldKeepTheLastValuesWhenTheDatabaseCannotBeRead() {
    // given
    facts.add(sameRegion("orders", Optional.of(NOW.minusSeconds(60))));
    gauges.refresh();

    // when
    databaseDown = true;
    try {
      gauges.refresh();
    } catch (IllegalStateException expected) {
      // logged by the scheduled refresh
    }

    // then
    assertThat(scrape().value("backstop_last_completed_backup_age_seconds", "cluster", "orders")).hasValue(60.0);
  }

  private static ClusterFacts sameRegion(String id, Optional<Instant> lastCompleted) {
    return new ClusterFacts(id, id + "-name", false, lastCompleted, Optional.empty(), Optional.empty());
  }

  private List<ClusterFacts> read() {
    if (databaseDown) {
      throw new IllegalStateException("database down");
    }
    return List.copyOf(facts);
  }

  private Scrape scrape() {
    return new Scrape(registry.scrape());
  }
}
