package dev.backstop.testbed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One component of the test bed running as a child process: it can be started, stopped
 * gracefully, killed, and started again on the same data and ports, which is what failure and
 * restore tests need.
 *
 * <p>{@link #start()} returns once the component answers its readiness probe, not after a fixed
 * sleep; it fails early, with the end of the component's log, if the process exits first.
 * Output goes to a log file that is appended to across restarts.
 */
public final class ManagedProcess implements AutoCloseable {

  /** Decides whether a started component is ready to be used. */
  @FunctionalInterface
  public interface ReadinessProbe {
    boolean isReady() throws Exception;
  }

  /** How to run a component. */
  public record Spec(
      String name,
      List<String> command,
      Map<String, String> environment,
      Path workingDirectory,
      Path logFile,
      ReadinessProbe readiness,
      Duration startTimeout) {
    public Spec {
      command = List.copyOf(command);
      environment = Map.copyOf(environment);
    }
  }

  private static final Duration GRACEFUL_STOP_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration READINESS_POLL_INTERVAL = Duration.ofMillis(250);

  private final Spec spec;
  private Process process;
  private Duration lastStartDuration = Duration.ZERO;

  public ManagedProcess(Spec spec) {
    this.spec = spec;
  }

  public String name() {
    return spec.name();
  }

  /** How it is run. */
  public Spec spec() {
    return spec;
  }

  public Path logFile() {
    return spec.logFile();
  }

  /**
   * How long the last {@link #start()} took until the component was ready, or the last {@link
   * #runToCompletion()} until the tool ended.
   */
  public synchronized Duration lastStartDuration() {
    return lastStartDuration;
  }

  /**
   * Starts the component and waits until it is ready.
   *
   * @throws IllegalStateException if it is running already
   * @throws TestbedException if it exits or is not ready within the start timeout; the process is
   *     killed then, so a failed start leaves nothing behind
   */
  public synchronized void start() {
    if (isRunning()) {
      throw new IllegalStateException(spec.name() + " is running already");
    }
    Instant started = Instant.now();
    launch(started);
    awaitReady(started);
    lastStartDuration = Duration.between(started, Instant.now());
  }

  /**
   * Runs a one-shot tool (such as Zeebe's restore tool) to its end; the spec's readiness probe is
   * not used, its start timeout bounds the whole run.
   *
   * @return the exit code
   * @throws IllegalStateException if it is running already
   * @throws TestbedException if it cannot be started or does not end within the start timeout;
   *     it is killed then, with everything it started
   */
  public synchronized int runToCompletion() {
    if (isRunning()) {
      throw new IllegalStateException(spec.name() + " is running already");
    }
    Instant started = Instant.now();
    launch(started);
    try {
      if (!process.waitFor(spec.startTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
        kill();
        throw new TestbedException(
            "%s did not end within %s; end of %s:%n%s"
                .formatted(spec.name(), spec.startTimeout(), spec.logFile(), logTail(40)));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      kill();
      throw new TestbedException("interrupted while " + spec.name() + " ran", e);
    }
    lastStartDuration = Duration.between(started, Instant.now());
    killDescendants();
    ProcessGuard.untrack(this);
    return process.exitValue();
  }

  private void launch(Instant started) {
    try {
      Files.createDirectories(spec.logFile().getParent());
      Files.createDirectories(spec.workingDirectory());
      Files.writeString(
          spec.logFile(),
          "%n--- backstop test bed: starting %s at %s ---%n".formatted(spec.name(), started),
          StandardCharsets.UTF_8,
          java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
      ProcessBuilder builder = new ProcessBuilder(spec.command());
      builder.directory(spec.workingDirectory().toFile());
      builder.environment().putAll(spec.environment());
      builder.environment().put(ProcessGuard.MARKER_VARIABLE, ProcessGuard.runId());
      builder.redirectErrorStream(true);
      builder.redirectOutput(ProcessBuilder.Redirect.appendTo(spec.logFile().toFile()));
      builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      ProcessGuard.track(this);
      process = builder.start();
    } catch (IOException e) {
      ProcessGuard.untrack(this);
      throw new TestbedException("could not start " + spec.name() + ": " + e.getMessage(), e);
    }
  }

  private void awaitReady(Instant started) {
    Instant deadline = started.plus(spec.startTimeout());
    Exception lastProbeFailure = null;
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        int exit = process.exitValue();
        kill();
        throw new TestbedException(
            "%s exited with code %d before it was ready; end of %s:%n%s"
                .formatted(spec.name(), exit, spec.logFile(), logTail(40)));
      }
      try {
        if (spec.readiness().isReady()) {
          return;
        }
      } catch (Exception e) {
        lastProbeFailure = e;
      }
      sleep(READINESS_POLL_INTERVAL);
    }
    kill();
    throw new TestbedException(
        "%s was not ready within %s (last probe failure: %s); end of %s:%n%s"
            .formatted(
                spec.name(),
                spec.startTimeout(),
                lastProbeFailure,
                spec.logFile(),
                logTail(40)));
  }

  /**
   * Stops processes in the reverse of the given (start) order; one that will not stop is killed,
   * and the others are stopped all the same.
   */
  public static void stopAllLastFirst(List<ManagedProcess> started) {
    List<ManagedProcess> toStop = new java.util.ArrayList<>(started);
    java.util.Collections.reverse(toStop);
    for (ManagedProcess process : toStop) {
      try {
        process.stop();
      } catch (RuntimeException e) {
        System.getLogger(ManagedProcess.class.getName())
            .log(System.Logger.Level.WARNING, "Could not stop {0}: {1}", process.name(), e.getMessage());
        process.kill();
      }
    }
  }

  /** Whether the process is alive (it may not be ready). */
  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** The process id while it runs. */
  public synchronized Optional<Long> pid() {
    return isRunning() ? Optional.of(process.pid()) : Optional.empty();
  }

  /**
   * Stops the component the way an operator would: SIGTERM, then up to 30 s for a clean shutdown,
   * then SIGKILL. Does nothing if it is not running.
   */
  public synchronized void stop() {
    if (process == null) {
      return;
    }
    if (process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(GRACEFUL_STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
          kill();
          return;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        kill();
        return;
      }
    }
    killDescendants();
    ProcessGuard.untrack(this);
  }

  /** Kills the component and everything it started at once (SIGKILL), as a crash would. */
  public synchronized void kill() {
    if (process == null) {
      return;
    }
    killDescendants();
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    ProcessGuard.untrack(this);
  }

  private void killDescendants() {
    process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
  }

  /** Stops the component if it runs and starts it again on the same data and ports. */
  public synchronized void restart() {
    stop();
    start();
  }

  @Override
  public void close() {
    stop();
  }

  /** The last lines of the component's log, for error messages. */
  public String logTail(int lines) {
    try {
      List<String> all = Files.readAllLines(spec.logFile(), StandardCharsets.ISO_8859_1);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(log not readable: " + e.getMessage() + ")";
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TestbedException("interrupted while waiting for a component", e);
    }
  }
}
