package dev.backstop.server.metrics;

import dev.backstop.core.backup.Backup;
import dev.backstop.core.backup.BackupId;
import dev.backstop.core.backup.BackupStep;
import dev.backstop.core.backup.BackupType;
import dev.backstop.core.backup.Component;
import dev.backstop.core.event.Event;
import dev.backstop.core.replication.Replication;
import dev.backstop.core.restore.Restore;
import dev.backstop.core.restore.RestorePhase;
import dev.backstop.core.testing.SettableClock;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Backstop's meters with every series they can have: each event once, each step, component and
 * phase once, a same-region and a dual-region cluster. What the alert rules and the dashboard may
 * name is what this scrapes.
 */
final class EverySeries {

  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

  private EverySeries() {}

  static Scrape scrape() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    BackstopMeters meters = new BackstopMeters(registry);
    List<ClusterFacts> facts =
        List.of(
            new ClusterFacts("same", "same-name", false, Optional.of(T0), Optional.empty(), Optional.empty()),
            new ClusterFacts("dual", "dual-name", true, Optional.of(T0), Optional.of(T0.minusSeconds(3600)), Optional.of(T0)));
    ClusterGauges gauges = new ClusterGauges(registry, meters, () -> facts, new SettableClock(T0.plusSeconds(60)), Duration.ofSeconds(15));
    gauges.refresh();
    EventMetrics events = new EventMetrics(meters, gauges);
    ProcedureMetrics procedure = new ProcedureMetrics(meters);

    Backup requested = Backup.requested("dual", new BackupId(1), Optional.empty(), BackupType.MANUAL, Set.of(Component.values()), T0);
    Backup completed = requested.complete(T0.plusSeconds(90));
    events.count(new Event.BackupEnded(T0.plusSeconds(90), completed));
    events.count(new Event.BackupEnded(T0.plusSeconds(90), requested.fail("failed", T0.plusSeconds(90))));
    Replication replicated = Replication.pending().inProgress(T0).copied(1, 10).completed(T0.plusSeconds(100));
    events.count(new Event.ReplicationEnded(T0.plusSeconds(100), completed.withReplication(replicated)));
    Replication failed = Replication.pending().inProgress(T0).failed("down", T0.plusSeconds(100));
    events.count(new Event.ReplicationEnded(T0.plusSeconds(100), completed.withReplication(failed)));
    Restore restore = Restore.requested("r-1", "dual", new BackupId(1), "local-a", T0);
    Instant at = T0;
    for (RestorePhase phase : RestorePhase.values()) {
      restore = restore.starting(phase, at).completed(phase, "done", at.plusSeconds(60));
      at = at.plusSeconds(60);
    }
    events.count(new Event.RestoreEnded(at, restore));
    events.count(new Event.ScheduledRunStarted(T0, "dual", T0, new BackupId(2)));
    events.count(new Event.ScheduledRunSkipped(T0, "dual", T0, "busy"));
    events.count(new Event.OperationTakenOver(T0, "dual", "dual/1", 2, Optional.of(new BackupId(1)), Optional.empty()));
    for (BackupStep step : BackupStep.values()) {
      procedure.stepCompleted(completed, step, Duration.ofSeconds(1));
    }
    for (Component component : Component.values()) {
      procedure.componentCompleted(completed, component, Duration.ofSeconds(1));
    }
    procedure.exportingResumed(completed, Duration.ofSeconds(3));
    return new Scrape(registry.scrape());
  }
}
