package dev.backstop.server;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import dev.backstop.core.organization.OrganizationService;
import dev.backstop.core.policy.PolicyService;
import dev.backstop.core.schedule.RunPlanner;
import dev.backstop.core.schedule.ScheduleService;
import dev.backstop.server.persistence.JdbcClusters;
import dev.backstop.server.persistence.JdbcOrganizations;
import dev.backstop.server.schedule.JdbcSchedules;
import dev.backstop.server.schedule.ScheduledBackups;
import java.time.Clock;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Wires the core's administration use cases to their ports: organizations and clients, backup
 * policies, schedules (the backup use cases are wired in {@code backup.BackupConfiguration}).
 */
@Configuration(proxyBeanMethods = false)
public class UseCaseConfiguration {

  @Bean
  OrganizationService organizationService(JdbcOrganizations organizations, PasswordEncoder encoder, Clock clock) {
    return new OrganizationService(organizations, encoder::encode, clock);
  }

  @Bean
  PolicyService policyService(JdbcClusters clusters) {
    return new PolicyService(clusters, clusters);
  }

  /** db-scheduler holds each cluster's next run (one task instance per cluster). */
  @Bean
  RunPlanner runPlanner(SchedulerClient scheduler, @Qualifier("scheduledBackupTask") CustomTask<Void> scheduledBackupTask) {
    return (clusterId, next) -> ScheduledBackups.plan(scheduler, scheduledBackupTask, clusterId, next);
  }

  @Bean
  ScheduleService scheduleService(JdbcClusters clusters, JdbcSchedules schedules, RunPlanner planner, Clock clock) {
    return new ScheduleService(clusters, schedules, planner, clock);
  }
}
