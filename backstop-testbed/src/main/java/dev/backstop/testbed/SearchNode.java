package dev.backstop.testbed;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A lone OpenSearch node (the test bed's OpenSearch 3.1, in a JVM of its own) with a snapshot
 * repository on its local disk: for tests of the adapters that need a real search engine but no
 * Camunda component, at a fraction of the test bed's cost (about 300 MB, a few seconds).
 *
 * @param url its HTTP endpoint, {@code http://127.0.0.1:PORT}
 * @param repository the name of its {@code fs} snapshot repository
 * @param process the node's process
 */
public record SearchNode(String url, String repository, ManagedProcess process) implements AutoCloseable {

  /** The snapshot repository's name. */
  public static final String REPOSITORY = "backstop-fs";

  /**
   * Starts a node under {@code workDirectory} (data, repository, {@code opensearch.log}) on free
   * loopback ports, and registers {@value #REPOSITORY}.
   *
   * @throws TestbedException when it does not become ready
   */
  public static SearchNode start(Path workDirectory) {
    TestbedFiles files = TestbedFiles.locate();
    Path repositoryDir = workDirectory.resolve("repository");
    try {
      Files.createDirectories(repositoryDir);
    } catch (java.io.IOException e) {
      throw new TestbedException("cannot create " + repositoryDir, e);
    }
    int httpPort = Ports.freeLoopbackPort();
    String url = "http://127.0.0.1:" + httpPort;
    Http http = new Http();
    List<String> command =
        List.of(
            Jdk.findJava().toString(),
            "-Xms256m",
            "-Xmx256m",
            "-Dopensearch.set.netty.runtime.available.processors=false",
            "-Dopensearch.path.conf=" + workDirectory.resolve("node_1").resolve("config"),
            "-cp",
            files.openSearchClassPath(),
            "dev.backstop.testbed.runtime.OpenSearchLauncher",
            workDirectory.toString(),
            "cluster.name=backstop-search-node",
            "network.host=127.0.0.1",
            "http.port=" + httpPort,
            "transport.port=" + Ports.freeLoopbackPort(),
            "discovery.type=single-node",
            "cluster.routing.allocation.disk.threshold_enabled=false",
            "action.destructive_requires_name=false",
            "path.repo=" + repositoryDir);
    ManagedProcess process =
        new ManagedProcess(
            new ManagedProcess.Spec(
                "opensearch-node",
                command,
                Map.of("AWS_EC2_METADATA_DISABLED", "true"),
                workDirectory,
                workDirectory.resolve("opensearch.log"),
                () -> http.isOk(url + "/_cluster/health?wait_for_status=yellow&timeout=1s"),
                Duration.ofMinutes(3)));
    process.start();
    try {
      http.putJson(url + "/_snapshot/" + REPOSITORY, Map.of("type", "fs", "settings", Map.of("location", repositoryDir.toString())))
          .successJson();
    } catch (RuntimeException e) {
      process.stop();
      throw e;
    }
    return new SearchNode(url, REPOSITORY, process);
  }

  /** Stops the node. Safe to call more than once. */
  @Override
  public void close() {
    process.stop();
  }
}
