package dev.backstop.server.metrics;

import dev.backstop.core.backup.BackupStep;
import dev.backstop.core.backup.BackupType;
import dev.backstop.core.backup.Component;
import dev.backstop.core.restore.RestorePhase;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;

/**
 * Backstop's own meters, in one place: their names (as Micrometer names them; the Prometheus
 * names, with unit and {@code _total}, are in the comments), their tags and their buckets. Tags
 * are few and bounded: a cluster's id, enums, an outcome; never a backup's or a restore's id.
 */
@org.springframework.stereotype.Component
public class BackstopMeters {

  /** {@code backstop_backups_total{cluster,type,outcome}}. */
  public static final String BACKUPS = "backstop.backups";
  /** {@code backstop_backup_duration_seconds{type,outcome}}: from the request to the end. */
  public static final String BACKUP_DURATION = "backstop.backup.duration";
  /** {@code backstop_backup_step_duration_seconds{step}}: each step of the procedure that ran to its end. */
  public static final String STEP_DURATION = "backstop.backup.step.duration";
  /** {@code backstop_backup_component_duration_seconds{component}}: a component's backup, started to confirmed completed. */
  public static final String COMPONENT_DURATION = "backstop.backup.component.duration";
  /** {@code backstop_exporting_paused_seconds}: per backup, pause confirmed to resume confirmed. */
  public static final String EXPORTING_PAUSED = "backstop.exporting.paused";
  /** {@code backstop_restores_total{cluster,outcome}}. */
  public static final String RESTORES = "backstop.restores";
  /** {@code backstop_restore_duration_seconds{outcome}}: from the request to the end. */
  public static final String RESTORE_DURATION = "backstop.restore.duration";
  /** {@code backstop_restore_phase_duration_seconds{phase}}: each phase of a restore that completed. */
  public static final String RESTORE_PHASE_DURATION = "backstop.restore.phase.duration";
  /** {@code backstop_replications_total{cluster,outcome}}. */
  public static final String REPLICATIONS = "backstop.replications";
  /** {@code backstop_replication_bytes_total{cluster}}: counted when a backup's replication completes. */
  public static final String REPLICATION_BYTES = "backstop.replication.bytes";
  /** {@code backstop_replication_failures_total{cluster}}: replications FAILED with their retries spent. */
  public static final String REPLICATION_FAILURES = "backstop.replication.failures";
  /** {@code backstop_schedule_runs_total{cluster,outcome}}: started or skipped. */
  public static final String SCHEDULE_RUNS = "backstop.schedule.runs";
  /** {@code backstop_operations_taken_over_total}. */
  public static final String TAKEOVERS = "backstop.operations.taken.over";

  public static final String CLUSTER = "cluster";
  public static final String COMPLETED = "completed";
  public static final String FAILED = "failed";
  public static final String STARTED = "started";
  public static final String SKIPPED = "skipped";

  private static final Duration[] BACKUP_BUCKETS =
      durations("PT10S", "PT30S", "PT1M", "PT2M", "PT5M", "PT10M", "PT20M", "PT30M", "PT1H", "PT2H", "PT4H", "PT8H");
  private static final Duration[] STEP_BUCKETS =
      durations("PT0.1S", "PT0.5S", "PT1S", "PT2S", "PT5S", "PT10S", "PT30S", "PT1M", "PT2M", "PT5M", "PT10M", "PT30M", "PT1H");
  private static final Duration[] PAUSE_BUCKETS =
      durations("PT1S", "PT2S", "PT5S", "PT10S", "PT20S", "PT30S", "PT1M", "PT2M", "PT5M", "PT10M", "PT30M", "PT1H");
  private static final Duration[] RESTORE_BUCKETS =
      durations("PT1M", "PT2M", "PT5M", "PT10M", "PT20M", "PT30M", "PT1H", "PT2H", "PT4H", "PT8H", "PT24H");

  private final MeterRegistry registry;
  /**
   * The clusters whose counters were registered and not forgotten: kept here, since finding them in
   * the registry goes through every meter (about 14 per cluster: over a million at 100,000 clusters).
   */
  private final java.util.Set<String> clustersWithCounters = java.util.concurrent.ConcurrentHashMap.newKeySet();

  public BackstopMeters(MeterRegistry registry) {
    this.registry = registry;
  }

  public Counter backups(String cluster, BackupType type, String outcome) {
    clustersWithCounters.add(cluster);
    return Counter.builder(BACKUPS).description("Backups that ended, by type and outcome").tag(CLUSTER, cluster).tag("type", type.name())
        .tag("outcome", outcome).register(registry);
  }

  public Timer backupDuration(BackupType type, String outcome) {
    return Timer.builder(BACKUP_DURATION).description("Backups from request to end").tag("type", type.name()).tag("outcome", outcome)
        .serviceLevelObjectives(BACKUP_BUCKETS).register(registry);
  }

  public Timer stepDuration(BackupStep step) {
    return Timer.builder(STEP_DURATION).description("Steps of the backup procedure that ran to their end").tag("step", step.name())
        .serviceLevelObjectives(STEP_BUCKETS).register(registry);
  }

  public Timer componentDuration(Component component) {
    return Timer.builder(COMPONENT_DURATION).description("A component's backup, from its start to its confirmed completion")
        .tag("component", component.name()).serviceLevelObjectives(STEP_BUCKETS).register(registry);
  }

  public Timer exportingPaused() {
    return Timer.builder(EXPORTING_PAUSED).description("Per backup, how long Zeebe's exporting was paused (pause to resume, both confirmed)")
        .serviceLevelObjectives(PAUSE_BUCKETS).register(registry);
  }

  public Counter restores(String cluster, String outcome) {
    clustersWithCounters.add(cluster);
    return Counter.builder(RESTORES).description("Restores that ended, by outcome").tag(CLUSTER, cluster).tag("outcome", outcome).register(registry);
  }

  public Timer restoreDuration(String outcome) {
    return Timer.builder(RESTORE_DURATION).description("Restores from request to end").tag("outcome", outcome)
        .serviceLevelObjectives(RESTORE_BUCKETS).register(registry);
  }

  public Timer restorePhaseDuration(RestorePhase phase) {
    return Timer.builder(RESTORE_PHASE_DURATION).description("Phases of restores that completed (waiting for the operator included)")
        .tag("phase", phase.name()).serviceLevelObjectives(RESTORE_BUCKETS).register(registry);
  }

  public Counter replications(String cluster, String outcome) {
    clustersWithCounters.add(cluster);
    return Counter.builder(REPLICATIONS).description("Replications to the secondary region that ended, by outcome").tag(CLUSTER, cluster)
        .tag("outcome", outcome).register(registry);
  }

  public Counter replicationBytes(String cluster) {
    clustersWithCounters.add(cluster);
    return Counter.builder(REPLICATION_BYTES).description("Bytes copied to the secondary region, counted when a backup's replication completes")
        .baseUnit("bytes").tag(CLUSTER, cluster).register(registry);
  }

  public Counter replicationFailures(String cluster) {
    clustersWithCounters.add(cluster);
    return Counter.builder(REPLICATION_FAILURES).description("Replications that failed for good (retries spent)").tag(CLUSTER, cluster)
        .register(registry);
  }

  public Counter scheduleRuns(String cluster, String outcome) {
    clustersWithCounters.add(cluster);
    return Counter.builder(SCHEDULE_RUNS).description("Scheduled runs, started or skipped").tag(CLUSTER, cluster).tag("outcome", outcome)
        .register(registry);
  }

  public Counter takeovers() {
    return Counter.builder(TAKEOVERS).description("Operations taken over from an instance that stopped heartbeating").register(registry);
  }

  /**
   * Registers a cluster's counters at zero, so that its first failure is an increase that {@code
   * increase()} and {@code rate()} see (a series that appears at 1 shows none).
   */
  public void initialize(String cluster, boolean dualRegion) {
    for (BackupType type : BackupType.values()) {
      backups(cluster, type, COMPLETED);
      backups(cluster, type, FAILED);
    }
    restores(cluster, COMPLETED);
    restores(cluster, FAILED);
    scheduleRuns(cluster, STARTED);
    scheduleRuns(cluster, SKIPPED);
    if (dualRegion) {
      replications(cluster, COMPLETED);
      replications(cluster, FAILED);
      replicationBytes(cluster);
      replicationFailures(cluster);
    }
  }

  /** Removes the counters of a cluster that no longer exists. */
  public void forget(String cluster) {
    clustersWithCounters.remove(cluster);
    for (String name : List.of(BACKUPS, RESTORES, SCHEDULE_RUNS, REPLICATIONS, REPLICATION_BYTES, REPLICATION_FAILURES)) {
      for (Meter meter : registry.find(name).tag(CLUSTER, cluster).meters()) {
        registry.remove(meter);
      }
    }
  }

  /** The registry's clusters that have counters. */
  public java.util.Set<String> clustersWithCounters() {
    return java.util.Set.copyOf(clustersWithCounters);
  }

  private static Duration[] durations(String... iso) {
    Duration[] durations = new Duration[iso.length];
    for (int i = 0; i < iso.length; i++) {
      durations[i] = Duration.parse(iso[i]);
    }
    return durations;
  }
}
