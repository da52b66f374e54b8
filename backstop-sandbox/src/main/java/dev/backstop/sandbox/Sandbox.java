package dev.backstop.sandbox;

import dev.backstop.server.BackstopProperties;
import dev.backstop.testbed.ManagedProcess;
import dev.backstop.testbed.Testbed;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the test bed next to the server: started before the server takes requests, stopped after
 * it stops taking them. Its data lives in {@code <data dir>/sandbox}, so a restarted server finds
 * the sandbox's processes, records and backups again. Reported as the {@code sandbox} health
 * component: DOWN when any of its processes has died.
 */
public class Sandbox implements SmartLifecycle, HealthIndicator {

  private static final Logger LOG = LoggerFactory.getLogger(Sandbox.class);

  private final Path workDirectory;
  private final SandboxRegistration registration;
  private volatile Testbed testbed;

  private final java.nio.file.Path runtimeDescriptor;

  public Sandbox(BackstopProperties properties, SandboxRegistration registration, dev.backstop.server.restore.RuntimeSettings runtime) {
    this.workDirectory = properties.dataDir().toAbsolutePath().normalize().resolve("sandbox");
    this.registration = registration;
    this.runtimeDescriptor = runtime.localDirectoryIfSet().orElseThrow().toAbsolutePath().normalize().resolve("sandbox.json");
  }

  @Override
  public void start() {
    LOG.info("Starting the sandbox's Camunda cluster under {} (about a minute)", workDirectory);
    testbed = Testbed.start(workDirectory);
    try {
      registration.register(testbed, runtimeDescriptor);
    } catch (RuntimeException e) {
      testbed.close();
      testbed = null;
      throw e;
    }
    LOG.info(
        "Sandbox ready in {} s: Zeebe REST {}, gRPC {}, Operate {}, Tasklist {}, OpenSearch {}",
        testbed.startDuration().toSeconds(),
        testbed.zeebe().url(),
        testbed.zeebeGrpcAddress(),
        testbed.operate().url(),
        testbed.tasklist().url(),
        testbed.searchUrl());
  }

  @Override
  public void stop() {
    Testbed running = testbed;
    if (running != null) {
      LOG.info("Stopping the sandbox's Camunda cluster");
      running.close();
      testbed = null;
    }
  }

  @Override
  public boolean isRunning() {
    return testbed != null;
  }

  /** Before the web server (which starts last): the sandbox is up when the API answers. */
  @Override
  public int getPhase() {
    return 0;
  }

  /** The running test bed, while the sandbox runs. */
  public Optional<Testbed> testbed() {
    return Optional.ofNullable(testbed);
  }

  @Override
  public Health health() {
    Testbed running = testbed;
    if (running == null) {
      return Health.down().withDetail("reason", "not started").build();
    }
    Health.Builder health = Health.up();
    for (ManagedProcess process : running.processes()) {
      // A component a restore stopped and started again runs under Backstop's runtime, not the test bed's handle.
      boolean runs = running.isRunning(process.name());
      health.withDetail(process.name(), runs ? "running" : "stopped");
      if (!runs) {
        health.down();
      }
    }
    return health.build();
  }
}
