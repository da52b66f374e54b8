package dev.backstop.server.metrics;

import dev.backstop.core.backup.Backup;
import dev.backstop.core.backup.BackupStep;
import dev.backstop.core.procedure.BackupObserver;
import java.time.Duration;

/**
 * The backup procedure's timings as histograms: steps, components' backups, paused exporting. The
 * procedure measures (with its clock) and tells each at most once; this only records.
 */
@org.springframework.stereotype.Component
public class ProcedureMetrics implements BackupObserver {

  private final BackstopMeters meters;

  public ProcedureMetrics(BackstopMeters meters) {
    this.meters = meters;
  }

  @Override
  public void stepCompleted(Backup backup, BackupStep step, Duration took) {
    meters.stepDuration(step).record(took);
  }

  @Override
  public void componentCompleted(Backup backup, dev.backstop.core.backup.Component component, Duration took) {
    meters.componentDuration(component).record(took);
  }

  @Override
  public void exportingResumed(Backup backup, Duration pausedFor) {
    meters.exportingPaused().record(pausedFor);
  }
}
