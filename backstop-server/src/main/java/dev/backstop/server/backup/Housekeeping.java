package dev.backstop.server.backup;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import dev.backstop.core.backup.BackupService;
import dev.backstop.core.restore.RestoreService;
import dev.backstop.server.persistence.JdbcClusters;
import dev.backstop.core.event.Event;
import dev.backstop.core.event.EventSink;
import dev.backstop.server.event.EventHub;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A recurring db-scheduler task (one instance runs it at a time): finishes the deletion of clusters
 * whose backups are all gone, starts the deletion of their remaining backups, and queues any backup
 * whose work has no operation (a safety net; every change queues its work itself).
 */
@Configuration(proxyBeanMethods = false)
public class Housekeeping {

  public static final String TASK_NAME = "housekeeping";

  private static final Logger LOG = LoggerFactory.getLogger(Housekeeping.class);

  @Bean
  RecurringTask<Void> housekeepingTask(
      BackupService backups, RestoreService restores, JdbcClusters clusters, ClusterRegistry registry, EventHub events, Clock clock,
      @Value("${backstop.housekeeping-interval:PT30S}") Duration every) {
    return Tasks.recurring(TASK_NAME, FixedDelay.of(every)).execute((instance, context) -> run(backups, restores, clusters, registry, events, clock));
  }

  static void run(BackupService backups, RestoreService restores, JdbcClusters clusters, ClusterRegistry registry, EventSink events, Clock clock) {
    int queued = backups.queueWorkLeft();
    int restoring = restores.queueWorkLeft();
    LOG.debug("Housekeeping: {} backups and {} restores with work left are queued", queued, restoring);
    for (String clusterId : clusters.deletingClusterIds()) {
      registry.deleteRemainingBackups(clusterId);
      Optional<UUID> organization = clusters.findStored(clusterId).map(stored -> stored.cluster().organizationId());
      if (clusters.removeIfEmpty(clusterId)) {
        LOG.info("Cluster {} deleted with all its backups", clusterId);
        organization.ifPresent(org -> events.publish(new Event.ClusterRemoved(clock.instant(), clusterId, org)));
      }
    }
  }
}
