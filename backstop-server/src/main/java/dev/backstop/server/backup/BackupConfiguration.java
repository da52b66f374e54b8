package dev.backstop.server.backup;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import dev.backstop.camunda.CamundaClusterApis;
import dev.backstop.camunda.CamundaGenerationDetector;
import dev.backstop.camunda.CamundaPreflight;
import dev.backstop.camunda.JsonHttp;
import dev.backstop.core.backup.BackupService;
import dev.backstop.core.operation.OperationHandler;
import dev.backstop.core.restore.RestoreService;
import dev.backstop.core.cluster.GenerationDetector;
import dev.backstop.core.cluster.Preflight;
import dev.backstop.core.procedure.BackupObserver;
import dev.backstop.core.procedure.BackupProcedure;
import dev.backstop.core.procedure.ClusterApisFactory;
import dev.backstop.core.replication.Replicator;
import dev.backstop.server.BackupSettings;
import dev.backstop.server.Regions;
import dev.backstop.server.persistence.PostgresExclusion;
import dev.backstop.storage.replication.StoreReplicator;
import dev.backstop.server.event.EventHub;
import dev.backstop.server.operation.OperationEngine;
import dev.backstop.server.persistence.JdbcBackupRepository;
import dev.backstop.server.persistence.JdbcClusters;
import java.time.Clock;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the backup use cases, the backup procedure and the operation engine they run on. */
@Configuration(proxyBeanMethods = false)
public class BackupConfiguration {

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }

  @Bean
  JsonHttp componentHttp(JsonHttp.HostPolicy componentHostPolicy, BackupSettings settings) {
    return new JsonHttp(Duration.ofSeconds(5), settings.requestTimeout(), componentHostPolicy);
  }

  @Bean
  Preflight preflight(JsonHttp http, Clock clock) {
    return new CamundaPreflight(http, clock);
  }

  @Bean
  GenerationDetector generationDetector(JsonHttp http) {
    return new CamundaGenerationDetector(http);
  }

  @Bean
  ClusterApisFactory clusterApis(JsonHttp http) {
    // Which endpoints each generation has is CamundaClusterApis' knowledge; it refuses 8.9 and later.
    return cluster -> new CamundaClusterApis(http, cluster.generation(), cluster.components());
  }

  @Bean
  BackupProcedure backupProcedure(Clock clock, BackupSettings settings, BackupObserver observer) {
    return new BackupProcedure(clock, settings.procedureSettings(), duration -> Thread.sleep(duration), BackupProcedure.StepListener.NONE, observer);
  }

  /** How long an execution may go without a heartbeat before db-scheduler calls it dead. */
  public record DeadLimit(java.time.Duration value) {}

  @Bean
  DeadLimit deadLimit(
      @org.springframework.beans.factory.annotation.Value("${db-scheduler.heartbeat-interval:5m}") java.time.Duration heartbeatInterval,
      @org.springframework.beans.factory.annotation.Value("${db-scheduler.missed-heartbeats-limit:6}") int missedHeartbeats) {
    return new DeadLimit(heartbeatInterval.multipliedBy(missedHeartbeats));
  }

  @Bean
  OperationEngine operationEngine(
      ObjectProvider<Scheduler> scheduler, Clock clock, ObjectProvider<BackupService> backups, ObjectProvider<RestoreService> restores,
      BackupSettings settings, EventHub events, DeadLimit deadLimit) {
    // One engine runs both kinds of operation; a restore's key says it is one.
    OperationHandler router = ticket -> RestoreService.isRestoreOperation(ticket.operation())
        ? restores.getObject().run(ticket)
        : backups.getObject().run(ticket);
    return new OperationEngine(scheduler, clock, () -> router, settings.cleanupRetries(), events, deadLimit.value());
  }

  @Bean
  CustomTask<Void> backupOperationTask(OperationEngine engine) {
    return engine.task();
  }

  @Bean
  Replicator replicator(Regions regions, PostgresExclusion exclusion, BackupSettings settings) {
    return StoreReplicator.create(regions, exclusion, new StoreReplicator.Settings(settings.replicationParallelism()));
  }

  @Bean
  BackupService backupService(
      JdbcBackupRepository backups, JdbcClusters clusters, ClusterApisFactory apis, BackupProcedure procedure, Clock clock,
      OperationEngine engine, Replicator replicator, BackupSettings settings, EventHub events, GenerationDetector generations) {
    BackupService service = new BackupService(backups, clusters, apis, procedure, clock, engine, replicator, settings.replicationSettings());
    service.publishEventsTo(events);
    service.detectGenerationsWith(generations);
    return service;
  }
}
