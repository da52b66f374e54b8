package dev.backstop.server.support;

import dev.backstop.server.BackstopApplication;
import dev.backstop.testbed.Http;
import dev.backstop.testbed.Jdk;
import dev.backstop.testbed.ManagedProcess;
import dev.backstop.testbed.Ports;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Backstop server in a JVM of its own, on a given (shared) PostgreSQL: for the tests that kill
 * Backstop or run several instances. Tracked by the test bed's process guard like everything else.
 */
public final class BackstopProcess implements AutoCloseable {

  /** What every instance of one database shares (an external database needs it set). */
  public static final String KEY_ENCRYPTION_KEY = "YmFja3N0b3AtdGVzdHMtMzItYnl0ZXMtb2Yta2V5LSE=";


  public static final String OPERATOR = "process-operator";
  public static final String SECRET = "process-operator-secret-0123";

  private final ManagedProcess process;
  private final int port;

  public BackstopProcess(String name, String jdbcUrl, Path dir, String... extraArguments) {
    this.port = Ports.freeLoopbackPort();
    List<String> command =
        new ArrayList<>(
            List.of(
                Jdk.findJava().toString(),
                "-Xmx384m",
                "-cp",
                System.getProperty("java.class.path"),
                BackstopApplication.class.getName(),
                "--server.port=" + port,
                "--spring.datasource.url=" + jdbcUrl,
                "--spring.datasource.username=postgres",
                "--backstop.security.key-encryption-key=" + KEY_ENCRYPTION_KEY,
                "--backstop.data-dir=" + dir.resolve(name),
                "--backstop.admin.client-id=" + OPERATOR,
                "--backstop.admin.client-secret=" + SECRET,
                "--db-scheduler.scheduler-name=" + name,
                "--db-scheduler.heartbeat-interval=1s",
                "--backstop.backup.first-retry=PT1S",
                "--backstop.backup.max-retry=PT5S",
                "--backstop.housekeeping-interval=PT2S",
                "--backstop.backup.first-poll=PT0.25S",
                "--backstop.backup.max-poll=PT1S",
                "--db-scheduler.polling-interval=1s",
                "--backstop.security.component-networks=127.0.0.0/8"));
    if (List.of(extraArguments).stream().noneMatch(argument -> argument.startsWith("--backstop.regions."))) {
      // A region for registrations; nothing is written to it (same-region clusters).
      command.addAll(List.of("--backstop.regions.local-a.endpoint=http://127.0.0.1:1", "--backstop.regions.local-a.bucket=unused"));
    }
    command.addAll(List.of(extraArguments));
    String health = url() + "/actuator/health";
    this.process =
        new ManagedProcess(
            new ManagedProcess.Spec(name, command, Map.of(), dir, dir.resolve(name + ".log"), () -> new Http().isOk(health), Duration.ofMinutes(4)));
  }

  /** The settings of these test bed regions, keys included, as Backstop's command-line arguments. */
  public static List<String> regionArguments(dev.backstop.testbed.S3Region... regions) {
    List<String> arguments = new ArrayList<>();
    for (dev.backstop.testbed.S3Region region : regions) {
      arguments.addAll(List.of(
          "--backstop.regions." + region.name() + ".endpoint=" + region.endpoint(),
          "--backstop.regions." + region.name() + ".bucket=" + region.bucket(),
          "--backstop.regions." + region.name() + ".path-style=true",
          "--backstop.regions." + region.name() + ".access-key=" + region.accessKey(),
          "--backstop.regions." + region.name() + ".secret-key=" + region.secretKey()));
    }
    return arguments;
  }

  /** The settings of a test bed region reached at {@code endpoint} (e.g. a fault proxy in front of it). */
  public static List<String> regionArguments(dev.backstop.testbed.S3Region region, String endpoint) {
    List<String> arguments = regionArguments(region);
    arguments.replaceAll(argument -> argument.startsWith("--backstop.regions." + region.name() + ".endpoint=")
        ? "--backstop.regions." + region.name() + ".endpoint=" + endpoint : argument);
    return arguments;
  }

  public BackstopProcess start() {
    process.start();
    return this;
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  public Api operator() {
    return Api.as(url(), OPERATOR, SECRET);
  }

  public ManagedProcess process() {
    return process;
  }

  /** How many lines its log has now: {@link #logLinesAfter} reads what it logs from then on. */
  public int logLineCount() {
    return logLines().size();
  }

  /** The lines it logged after the first {@code count}. */
  public List<String> logLinesAfter(int count) {
    List<String> lines = logLines();
    return lines.subList(Math.min(count, lines.size()), lines.size());
  }

  private List<String> logLines() {
    try {
      return java.nio.file.Files.exists(process.logFile())
          ? java.nio.file.Files.readAllLines(process.logFile(), java.nio.charset.StandardCharsets.ISO_8859_1)
          : List.of();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    process.stop();
  }
}
