package dev.backstop.testbed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Zeebe's command-line client as the distribution ships it ({@code bin/zbctl}, gRPC), for the
 * versions whose REST API cannot deploy, create instances or hand out jobs (8.5). Each call is one
 * short process against the gateway, without TLS; its JSON answer is parsed.
 */
final class Zbctl {

  /** What a call ended with: its exit code and what it printed (standard output and error). */
  record Result(int exitCode, String output) {
    boolean succeeded() {
      return exitCode == 0;
    }

    /** Zeebe's back pressure: the command was refused for now and may be sent again. */
    boolean wasBackPressure() {
      return output.contains("RESOURCE_EXHAUSTED");
    }

    JsonNode json() {
      try {
        return new ObjectMapper().readTree(output);
      } catch (IOException e) {
        throw new TestbedException("zbctl printed no JSON: " + output, e);
      }
    }
  }

  private static final long TIMEOUT_SECONDS = 60;

  private final Path executable;
  private final String gatewayAddress;
  private final Path workingDirectory;

  Zbctl(Path camundaHome, String gatewayAddress, Path workingDirectory) {
    this.executable = camundaHome.resolve("bin").resolve("zbctl");
    this.gatewayAddress = gatewayAddress;
    this.workingDirectory = workingDirectory;
  }

  /** Deploys a BPMN resource under its name; Zeebe's answer. */
  JsonNode deploy(String resourceName, byte[] bpmn) {
    try {
      Files.createDirectories(workingDirectory);
      // zbctl names the resource after the path it is given: a bare file name in its directory.
      Files.write(workingDirectory.resolve(resourceName), bpmn);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return succeeded(run("deploy", "resource", resourceName)).json();
  }

  /** Creates an instance; Zeebe's answer ({@code processInstanceKey}, …). */
  JsonNode createInstance(String processDefinitionId, String variablesJson) {
    return succeeded(run("create", "instance", processDefinitionId, "--variables", variablesJson)).json();
  }

  /**
   * Activates jobs of a type; Zeebe's answer ({@code jobs: [{key, processInstanceKey, …}]}), with
   * no jobs when none was there within two seconds.
   */
  JsonNode activateJobs(String type, int max, long timeoutMillis) {
    Result result = run(
        "activate", "jobs", type,
        "--maxJobsToActivate", String.valueOf(max),
        "--timeout", timeoutMillis + "ms",
        "--worker", "backstop-test",
        "--requestTimeout", "2s");
    // The gateway holds an activation open until a job comes or the request timeout passes, and
    // zbctl's own deadline is that same timeout: with no job, the call ends in DeadlineExceeded.
    if (!result.succeeded() && result.output().contains("DeadlineExceeded")) {
      return new ObjectMapper().createObjectNode().set("jobs", new ObjectMapper().createArrayNode());
    }
    return succeeded(result).json();
  }

  /** Completes a job; the call's result, to tell back pressure from other failures. */
  Result completeJob(long jobKey) {
    return run("complete", "job", String.valueOf(jobKey));
  }

  private static Result succeeded(Result result) {
    if (!result.succeeded()) {
      throw new TestbedException("zbctl failed with exit code " + result.exitCode() + ": " + result.output());
    }
    return result;
  }

  private Result run(String... arguments) {
    List<String> command = new ArrayList<>(List.of(executable.toString(), "--address", gatewayAddress, "--insecure"));
    command.addAll(List.of(arguments));
    try {
      Files.createDirectories(workingDirectory);
      Process process =
          new ProcessBuilder(command)
              .directory(workingDirectory.toFile())
              .redirectErrorStream(true)
              .start();
      process.getOutputStream().close();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new TestbedException("zbctl " + String.join(" ", arguments) + " did not end within " + TIMEOUT_SECONDS + " s");
      }
      return new Result(process.exitValue(), output);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TestbedException("interrupted", e);
    }
  }
}
