package dev.backstop.server;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;

/**
 * Refuses {@code backstop.sandbox=true} ({@code BACKSTOP_SANDBOX=true}) on the plain server, before
 * anything starts: the sandbox used to be switched on that way, and is now an application of its own
 * (module {@code backstop-sandbox}). Ignoring the switch would start a server without the cluster
 * its user asked for.
 */
final class SandboxSwitchCheck implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

  static final String SANDBOX_COMMAND = "mvn -Psandbox -pl backstop-sandbox -am -DskipTests package spring-boot:run";

  @Override
  public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
    if (event.getEnvironment().getProperty("backstop.sandbox", Boolean.class, false)) {
      throw new IllegalStateException(
          "BACKSTOP_SANDBOX (backstop.sandbox) is true, but the sandbox is no longer part of the server: "
              + "it is the application of module backstop-sandbox. Start it in the project directory with `"
              + SANDBOX_COMMAND + "` (BACKSTOP_SANDBOX is not needed), or unset BACKSTOP_SANDBOX to start the "
              + "server alone.");
    }
  }
}
