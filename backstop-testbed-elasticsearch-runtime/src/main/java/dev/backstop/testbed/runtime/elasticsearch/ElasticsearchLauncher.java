package dev.backstop.testbed.runtime.elasticsearch;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import org.codelibs.elasticsearch.runner.ElasticsearchClusterRunner;

/**
 * Runs a single-node Elasticsearch 7.10 in a JVM of its own, as {@code OpenSearchLauncher} runs
 * OpenSearch.
 *
 * <p>Arguments: the base directory, then Elasticsearch settings as {@code key=value} (they take
 * precedence over the runner's defaults, which would bind to every interface). The process runs
 * until it is terminated; a shutdown hook closes the node cleanly.
 */
public final class ElasticsearchLauncher {

  private ElasticsearchLauncher() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: ElasticsearchLauncher BASE_DIR [setting=value ...]");
      System.exit(2);
    }
    Path baseDir = Path.of(args[0]).toAbsolutePath();
    Map<String, String> settings = new TreeMap<>();
    for (int i = 1; i < args.length; i++) {
      int eq = args[i].indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("not a key=value setting: " + args[i]);
      }
      settings.put(args[i].substring(0, eq), args[i].substring(eq + 1));
    }

    ElasticsearchClusterRunner runner = new ElasticsearchClusterRunner();
    runner.setMaxHttpPort(-1); // the port is given as a setting; no probing of 9200+
    CountDownLatch closed = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    runner.close();
                  } catch (Exception e) {
                    System.err.println("closing Elasticsearch failed: " + e);
                  } finally {
                    closed.countDown();
                  }
                }));
    runner
        .onBuild((index, builder) -> settings.forEach(builder::put))
        .build(ElasticsearchClusterRunner.newConfigs().basePath(baseDir.toString()).numOfNode(1));
    System.out.println("Elasticsearch launcher: node started");
    closed.await();
  }
}
