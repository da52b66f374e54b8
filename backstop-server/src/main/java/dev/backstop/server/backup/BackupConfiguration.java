package dev.backstop.server.backup;

import dev.backstop.camunda.CamundaClusterApis;
import dev.backstop.camunda.CamundaPreflight;
import dev.backstop.camunda.JsonHttp;
import dev.backstop.core.backup.BackupService;
import dev.backstop.core.backup.BackupStep;
import dev.backstop.core.cluster.Generation;
import dev.backstop.core.cluster.Preflight;
import dev.backstop.core.procedure.BackupProcedure;
import dev.backstop.core.procedure.ClusterApisFactory;
import dev.backstop.server.BackupSettings;
import dev.backstop.server.persistence.JdbcBackupRepository;
import dev.backstop.server.persistence.JdbcClusters;
import java.time.Clock;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the backup use cases. */
@Configuration(proxyBeanMethods = false)
public class BackupConfiguration {

  private static final Logger LOG = LoggerFactory.getLogger(BackupConfiguration.class);

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }

  @Bean
  JsonHttp componentHttp() {
    return JsonHttp.withDefaults();
  }

  @Bean
  Preflight preflight(JsonHttp http, Clock clock) {
    return new CamundaPreflight(http, clock);
  }

  @Bean
  ClusterApisFactory clusterApis(JsonHttp http) {
    return cluster -> {
      if (cluster.generation().procedureFamily() != Generation.ProcedureFamily.WEB_APPS_FIRST) {
        throw new UnsupportedOperationException("backups of generation " + cluster.generation() + " are not supported yet");
      }
      return new CamundaClusterApis(http, cluster.components());
    };
  }

  @Bean
  BackupWorkers backupWorkers() {
    return new BackupWorkers();
  }

  @Bean
  BackupProcedure backupProcedure(JdbcBackupRepository backups, Clock clock, BackupSettings settings) {
    return new BackupProcedure(backups::update, clock, settings.procedureSettings(), duration -> Thread.sleep(duration), stepListener(settings));
  }

  @Bean
  BackupService backupService(
      JdbcBackupRepository backups, JdbcClusters clusters, ClusterApisFactory apis, BackupProcedure procedure, Clock clock,
      BackupWorkers workers, BackupSettings settings) {
    String instanceId = "backstop-" + UUID.randomUUID();
    LOG.info("This instance is {}", instanceId);
    return new BackupService(backups, clusters, apis, procedure, clock, workers, instanceId, settings.lease());
  }

  /**
   * Fault injection for the crash tests: with {@code backstop.backup.halt-after-step} set, the JVM
   * halts right after that step was saved, with no shutdown hooks, as a crash would.
   */
  private static BackupProcedure.StepListener stepListener(BackupSettings settings) {
    if (settings.haltAfterStep() == null || settings.haltAfterStep().isBlank()) {
      return BackupProcedure.StepListener.NONE;
    }
    BackupStep haltAfter = BackupStep.valueOf(settings.haltAfterStep());
    LOG.warn("Fault injection: this JVM halts after step {} of any backup", haltAfter);
    return (backup, step) -> {
      if (step == haltAfter) {
        LOG.warn("Fault injection: halting after step {} of backup {}", step, backup.id());
        Runtime.getRuntime().halt(137);
      }
    };
  }
}
