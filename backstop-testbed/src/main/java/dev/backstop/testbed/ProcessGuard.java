package dev.backstop.testbed;

import java.io.File;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Makes sure that nothing the test bed starts outlives the JVM that started it.
 *
 * <p>Every child process carries the environment variable {@value #MARKER_VARIABLE} with this
 * JVM's run id (children of children inherit it). Two mechanisms use it:
 *
 * <ul>
 *   <li>a shutdown hook stops the processes still running when the JVM exits normally;
 *   <li>a small watchdog process, started once, waits for this JVM to disappear by any means
 *       (including {@code kill -9} or a crashed test fork) and then kills every process that
 *       carries the run id.
 * </ul>
 *
 * The marker also lets CI check, after the suite, that no test bed process is left anywhere.
 */
public final class ProcessGuard {

  /** The environment variable that marks every process the test bed starts. */
  public static final String MARKER_VARIABLE = "BACKSTOP_TESTBED_RUN";

  private static final String RUN_ID = UUID.randomUUID().toString();
  private static final Set<ManagedProcess> RUNNING = ConcurrentHashMap.newKeySet();
  private static volatile boolean armed;

  private ProcessGuard() {}

  /** The value of {@value #MARKER_VARIABLE} in this JVM's children. */
  public static String runId() {
    return RUN_ID;
  }

  static void track(ManagedProcess process) {
    arm();
    RUNNING.add(process);
  }

  static void untrack(ManagedProcess process) {
    RUNNING.remove(process);
  }

  private static synchronized void arm() {
    if (armed) {
      return;
    }
    Runtime.getRuntime()
        .addShutdownHook(new Thread(ProcessGuard::stopAll, "testbed-process-guard"));
    startWatchdog();
    armed = true;
  }

  private static void stopAll() {
    // Kill rather than stop: a JVM on its way out has no time for graceful shutdowns of several
    // JVMs in turn, and everything here is test data.
    for (ManagedProcess process : List.copyOf(RUNNING)) {
      try {
        process.kill();
      } catch (RuntimeException e) {
        System.err.println("test bed: could not kill " + process.name() + ": " + e.getMessage());
      }
    }
  }

  private static void startWatchdog() {
    long jvm = ProcessHandle.current().pid();
    String script =
        "while kill -0 "
            + jvm
            + " 2>/dev/null; do sleep 1; done\n"
            + "for f in /proc/[0-9]*/environ; do\n"
            + "  if grep -qxz '"
            + MARKER_VARIABLE
            + "="
            + RUN_ID
            + "' \"$f\" 2>/dev/null; then p=${f#/proc/}; kill -9 ${p%/environ} 2>/dev/null; fi\n"
            + "done\n";
    ProcessBuilder builder = new ProcessBuilder("bash", "-c", script);
    builder.environment().remove(MARKER_VARIABLE);
    builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    builder.redirectError(ProcessBuilder.Redirect.DISCARD);
    try {
      builder.start();
    } catch (IOException e) {
      // Without bash (not a machine we support), the shutdown hook still covers normal exits.
      System.err.println("test bed: no watchdog for orphaned processes: " + e.getMessage());
    }
  }
}
