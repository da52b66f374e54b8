package dev.backstop.server.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The per-cluster gauges, from the database: read every {@code backstop.metrics.refresh-interval}
 * (and soon after this instance recorded a backup's or a replication's end), so that every instance
 * shows the same values and a restart loses nothing. A cluster registered appears at the next read;
 * one deleted disappears, with its counters. The ages are computed at each scrape from the facts
 * read and the {@link Clock}: they grow between reads.
 *
 * <pre>
 * backstop_cluster_info{cluster,cluster_name}              1 per cluster (for joining names)
 * backstop_cluster_has_completed_backup{cluster}           1, or 0 when it never completed a backup
 * backstop_last_completed_backup_age_seconds{cluster}      absent when it never completed one
 * backstop_cluster_has_replicated_backup{cluster}          dual-region clusters: 1, or 0
 * backstop_last_replicated_backup_age_seconds{cluster}     dual-region clusters, absent when none replicated
 * backstop_replication_lag_seconds{cluster}                dual-region clusters: 0 when the secondary has the newest
 * </pre>
 */
@Component
public class ClusterGauges implements SmartLifecycle {

  /** Where the facts come from: one read of every cluster's. */
  @FunctionalInterface
  public interface FactSource {
    /** Every cluster that is not being deleted, with its facts. Throws when the database cannot be read. */
    List<ClusterFacts> read();
  }

  public static final String INFO = "backstop.cluster.info";
  public static final String HAS_COMPLETED = "backstop.cluster.has.completed.backup";
  public static final String LAST_COMPLETED_AGE = "backstop.last.completed.backup.age";
  public static final String HAS_REPLICATED = "backstop.cluster.has.replicated.backup";
  public static final String LAST_REPLICATED_AGE = "backstop.last.replicated.backup.age";
  public static final String REPLICATION_LAG = "backstop.replication.lag";

  private static final Logger LOG = LoggerFactory.getLogger(ClusterGauges.class);

  private final BackstopMeters meters;
  private final FactSource source;
  private final Clock clock;
  private final Duration interval;
  private final MultiGauge info;
  private final MultiGauge hasCompleted;
  private final MultiGauge lastCompletedAge;
  private final MultiGauge hasReplicated;
  private final MultiGauge lastReplicatedAge;
  private final MultiGauge replicationLag;
  private volatile ScheduledExecutorService executor;
  private final AtomicBoolean refreshQueued = new AtomicBoolean();
  /** The facts the gauges show, as last read; null before the first read, which always registers. */
  private List<ClusterFacts> shown;
  /** The clusters whose counters this registered at zero, and whether as dual-region. */
  private final java.util.Map<String, Boolean> initialized = new java.util.HashMap<>();

  public ClusterGauges(
      MeterRegistry registry, BackstopMeters meters, FactSource source, Clock clock,
      @Value("${backstop.metrics.refresh-interval:PT15S}") Duration interval) {
    this.meters = meters;
    this.source = source;
    this.clock = clock;
    this.interval = interval;
    this.info = MultiGauge.builder(INFO).description("One per cluster Backstop knows, with its name").register(registry);
    this.hasCompleted = MultiGauge.builder(HAS_COMPLETED).description("Whether the cluster has a completed backup (1) or never had one (0)").register(registry);
    this.lastCompletedAge =
        MultiGauge.builder(LAST_COMPLETED_AGE).baseUnit("seconds").description("Time since the cluster's newest completed backup completed").register(registry);
    this.hasReplicated =
        MultiGauge.builder(HAS_REPLICATED).description("Dual-region clusters: whether a backup was replicated to the secondary region (1) or none (0)").register(registry);
    this.lastReplicatedAge =
        MultiGauge.builder(LAST_REPLICATED_AGE).baseUnit("seconds").description("Dual-region clusters: time since the newest replicated backup completed").register(registry);
    this.replicationLag =
        MultiGauge.builder(REPLICATION_LAG).baseUnit("seconds")
            .description("Dual-region clusters: how long the secondary region has lacked a completed backup (0: it has the newest)").register(registry);
  }

  /**
   * Reads the facts and replaces the gauges' rows; registers new clusters' counters at zero and
   * removes those of clusters gone.
   *
   * @throws RuntimeException when the facts cannot be read (the gauges stay as they were)
   */
  public synchronized void refresh() {
    List<ClusterFacts> all = source.read();
    if (all.equals(shown)) {
      // Nothing changed since the last read: the rows (the ages computed at each scrape) and the
      // counters stand. Re-registering them costs seconds of CPU at 100,000 clusters.
      return;
    }
    info.register(rows(all, facts -> OptionalDouble.of(1), true), true);
    hasCompleted.register(rows(all, facts -> OptionalDouble.of(facts.hasCompletedBackup()), false), true);
    lastCompletedAge.register(ageRows(all, facts -> facts.lastCompletedAge(clock.instant())), true);
    hasReplicated.register(rows(all, ClusterFacts::hasReplicatedBackup, false), true);
    lastReplicatedAge.register(ageRows(all, facts -> facts.lastReplicatedAge(clock.instant())), true);
    replicationLag.register(ageRows(all, facts -> facts.replicationLag(clock.instant())), true);

    Set<String> present = new HashSet<>();
    for (ClusterFacts facts : all) {
      present.add(facts.clusterId());
      // a cluster's counters are registered at zero once (again when it became dual-region), not at every read
      if (!Boolean.valueOf(facts.dualRegion()).equals(initialized.get(facts.clusterId()))) {
        meters.initialize(facts.clusterId(), facts.dualRegion());
        initialized.put(facts.clusterId(), facts.dualRegion());
      }
    }
    for (String gone : meters.clustersWithCounters()) {
      if (!present.contains(gone)) {
        meters.forget(gone);
      }
    }
    initialized.keySet().retainAll(present);
    shown = List.copyOf(all);
  }

  /**
   * Asks for a refresh now, off the caller's thread (nothing when not running). Asks made while
   * one is queued are served by it: a retention run deleting n backups reads the facts once.
   */
  public void refreshSoon() {
    ScheduledExecutorService running = executor;
    if (running != null && refreshQueued.compareAndSet(false, true)) {
      running.execute(() -> {
        refreshQueued.set(false);
        refreshLogged();
      });
    }
  }

  /** Fixed values, read at refresh; a row per cluster where the value is present. */
  private static List<MultiGauge.Row<?>> rows(List<ClusterFacts> all, Function<ClusterFacts, OptionalDouble> value, boolean withName) {
    List<MultiGauge.Row<?>> rows = new ArrayList<>();
    for (ClusterFacts facts : all) {
      OptionalDouble v = value.apply(facts);
      if (v.isPresent()) {
        Tags tags = withName ? Tags.of(BackstopMeters.CLUSTER, facts.clusterId(), "cluster_name", facts.name()) : Tags.of(BackstopMeters.CLUSTER, facts.clusterId());
        rows.add(MultiGauge.Row.of(tags, v.getAsDouble()));
      }
    }
    return rows;
  }

  /** Values computed at each scrape (ages grow); a row per cluster where the value is present now. */
  private static List<MultiGauge.Row<?>> ageRows(List<ClusterFacts> all, Function<ClusterFacts, OptionalDouble> value) {
    List<MultiGauge.Row<?>> rows = new ArrayList<>();
    for (ClusterFacts facts : all) {
      if (value.apply(facts).isPresent()) {
        rows.add(MultiGauge.Row.of(Tags.of(BackstopMeters.CLUSTER, facts.clusterId()), () -> value.apply(facts).orElse(Double.NaN)));
      }
    }
    return rows;
  }

  private void refreshLogged() {
    try {
      refresh();
    } catch (RuntimeException e) {
      LOG.warn("Could not refresh the per-cluster metrics: {}", e.toString());
    }
  }

  @Override
  public synchronized void start() {
    if (executor == null) {
      ScheduledExecutorService started =
          Executors.newSingleThreadScheduledExecutor(runnable -> Thread.ofPlatform().daemon().name("backstop-metrics").unstarted(runnable));
      started.scheduleWithFixedDelay(this::refreshLogged, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
      executor = started;
    }
  }

  @Override
  public synchronized void stop() {
    ScheduledExecutorService running = executor;
    executor = null;
    if (running != null) {
      running.shutdownNow();
    }
  }

  @Override
  public boolean isRunning() {
    return executor != null;
  }
}
