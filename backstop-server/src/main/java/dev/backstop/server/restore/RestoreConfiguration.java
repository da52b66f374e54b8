package dev.backstop.server.restore;

import dev.backstop.camunda.CamundaRestoreApis;
import dev.backstop.camunda.JsonHttp;
import dev.backstop.core.backup.BackupService;
import dev.backstop.core.procedure.BackupProcedure;
import dev.backstop.core.procedure.ClusterApisFactory;
import dev.backstop.core.restore.BackupInventory;
import dev.backstop.core.restore.ClusterRuntime;
import dev.backstop.core.restore.RestoreApis;
import dev.backstop.core.restore.RestoreProcedure;
import dev.backstop.core.restore.RestoreService;
import dev.backstop.server.Regions;
import dev.backstop.server.event.EventHub;
import dev.backstop.server.operation.OperationEngine;
import dev.backstop.server.persistence.JdbcBackupRepository;
import dev.backstop.server.persistence.JdbcClusters;
import dev.backstop.server.persistence.JdbcRestoreRepository;
import dev.backstop.storage.replication.ZeebeBackupInventory;
import java.nio.file.Path;
import dev.backstop.core.cluster.GenerationDetector;
import java.time.Clock;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the restore use cases, their procedure and the adapters they drive. */
@Configuration(proxyBeanMethods = false)
public class RestoreConfiguration {

  @Bean
  BackupInventory backupInventory(Regions regions) {
    return new ZeebeBackupInventory(regions);
  }

  @Bean
  RestoreApis.Factory restoreApis(JsonHttp.HostPolicy componentHostPolicy) {
    // The snapshot and index calls of a restore may take longer than a backup's status polls.
    JsonHttp slow = new JsonHttp(Duration.ofSeconds(5), Duration.ofMinutes(2), componentHostPolicy);
    return cluster -> new CamundaRestoreApis(slow, cluster.components());
  }

  /** The runtime each cluster names: its local processes, or the operator. */
  @Bean
  ClusterRuntime.Factory clusterRuntimes(Regions regions, RuntimeSettings settings) {
    ManualRuntime manual = new ManualRuntime(regions);
    return cluster -> switch (cluster.runtime().type()) {
      case MANUAL -> manual;
      case LOCAL_PROCESS -> LocalProcessRuntime.read(Path.of(cluster.runtime().descriptor().orElseThrow()), regions, settings);
    };
  }

  @Bean
  RestoreProcedure restoreProcedure(
      Clock clock, BackupProcedure backups, BackupInventory inventory, GenerationDetector generations,
      @Value("${backstop.restore.stop-timeout:PT1M}") Duration stopTimeout) {
    RestoreProcedure.Settings defaults = RestoreProcedure.Settings.DEFAULTS;
    RestoreProcedure.Settings settings = new RestoreProcedure.Settings(stopTimeout, defaults.snapshotRestoreTimeout(), defaults.verifyTimeout());
    RestoreProcedure procedure = new RestoreProcedure(clock, backups.waits(), settings, inventory);
    procedure.detectGenerationsWith(generations);
    return procedure;
  }

  @Bean
  RestoreService restoreService(
      JdbcRestoreRepository restores, JdbcBackupRepository backups, JdbcClusters clusters, RestoreProcedure procedure,
      ClusterApisFactory clusterApis, RestoreApis.Factory restoreApis, ClusterRuntime.Factory runtimes, BackupInventory inventory,
      OperationEngine engine, Clock clock, BackupService backupService, EventHub events) {
    RestoreService service =
        new RestoreService(restores, backups, clusters, procedure, clusterApis, restoreApis, runtimes, inventory, engine, clock);
    backupService.checkRestoresWith(service::restoring);
    service.publishEventsTo(events);
    return service;
  }
}
