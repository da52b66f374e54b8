package dev.backstop.server;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Backstop's server: the Administration API, the backup procedures' runtime, the console. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class BackstopApplication {

  /** Starts the server; it refuses {@code BACKSTOP_SANDBOX=true} (see {@link SandboxSwitchCheck}). */
  public static void main(String[] args) {
    SpringApplication application = new SpringApplication(BackstopApplication.class);
    application.addListeners(new SandboxSwitchCheck());
    application.run(args);
  }
}
