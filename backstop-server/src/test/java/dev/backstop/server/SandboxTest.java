package dev.backstop.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backstop.server.sandbox.Sandbox;
import dev.backstop.server.support.Api;
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
            .run(
                "--server.port=0",
                "--backstop.data-dir=" + dataDir,
                "--backstop.sandbox=true",
                "--backstop.admin.client-id=sandbox-operator",
                "--backstop.admin.client-secret=sandbox-operator-secret")) {

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

      // and: its cluster is registered as "sandbox" of the ENTERPRISE organization "sandbox"
      Api operator = Api.as("http://127.0.0.1:" + server.getEnvironment().getProperty("local.server.port"), "sandbox-operator", "sandbox-operator-secret");
      JsonNode cluster = operator.get("/clusters/sandbox").json();
      assertThat(cluster.path("generation").asText()).isEqualTo("8.6.0");
      assertThat(cluster.path("backupLocation").path("type").asText()).isEqualTo("DUAL_REGION");
      assertThat(cluster.path("backupLocation").path("secondaryRegion").asText()).isEqualTo("local-b");
      assertThat(cluster.path("preflight").path("checks").findValuesAsText("reachable")).containsOnly("true");
      assertThat(cluster.path("components").path("zeebe").path("managementUrl").asText()).isEqualTo(testbed.zeebe().managementUrl());
      JsonNode organizations = operator.get("/admin/organizations").json();
      assertThat(organizations.findValuesAsText("name")).contains("sandbox");
      assertThat(organizations.get(organizations.findValuesAsText("name").indexOf("sandbox")).path("plan").asText()).isEqualTo("ENTERPRISE");
    }

    // and: shutting the server down stops them all
    assertThat(processes).noneMatch(ProcessHandle::isAlive);
  }
}
