package dev.backstop.server.restore;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backstop.core.backup.BackupId;
import dev.backstop.core.cluster.Cluster;
import dev.backstop.core.restore.ClusterRuntime;
import dev.backstop.server.Regions;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runtime of a cluster whose components run as processes on Backstop's own machine (the test
 * bed, the sandbox), as a descriptor file says: per process its command, environment, working
 * directory, log file, pid file and readiness URL; per broker also its data directory and the
 * restore tool's command.
 *
 * <p>Processes are started detached ({@code setsid -f}), so that they outlive the Backstop that
 * started them, and a pid file records each (pid and start time, so that a reused pid is never
 * taken for the component). Every call is idempotent: a stopped process stays stopped, a running
 * one is left running, and a broker's restore starts over from an empty data directory after
 * stopping a restore tool an earlier run left running.
 */
final class LocalProcessRuntime implements ClusterRuntime {

  private static final Logger LOG = LoggerFactory.getLogger(LocalProcessRuntime.class);
  private static final Duration GRACEFUL_STOP = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  /** The descriptor file's content. */
  record Descriptor(List<Proc> zeebe, List<Proc> webApps) {
    Descriptor {
      zeebe = zeebe == null ? List.of() : List.copyOf(zeebe);
      webApps = webApps == null ? List.of() : List.copyOf(webApps);
    }
  }

  /** One process of the cluster. */
  record Proc(
      String name,
      List<String> command,
      Map<String, String> environment,
      String workingDirectory,
      String logFile,
      String pidFile,
      String readinessUrl,
      String dataDirectory,
      List<String> restoreCommand,
      Map<String, String> restoreEnvironment) {}

  private final Descriptor descriptor;
  private final Regions regions;
  private final RuntimeSettings settings;
  /** One client for every readiness probe of every runtime (a client per runtime would never be closed). */
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  /** What a launched process inherits from Backstop's environment: nothing secret, only what a shell needs. */
  private static final List<String> INHERITED = List.of("PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR", "USER");

  private LocalProcessRuntime(Descriptor descriptor, Regions regions, RuntimeSettings settings) {
    this.descriptor = descriptor;
    this.regions = regions;
    this.settings = settings;
  }

  /** @throws ClusterRuntime.RuntimeFailure when the descriptor cannot be read */
  static LocalProcessRuntime read(Path file, Regions regions, RuntimeSettings settings) {
    if (!settings.allows(file)) {
      throw new RuntimeFailure("the runtime descriptor " + file + " is not inside backstop.runtime.local-directory");
    }
    try {
      return new LocalProcessRuntime(JSON.readValue(file.toFile(), Descriptor.class), regions, settings);
    } catch (IOException e) {
      throw new RuntimeFailure("the runtime descriptor " + file + " cannot be read: " + e.getMessage(), e);
    }
  }

  @Override
  public Step stopComponents(Cluster cluster) {
    List<String> stopped = new ArrayList<>();
    List<Proc> all = new ArrayList<>(descriptor.webApps());
    all.addAll(descriptor.zeebe());
    eachAtOnce(all, proc -> {
      if (stop(proc)) {
        synchronized (stopped) {
          stopped.add(proc.name());
        }
      }
    });
    return new Done(stopped.isEmpty() ? "nothing was running" : "stopped " + String.join(", ", stopped));
  }

  @Override
  public Step restoreBrokers(Cluster cluster, BackupId id, String sourceRegion) {
    Map<String, String> store = regions.zeebeStoreEnvironment(sourceRegion, cluster.storage().zeebeBasePath());
    List<String> done = new ArrayList<>();
    for (Proc broker : descriptor.zeebe()) {
      if (running(broker).isPresent()) {
        throw new RuntimeFailure(broker.name() + " is running: its data cannot be replaced");
      }
      Path pidFile = Path.of(broker.pidFile() + ".restore");
      running(pidFile).ifPresent(LocalProcessRuntime::terminate); // a tool an earlier run left behind
      emptyDirectory(Path.of(broker.dataDirectory()));
      Map<String, String> env = new LinkedHashMap<>(broker.restoreEnvironment() == null ? Map.of() : broker.restoreEnvironment());
      env.putAll(store);
      List<String> command = new ArrayList<>(broker.restoreCommand());
      command.add("--backupId=" + id.value());
      Path log = Path.of(broker.logFile()).resolveSibling(broker.name() + "-restore.log");
      Instant began = Instant.now();
      Process tool = launch(command, env, Path.of(broker.workingDirectory()), log, Optional.empty());
      writePidFile(pidFile, tool.toHandle());
      try {
        if (!tool.waitFor(settings.restoreToolTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
          terminate(tool.toHandle());
          throw failure("Zeebe's restore tool did not end within " + settings.restoreToolTimeout() + " for " + broker.name(), log);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        terminate(tool.toHandle());
        throw new RuntimeFailure("interrupted while Zeebe's restore tool ran for " + broker.name(), e);
      }
      deleteQuietly(pidFile);
      if (tool.exitValue() != 0) {
        throw failure("Zeebe's restore tool failed for " + broker.name() + " (exit code " + tool.exitValue() + ")", log);
      }
      done.add(broker.name() + " in " + Duration.between(began, Instant.now()).toMillis() + " ms");
    }
    return new Done("restored backup " + id + " from " + sourceRegion + " into " + String.join(", ", done));
  }

  @Override
  public Step startComponents(Cluster cluster) {
    List<String> started = new ArrayList<>();
    // Brokers together (a broker is ready only once it reaches its partitions' peers), then the
    // web apps, which do not depend on each other, together.
    eachAtOnce(descriptor.zeebe(), broker -> start(broker, started));
    eachAtOnce(descriptor.webApps(), app -> start(app, started));
    return new Done(started.isEmpty() ? "everything was running" : "started " + String.join(", ", started));
  }

  // ---------------------------------------------------------------------------------- processes

  /** @return whether it was running */
  private boolean stop(Proc proc) {
    Optional<ProcessHandle> process = running(proc);
    process.ifPresent(LocalProcessRuntime::terminate);
    deleteQuietly(Path.of(proc.pidFile()));
    process.ifPresent(p -> LOG.info("Stopped {} (pid {})", proc.name(), p.pid()));
    return process.isPresent();
  }

  private void start(Proc proc, List<String> started) {
    Instant began = Instant.now();
    Path launchFile = Path.of(proc.pidFile() + ".launch");
    // A run stopped between launching and writing the pid file left the pid in the launch file.
    ProcessHandle process = running(proc).or(() -> launchedBefore(launchFile)).orElse(null);
    if (process == null) {
      deleteQuietly(launchFile);
      launch(proc.command(), proc.environment(), Path.of(proc.workingDirectory()), Path.of(proc.logFile()), Optional.of(launchFile));
      process = detachedChild(launchFile, proc.name());
      synchronized (started) {
        started.add(proc.name());
      }
    }
    writePidFile(Path.of(proc.pidFile()), process);
    deleteQuietly(launchFile);
    awaitReady(proc, process, began);
    LOG.info("{} is ready (pid {}) after {} ms", proc.name(), process.pid(), Duration.between(began, Instant.now()).toMillis());
  }

  private void awaitReady(Proc proc, ProcessHandle process, Instant began) {
    Instant deadline = began.plus(settings.startTimeout());
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw failure(proc.name() + " exited before it was ready", Path.of(proc.logFile()));
      }
      if (answersOk(proc.readinessUrl())) {
        return;
      }
      sleep(Duration.ofMillis(500));
    }
    throw failure(proc.name() + " was not ready within " + settings.startTimeout() + " (" + proc.readinessUrl() + ")", Path.of(proc.logFile()));
  }

  private boolean answersOk(String url) {
    try {
      HttpResponse<Void> response =
          HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).GET().build(), HttpResponse.BodyHandlers.discarding());
      return response.statusCode() / 100 == 2;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RuntimeFailure("interrupted", e);
    }
  }

  /**
   * Starts a command, its output appended to {@code log}; with a launch file, through {@code
   * setsid -f} so that it is no child of Backstop's (its shell writes its pid there, then becomes
   * the command).
   */
  private static Process launch(List<String> command, Map<String, String> env, Path directory, Path log, Optional<Path> launchFile) {
    try {
      Files.createDirectories(log.getParent());
      Files.writeString(log, "%n--- backstop: starting at %s ---%n".formatted(Instant.now()), StandardCharsets.UTF_8,
          java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
      List<String> full = new ArrayList<>();
      launchFile.ifPresent(file -> full.addAll(List.of("setsid", "-f", "sh", "-c", "echo $$ > \"$0\"; exec \"$@\"", file.toString())));
      full.addAll(command);
      ProcessBuilder builder = new ProcessBuilder(full).directory(directory.toFile());
      builder.environment().keySet().retainAll(INHERITED);
      builder.environment().putAll(env);
      builder.redirectErrorStream(true);
      builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      return builder.start();
    } catch (IOException e) {
      throw new RuntimeFailure("could not start " + command.get(0) + ": " + e.getMessage(), e);
    }
  }

  /**
   * The process an earlier launch started, if it runs: the launch file's pid, alive and started
   * no earlier than the file was written.
   */
  private static Optional<ProcessHandle> launchedBefore(Path launchFile) {
    try {
      if (!Files.exists(launchFile)) {
        return Optional.empty();
      }
      Instant written = Files.getLastModifiedTime(launchFile).toInstant();
      String pid = Files.readString(launchFile).strip();
      return ProcessHandle.of(Long.parseLong(pid))
          .filter(ProcessHandle::isAlive)
          .filter(p -> p.info().startInstant().map(started -> !started.isBefore(written.minusSeconds(2))).orElse(false));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** The process {@code setsid -f} started: its pid, written by the launch shell to the launch file. */
  private static ProcessHandle detachedChild(Path launchFile, String name) {
    Instant deadline = Instant.now().plusSeconds(10);
    while (Instant.now().isBefore(deadline)) {
      try {
        String pid = Files.exists(launchFile) ? Files.readString(launchFile).strip() : "";
        if (!pid.isEmpty()) {
          return ProcessHandle.of(Long.parseLong(pid)).orElseThrow(() -> new RuntimeFailure(name + " exited at once (pid " + pid + ")"));
        }
      } catch (IOException | NumberFormatException e) {
        // written but not complete yet: read again
      }
      sleep(Duration.ofMillis(50));
    }
    throw new RuntimeFailure(name + " did not start: no pid in " + launchFile + " after 10 s");
  }

  /** The process a pid file names, if it still runs (the same process: same start time). */
  private static Optional<ProcessHandle> running(Path pidFile) {
    try {
      if (!Files.exists(pidFile)) {
        return Optional.empty();
      }
      String[] fields = Files.readString(pidFile).strip().split("\\s+");
      Optional<ProcessHandle> process = ProcessHandle.of(Long.parseLong(fields[0])).filter(ProcessHandle::isAlive);
      if (fields.length > 1) {
        Instant recorded = Instant.parse(fields[1]);
        process = process.filter(p -> p.info().startInstant().map(recorded::equals).orElse(false));
      }
      return process;
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static Optional<ProcessHandle> running(Proc proc) {
    return running(Path.of(proc.pidFile()));
  }

  private static void writePidFile(Path pidFile, ProcessHandle process) {
    try {
      Files.createDirectories(pidFile.toAbsolutePath().getParent());
      String started = process.info().startInstant().map(Instant::toString).orElse("");
      Files.writeString(pidFile, process.pid() + " " + started + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** SIGTERM to the process and its descendants, up to {@link #GRACEFUL_STOP} for a clean exit, then SIGKILL. */
  private static void terminate(ProcessHandle process) {
    List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
    tree.add(process);
    tree.forEach(ProcessHandle::destroy);
    Instant deadline = Instant.now().plus(GRACEFUL_STOP);
    for (ProcessHandle member : tree) {
      try {
        member.onExit().get(Math.max(1, Duration.between(Instant.now(), deadline).toMillis()), TimeUnit.MILLISECONDS);
      } catch (Exception notInTime) {
        member.destroyForcibly();
      }
    }
    for (ProcessHandle member : tree) {
      try {
        member.onExit().get(10, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // reported by the caller's next check (the component still answering)
      }
    }
  }

  /** Runs {@code action} for every item at once (virtual threads); the first failure is thrown once all ended. */
  private static <T> void eachAtOnce(List<T> items, java.util.function.Consumer<T> action) {
    List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
    try (var executor = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
      items.forEach(item -> futures.add(executor.submit(() -> action.accept(item))));
    }
    for (var future : futures) {
      try {
        future.get();
      } catch (java.util.concurrent.ExecutionException e) {
        throw e.getCause() instanceof RuntimeException cause ? cause : new RuntimeFailure(e.getCause().toString(), e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RuntimeFailure("interrupted", e);
      }
    }
  }

  private static void emptyDirectory(Path directory) {
    try {
      Files.createDirectories(directory);
      try (Stream<Path> entries = Files.walk(directory)) {
        for (Path path : entries.sorted(Comparator.reverseOrder()).toList()) {
          if (!path.equals(directory)) {
            Files.delete(path);
          }
        }
      }
    } catch (IOException e) {
      throw new RuntimeFailure("could not empty " + directory + ": " + e.getMessage(), e);
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // a stale pid file is recognised by its start time
    }
  }

  /**
   * A failure whose reason names the log; the log's end goes to Backstop's own log only (a
   * reason is shown to the cluster's API clients, a component's log may say more than they should see).
   */
  private static RuntimeFailure failure(String what, Path log) {
    LOG.warn("{}; end of {}:\n{}", what, log, tail(log));
    return new RuntimeFailure(what + "; see " + log.getFileName() + " on the Backstop host");
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(log not readable: " + e.getMessage() + ")";
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RuntimeFailure("interrupted", e);
    }
  }
}
