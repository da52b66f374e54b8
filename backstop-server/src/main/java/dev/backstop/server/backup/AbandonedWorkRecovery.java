package dev.backstop.server.backup;

import dev.backstop.core.backup.BackupService;
import dev.backstop.server.BackupSettings;
import dev.backstop.server.persistence.JdbcClusters;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Keeps the leases of this instance's work alive and takes over work nobody holds: at start (the
 * work of a Backstop that stopped), then every third of a lease. Also finishes the deletion of
 * clusters whose backups are all gone.
 */
@Component
public class AbandonedWorkRecovery implements SmartLifecycle {

  private static final Logger LOG = LoggerFactory.getLogger(AbandonedWorkRecovery.class);

  private final BackupService backups;
  private final JdbcClusters clusters;
  private final ClusterRegistry registry;
  private final Duration period;
  private ScheduledExecutorService timer;

  public AbandonedWorkRecovery(BackupService backups, JdbcClusters clusters, ClusterRegistry registry, BackupSettings settings) {
    this.backups = backups;
    this.clusters = clusters;
    this.registry = registry;
    Duration third = settings.lease().dividedBy(3);
    this.period = third.isZero() ? Duration.ofSeconds(1) : third;
  }

  @Override
  public void start() {
    timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("backup-recovery").daemon().factory());
    timer.scheduleWithFixedDelay(this::tick, 0, period.toMillis(), TimeUnit.MILLISECONDS);
  }

  void tick() {
    try {
      backups.renewLeases();
      backups.recoverAbandonedWork();
      for (String clusterId : clusters.deletingClusterIds()) {
        registry.deleteRemainingBackups(clusterId);
        if (clusters.removeIfEmpty(clusterId)) {
          LOG.info("Cluster {} deleted with all its backups", clusterId);
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("Recovery round failed; trying again in {}", period, e);
    }
  }

  @Override
  public void stop() {
    if (timer != null) {
      timer.shutdownNow();
    }
  }

  @Override
  public boolean isRunning() {
    return timer != null && !timer.isShutdown();
  }
}
