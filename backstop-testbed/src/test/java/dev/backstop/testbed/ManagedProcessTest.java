package dev.backstop.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a component's process is started, stopped, killed and cleaned up after. */
class ManagedProcessTest {

  @TempDir Path dir;

  @Test
  void shouldReturnFromStartOnlyOnceTheReadinessProbeAnswers() {
    // given: a component that becomes ready only after a while
    AtomicBoolean ready = new AtomicBoolean();
    ManagedProcess process = sleeper("slow", () -> ready.get(), Duration.ofSeconds(30));
    Thread.ofVirtual().start(() -> {
      sleepQuietly(Duration.ofMillis(700));
      ready.set(true);
    });

    // when
    process.start();

    // then
    try (process) {
      assertThat(ready).isTrue();
      assertThat(process.isRunning()).isTrue();
      assertThat(process.lastStartDuration()).isGreaterThanOrEqualTo(Duration.ofMillis(500));
    }
    assertThat(process.isRunning()).isFalse();
  }

  @Test
  void shouldFailFastWithTheEndOfTheLogWhenTheProcessExitsBeforeItIsReady() {
    // given
    ManagedProcess process =
        new ManagedProcess(
            spec("crasher", List.of("bash", "-c", "echo 'port already in use'; exit 3"), () -> false, Duration.ofMinutes(1)));

    // when / then: long before the timeout, with the reason from the log
    long begin = System.nanoTime();
    assertThatThrownBy(process::start)
        .isInstanceOf(TestbedException.class)
        .hasMessageContaining("crasher exited with code 3")
        .hasMessageContaining("port already in use");
    assertThat(Duration.ofNanos(System.nanoTime() - begin)).isLessThan(Duration.ofSeconds(20));
  }

  @Test
  void shouldKillTheProcessWhenItIsNotReadyInTime() {
    // given
    ManagedProcess process = sleeper("never-ready", () -> false, Duration.ofSeconds(1));

    // when / then
    assertThatThrownBy(process::start).isInstanceOf(TestbedException.class).hasMessageContaining("not ready within");
    assertThat(process.isRunning()).isFalse();
  }

  @Test
  void shouldStartAgainAfterAKill() {
    // given
    ManagedProcess process = sleeper("phoenix", () -> true, Duration.ofSeconds(10));
    process.start();
    long firstPid = process.pid().orElseThrow();

    // when
    process.kill();
    assertThat(process.isRunning()).isFalse();
    process.start();

    // then
    try (process) {
      assertThat(process.pid()).isPresent().get().isNotEqualTo(firstPid);
    }
  }

  @Test
  void shouldRunAToolToItsEndAndReturnItsExitCode() {
    // given: a tool that writes to its log and fails
    ManagedProcess tool =
        new ManagedProcess(spec("tool", List.of("bash", "-c", "echo 'restoring'; sleep 0.3; exit 4"), () -> false, Duration.ofSeconds(30)));

    // when
    int exit = tool.runToCompletion();

    // then: the readiness probe did not matter, the log holds its output
    assertThat(exit).isEqualTo(4);
    assertThat(tool.isRunning()).isFalse();
    assertThat(tool.logTail(5)).contains("restoring");
    assertThat(tool.lastStartDuration()).isGreaterThanOrEqualTo(Duration.ofMillis(250));
  }

  @Test
  void shouldKillAToolThatDoesNotEndInTime() {
    // given
    ManagedProcess tool = new ManagedProcess(spec("stuck", List.of("bash", "-c", "echo 'waiting'; sleep 300"), () -> false, Duration.ofSeconds(1)));

    // when / then
    assertThatThrownBy(tool::runToCompletion)
        .isInstanceOf(TestbedException.class)
        .hasMessageContaining("stuck did not end within PT1S")
        .hasMessageContaining("waiting");
    assertThat(tool.isRunning()).isFalse();
  }

  @Test
  void shouldKillTheProcessesOfAJvmThatWasKilled() throws Exception {
    // given: another JVM that starts a long-running child through the test bed, then is killed -9
    Process jvm =
        new ProcessBuilder(
                Jdk.findJava().toString(),
                "-cp",
                System.getProperty("java.class.path"),
                OrphanMaker.class.getName(),
                dir.toString())
            .redirectErrorStream(true)
            .start();
    long childPid;
    try (BufferedReader out = new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      do {
        line = out.readLine();
      } while (line != null && !line.startsWith("child "));
      assertThat(line).as("the other JVM reports its child").isNotNull();
      childPid = Long.parseLong(line.substring("child ".length()).trim());
    }
    assertThat(ProcessHandle.of(childPid)).isPresent();

    // when
    jvm.destroyForcibly().waitFor();

    // then: the watchdog kills the orphan
    await("the orphaned child is killed")
        .atMost(Duration.ofSeconds(20))
        .until(() -> ProcessHandle.of(childPid).map(p -> !p.isAlive()).orElse(true));
  }

  /** Run in a JVM of its own by the test above. */
  public static final class OrphanMaker {
    public static void main(String[] args) throws Exception {
      ManagedProcess child =
          new ManagedProcess(
              new ManagedProcess.Spec(
                  "orphan",
                  List.of("sleep", "300"),
                  Map.of(),
                  Path.of(args[0]),
                  Path.of(args[0], "orphan.log"),
                  () -> true,
                  Duration.ofSeconds(10)));
      child.start();
      System.out.println("child " + child.pid().orElseThrow());
      System.out.flush();
      Thread.sleep(Duration.ofMinutes(5));
    }
  }

  private ManagedProcess sleeper(String name, ManagedProcess.ReadinessProbe probe, Duration timeout) {
    return new ManagedProcess(spec(name, List.of("sleep", "300"), probe, timeout));
  }

  private ManagedProcess.Spec spec(String name, List<String> command, ManagedProcess.ReadinessProbe probe, Duration timeout) {
    return new ManagedProcess.Spec(name, command, Map.of(), dir, dir.resolve(name + ".log"), probe, timeout);
  }

  private static void sleepQuietly(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
