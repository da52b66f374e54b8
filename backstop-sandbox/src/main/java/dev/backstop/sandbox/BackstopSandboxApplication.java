package dev.backstop.sandbox;

import dev.backstop.server.BackstopApplication;
import org.springframework.boot.SpringApplication;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * Backstop's server with the sandbox: the test bed is started before the server takes requests and
 * registered as cluster {@value SandboxRegistration#CLUSTER_ID}, and stopped when the server stops.
 * Its data is under {@code <backstop.data-dir>/sandbox}.
 */
@Configuration(proxyBeanMethods = false)
@Import({BackstopApplication.class, SandboxConfiguration.class})
public class BackstopSandboxApplication {

  public static void main(String[] args) {
    SpringApplication.run(BackstopSandboxApplication.class, args);
  }
}
