package dev.backstop.sandbox;

import dev.backstop.core.cluster.Preflight;
import dev.backstop.server.BackstopProperties;
import dev.backstop.server.Regions;
import dev.backstop.server.persistence.JdbcClusters;
import dev.backstop.server.persistence.JdbcOrganizations;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import dev.backstop.server.restore.RuntimeSettings;
import org.springframework.context.annotation.Configuration;

/**
 * The sandbox's beans, added to the server's own. The {@code sandbox} bean is also the {@code
 * sandbox} health component.
 */
@Configuration(proxyBeanMethods = false)
public class SandboxConfiguration {

  @Bean
  SandboxRegistration sandboxRegistration(
      JdbcOrganizations organizations, JdbcClusters clusters, Regions regions, Preflight preflight, Clock clock) {
    return new SandboxRegistration(organizations, clusters, regions, preflight, clock);
  }

  @Bean
  Sandbox sandbox(BackstopProperties properties, SandboxRegistration registration, RuntimeSettings runtime) {
    return new Sandbox(properties, registration, runtime);
  }
}
