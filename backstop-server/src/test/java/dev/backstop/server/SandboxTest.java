package dev.backstop.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstop.server.sandbox.Sandbox;
import dev.backstop.testbed.ManagedProcess;
import dev.backstop.testbed.Testbed;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** BACKSTOP_SANDBOX=true: a real local Camunda cluster next to the server, stopped with it. */
class SandboxTest {

  @TempDir Path dataDir;

  @Test
  void shouldStartTheTestbedWithTheServerAndStopItOnShutdown() {
    List<ProcessHandle> processes;
    // when
    try (ConfigurableApplicationContext server =
        new SpringApplicationBuilder(BackstopApplication.class)
            .run("--server.port=0", "--backstop.data-dir=" + dataDir, "--backstop.sandbox=true")) {

      // then: every component runs, with its data under the data directory
      Sandbox sandbox = server.getBean(Sandbox.class);
      Testbed testbed = sandbox.testbed().orElseThrow();
      assertThat(sandbox.health().getStatus()).isEqualTo(Status.UP);
      assertThat(testbed.workDirectory()).isEqualTo(dataDir.toAbsolutePath().resolve("sandbox"));
      assertThat(testbed.processes())
          .extracting(ManagedProcess::name)
          .containsExactlyInAnyOrder("s3proxy-local-a", "s3proxy-local-b", "opensearch", "zeebe", "operate", "tasklist");
      processes =
          testbed.processes().stream()
              .map(p -> ProcessHandle.of(p.pid().orElseThrow()).orElseThrow())
              .toList();
      assertThat(processes).allMatch(ProcessHandle::isAlive);
    }

    // and: shutting the server down stops them all
    assertThat(processes).noneMatch(ProcessHandle::isAlive);
  }
}
