package dev.backstop.server.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backstop.server.BackstopApplication;
import dev.backstop.server.support.Api;
import dev.backstop.server.support.TestCluster;
import dev.backstop.testbed.Http;
import dev.backstop.testbed.Testbed;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * How long one backup takes on the test bed, and how long exporting stays paused, through Backstop
 * and, as the baseline measured in the same run, through the documented procedure run by hand as
 * a plain sequential script polling once a second.
 *
 * <p>The pause is measured from outside: a watcher polls Zeebe's partitions every 20 ms and times
 * from the first poll that sees a partition paused to the first that sees all exporting again.
 *
 * <p>Run: {@code bench/backup-timing.sh [rounds]} (default 5). Prints one line per backup, then
 * medians and the ratio Backstop / baseline.
 */
public final class BackupTimingBenchmark {

  private record Sample(long totalMillis, long pausedMillis) {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    Path work = Files.createTempDirectory("backstop-bench");
    try (Testbed testbed = Testbed.start(work.resolve("testbed"));
        ConfigurableApplicationContext server =
            new SpringApplicationBuilder(BackstopApplication.class)
                .run(
                    "--server.port=0",
                    "--backstop.data-dir=" + work.resolve("backstop"),
                    "--backstop.admin.client-id=bench",
                    "--backstop.security.component-networks=127.0.0.0/8",
                    "--backstop.admin.client-secret=bench-secret-0123456789",
                    "--backstop.regions.local-a.endpoint=http://127.0.0.1:1",
                    "--backstop.regions.local-a.bucket=unused",
                    "--logging.level.root=WARN")) {
      String url = "http://127.0.0.1:" + server.getEnvironment().getProperty("local.server.port");
      Api operator = Api.as(url, "bench", "bench-secret-0123456789");
      TestCluster cluster = TestCluster.register(operator, testbed);
      operator.putJson(
          "/admin/clusters/" + cluster.clusterId() + "/backup-policy",
          Map.of("manualRateLimit", "PT0S", "manualRetention", 100, "scheduledRetention", 3));
      Api client = Api.as(url, cluster.clientId(), cluster.clientSecret());

      testbed.deployOrderProcess();
      testbed.startProcessInstances(Testbed.ORDER_PROCESS_ID, 200);
      System.out.printf("test bed ready in %d s; 200 process instances loaded; %d rounds%n", testbed.startDuration().toSeconds(), rounds);

      List<Sample> backstop = new ArrayList<>();
      List<Sample> baseline = new ArrayList<>();
      for (int round = 1; round <= rounds; round++) {
        Sample b = measure(testbed, () -> throughBackstop(client, cluster));
        backstop.add(b);
        System.out.printf("round %d  backstop: total %5d ms, exporting paused %5d ms%n", round, b.totalMillis(), b.pausedMillis());
        Sample s = measure(testbed, () -> byHand(testbed));
        baseline.add(s);
        System.out.printf("round %d  baseline: total %5d ms, exporting paused %5d ms%n", round, s.totalMillis(), s.pausedMillis());
      }
      long bTotal = median(backstop.stream().map(Sample::totalMillis).toList());
      long bPaused = median(backstop.stream().map(Sample::pausedMillis).toList());
      long sTotal = median(baseline.stream().map(Sample::totalMillis).toList());
      long sPaused = median(baseline.stream().map(Sample::pausedMillis).toList());
      System.out.printf("median backstop: total %d ms, paused %d ms%n", bTotal, bPaused);
      System.out.printf("median baseline (sequential script, 1 s polling): total %d ms, paused %d ms%n", sTotal, sPaused);
      System.out.printf("ratio backstop/baseline: total %.2f, paused %.2f%n", (double) bTotal / sTotal, (double) bPaused / sPaused);
    }
  }

  private static long throughBackstop(Api client, TestCluster cluster) {
    String backups = "/clusters/" + cluster.clusterId() + "/backups";
    long start = System.nanoTime();
    Api.Answer created = client.post(backups, null);
    if (created.status() != 202) {
      throw new IllegalStateException("backup not accepted: " + created);
    }
    long id = created.json().path("backupId").asLong();
    while (true) {
      JsonNode backup = client.get(backups + "/" + id).json();
      String state = backup.path("state").asText();
      if (state.equals("COMPLETED")) {
        return Duration.ofNanos(System.nanoTime() - start).toMillis();
      }
      if (state.equals("FAILED")) {
        throw new IllegalStateException("backup failed: " + backup);
      }
      sleep(100);
    }
  }

  /** The documented procedure as a plain script: start, then poll each part once a second. */
  private static long byHand(Testbed testbed) {
    Http http = new Http();
    // Zeebe takes only ids above every earlier one: from the clock, like Backstop's, a second later.
    sleep(1100);
    long id = System.currentTimeMillis() / 1000;
    long start = System.nanoTime();
    for (String app : List.of(testbed.operate().managementUrl(), testbed.tasklist().managementUrl())) {
      http.postJson(app + "/actuator/backups", Map.of("backupId", id)).successJson();
      while (!"COMPLETED".equals(stateOf(http, app + "/actuator/backups/" + id))) {
        sleep(1000);
      }
    }
    http.postJson(testbed.zeebe().managementUrl() + "/actuator/exporting/pause?soft=true", "").successJson();
    String snapshot = testbed.searchUrl() + "/_snapshot/" + Testbed.SEARCH_REPOSITORY + "/bench_records_" + id;
    http.putJson(snapshot, Map.of("indices", "zeebe-record*", "feature_states", List.of("none"))).successJson();
    while (!"SUCCESS".equals(http.get(snapshot).json().path("snapshots").path(0).path("state").asText())) {
      sleep(1000);
    }
    http.postJson(testbed.zeebe().managementUrl() + "/actuator/backups", Map.of("backupId", id));
    while (!"COMPLETED".equals(stateOf(http, testbed.zeebe().managementUrl() + "/actuator/backups/" + id))) {
      sleep(1000);
    }
    http.postJson(testbed.zeebe().managementUrl() + "/actuator/exporting/resume", "").successJson();
    return Duration.ofNanos(System.nanoTime() - start).toMillis();
  }

  private static String stateOf(Http http, String url) {
    Http.Response response = http.get(url);
    return response.isSuccess() ? response.json().path("state").asText() : "";
  }

  /** Runs one backup while a watcher times how long exporting is paused. */
  private static Sample measure(Testbed testbed, LongSupplier backup) throws InterruptedException {
    Http http = new Http();
    AtomicBoolean running = new AtomicBoolean(true);
    long[] pausedNanos = new long[1];
    Thread watcher =
        Thread.ofPlatform().start(() -> {
          long pausedSince = -1;
          while (running.get()) {
            JsonNode partitions = http.get(testbed.zeebe().managementUrl() + "/actuator/partitions").json();
            boolean paused = partitions.findValuesAsText("exporterPhase").stream().anyMatch(phase -> !phase.equals("EXPORTING"));
            long now = System.nanoTime();
            if (paused && pausedSince < 0) {
              pausedSince = now;
            } else if (!paused && pausedSince >= 0) {
              pausedNanos[0] += now - pausedSince;
              pausedSince = -1;
            }
            sleep(20);
          }
        });
    long total = backup.getAsLong();
    sleep(200); // let the watcher see the resume
    running.set(false);
    watcher.join();
    return new Sample(total, Duration.ofNanos(pausedNanos[0]).toMillis());
  }

  private static long median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
