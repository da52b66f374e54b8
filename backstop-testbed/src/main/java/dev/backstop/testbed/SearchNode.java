package dev.backstop.testbed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A lone single-node search engine in a JVM of its own, for tests of the raw calls Backstop sends
 * to Elasticsearch and OpenSearch: bound to 127.0.0.1 on free ports, an {@code fs} snapshot
 * repository allowed under {@link #snapshotDirectory()}, the disk threshold off (a nearly full
 * disk would otherwise stop shard allocation), every other setting the engine's default. The
 * engine's own defaults are kept on purpose (no {@code action.destructive_requires_name} change),
 * so a test sees what a production cluster of that version accepts.
 *
 * <p>Its process is a {@link ManagedProcess}: {@link #close()} stops it, and {@link ProcessGuard}
 * kills it if the JVM that started it ends first, however it ends.
 *
 * @param engine which engine runs
 * @param url its HTTP endpoint, {@code http://127.0.0.1:PORT}
 * @param snapshotDirectory its {@code path.repo}: the locations of {@code fs} repositories must lie below it
 * @param process its process
 */
public record SearchNode(Engine engine, String url, Path snapshotDirectory, ManagedProcess process)
    implements AutoCloseable {

  /** The engines a lone node can run, each at the one version that runs here. */
  public enum Engine {
    /**
     * Elasticsearch 7.10.2 (module {@code backstop-testbed-elasticsearch-runtime}): the only
     * Elasticsearch that runs here; Camunda 8.6 itself needs 8.x.
     */
    ELASTICSEARCH("elasticsearch", "7.10.2"),
    /** OpenSearch 3.1.0, the test bed's own (module {@code backstop-testbed-runtime}). */
    OPENSEARCH("opensearch", "3.1.0");

    private final String distribution;
    private final String version;

    Engine(String distribution, String version) {
      this.distribution = distribution;
      this.version = version;
    }

    /** What the engine calls itself ({@code version.distribution} of OpenSearch's {@code GET /}). */
    public String distribution() {
      return distribution;
    }

    /** The version it runs, as {@code GET /} reports it in {@code version.number}. */
    public String version() {
      return version;
    }
  }

  private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
  private static final String HEAP = "384m";

  /**
   * Starts a node of {@code engine} with its data, snapshots and log ({@code <engine>.log}) under
   * {@code directory}, from the files the build laid out, with the JDK the test bed uses.
   *
   * @throws TestbedException when its files are missing (saying how to build them) or it does not
   *     start (with the end of its log); nothing is left running then
   */
  public static SearchNode start(Engine engine, Path directory) {
    Path dir = directory.toAbsolutePath().normalize();
    Path snapshots = dir.resolve("snapshots");
    try {
      Files.createDirectories(snapshots);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int httpPort = Ports.freeLoopbackPort();
    int transportPort = Ports.freeLoopbackPort();
    String url = "http://127.0.0.1:" + httpPort;
    List<String> command = new ArrayList<>(List.of(Jdk.findJava().toString(), "-Xms" + HEAP, "-Xmx" + HEAP));
    switch (engine) {
      case ELASTICSEARCH ->
          command.addAll(List.of(
              "-cp",
              TestbedFiles.launcherClassPath(TestbedFiles.locateElasticsearchDirectory(), "elasticsearch-launcher.jar"),
              "dev.backstop.testbed.runtime.elasticsearch.ElasticsearchLauncher"));
      case OPENSEARCH ->
          command.addAll(List.of(
              "-Dopensearch.set.netty.runtime.available.processors=false",
              "-Dopensearch.path.conf=" + dir.resolve("node_1").resolve("config"),
              "-cp",
              TestbedFiles.launcherClassPath(TestbedFiles.locateOpenSearchDirectory(), "opensearch-launcher.jar"),
              "dev.backstop.testbed.runtime.OpenSearchLauncher"));
    }
    command.addAll(List.of(
        dir.toString(),
        "cluster.name=backstop-" + engine.distribution(),
        "network.host=127.0.0.1",
        "http.port=" + httpPort,
        "transport.port=" + transportPort,
        "discovery.type=single-node",
        "path.repo=" + snapshots,
        "cluster.routing.allocation.disk.threshold_enabled=false",
        // Exact clock readings, not a cache refreshed every 200 ms: a snapshot's start and end
        // times, which the benchmarks read as the engine's own account of its work, are then exact.
        "thread_pool.estimated_time_interval=0"));
    Http http = new Http();
    ManagedProcess process =
        new ManagedProcess(
            new ManagedProcess.Spec(
                engine.distribution(),
                command,
                Map.of(),
                dir,
                dir.resolve(engine.distribution() + ".log"),
                () -> http.isOk(url + "/_cluster/health?wait_for_status=yellow&timeout=1s"),
                START_TIMEOUT));
    process.start();
    return new SearchNode(engine, url, snapshots, process);
  }

  /**
   * Registers an {@code fs} snapshot repository named {@code name}, its files in a directory of
   * that name under {@link #snapshotDirectory()}.
   *
   * @throws TestbedException if the node refuses it
   */
  public void registerFsRepository(String name) {
    new Http()
        .putJson(url + "/_snapshot/" + name, Map.of("type", "fs", "settings", Map.of("location", snapshotDirectory.resolve(name).toString())))
        .successJson();
  }

  /** Stops the node; its data stays on disk. Safe to call more than once. */
  @Override
  public void close() {
    process.stop();
  }
}
