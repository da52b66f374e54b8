package dev.backstop.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backstop.server.support.Api;
import dev.backstop.server.support.BackstopIT;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Camunda's own Administration API client, the {@code AdminApiClient} of the {@code @camunda8/sdk}
 * npm package, works against Backstop unchanged: token, list, create and delete.
 */
class CamundaSdkClientTest extends BackstopIT {

  private static final Path NODE_PROJECT = Path.of("src", "test", "node").toAbsolutePath();

  @BeforeAll
  static void installTheSdk() throws Exception {
    if (!Files.isDirectory(NODE_PROJECT.resolve("node_modules").resolve("@camunda8").resolve("sdk"))) {
      Result install = run(List.of("npm", "ci", "--no-audit", "--no-fund"), List.of(), 300);
      assertThat(install.exit()).as("npm ci of @camunda8/sdk: " + install.output()).isZero();
    }
  }

  @Test
  void shouldServeCamundasAdminApiClient() throws Exception {
    // when: the SDK creates a backup
    Result created = sdk("create");

    // then
    assertThat(created.exit()).as(created.output()).isZero();
    JsonNode backup = Api.JSON.readTree(created.stdout());
    String uuid = backup.path("uuid").asText();
    assertThat(uuid).isNotBlank();
    assertThat(backup.path("status").asText()).isEqualTo("In progress");
    JsonNode done = awaitEnded(Long.parseLong(uuid));
    assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("COMPLETED");

    // when: the SDK lists the backups
    Result listed = sdk("list");

    // then: it reads Camunda's fields and words
    assertThat(listed.exit()).as(listed.output()).isZero();
    JsonNode list = Api.JSON.readTree(listed.stdout());
    assertThat(list.isArray()).isTrue();
    JsonNode first = list.get(0);
    assertThat(first.path("uuid").asText()).isEqualTo(uuid);
    assertThat(first.path("status").asText()).isEqualTo("Complete");
    assertThat(first.path("zeebeStatus").asText()).isEqualTo("Complete");
    assertThat(first.path("operateStatus").asText()).isEqualTo("Complete");
    assertThat(first.path("tasklistStatus").asText()).isEqualTo("Complete");
    assertThat(first.path("optimizeStatus").asText()).isEqualTo("-");
    assertThat(first.has("created")).isTrue();
    assertThat(first.has("completed")).isTrue();
    assertThat(first.has("name")).isTrue();

    // when: the SDK deletes it
    Result deleted = sdk("delete", uuid);

    // then: it read the JSON answer, and the backup is on its way out
    assertThat(deleted.exit()).as(deleted.output()).isZero();
    assertThat(Api.JSON.readTree(deleted.stdout()).path("uuid").asText()).isEqualTo(uuid);
    deleteAllBackups();
  }

  private Result sdk(String... arguments) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("node", "admin-client.mjs"));
    command.addAll(List.of(arguments));
    return run(
        command,
        List.of(
            "BACKSTOP_URL=" + baseUrl(),
            "CLIENT_ID=" + testCluster.clientId(),
            "CLIENT_SECRET=" + testCluster.clientSecret(),
            "CLUSTER_ID=" + testCluster.clusterId()),
        120);
  }

  record Result(int exit, String stdout, String stderr) {
    String output() {
      return "exit " + exit + "\nstdout: " + stdout + "\nstderr: " + stderr;
    }
  }

  private static Result run(List<String> command, List<String> environment, int timeoutSeconds) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).directory(NODE_PROJECT.toFile());
    for (String variable : environment) {
      int eq = variable.indexOf('=');
      builder.environment().put(variable.substring(0, eq), variable.substring(eq + 1));
    }
    Path out = Files.createTempFile("sdk-out", ".txt");
    Path err = Files.createTempFile("sdk-err", ".txt");
    builder.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process process = builder.start();
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(command + " did not finish within " + timeoutSeconds + " s");
    }
    Result result = new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    Files.deleteIfExists(out);
    Files.deleteIfExists(err);
    return result;
  }
}
