package dev.backstop.server.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backstop.server.BackstopApplication;
import dev.backstop.server.support.Api;
import dev.backstop.server.support.TestCluster;
import dev.backstop.testbed.Http;
import dev.backstop.testbed.Testbed;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What the backup benchmarks share: the test bed with a Backstop in this JVM that has it registered
 * as a cluster (no manual rate limit, 100 manual backups kept, so no deletion runs during a
 * measurement); one backup through Backstop; one backup by the documented procedure as a plain
 * sequential script (the baseline); and what the components themselves say their backups took.
 * Closing it stops everything and removes the working directory (Zeebe's backups are large).
 */
final class BenchBed implements AutoCloseable {

  /**
   * One backup's wall-clock interval (epoch milliseconds) and its id; for Backstop's, how long
   * its request took to be answered 202 ({@code -1} for the script's).
   */
  record Run(long id, long startMillis, long endMillis, long acceptedAfterMillis) {
    long totalMillis() {
      return endMillis - startMillis;
    }
  }

  final Path work;
  final Testbed testbed;
  final ConfigurableApplicationContext server;
  final TestCluster cluster;
  final Api client;
  private final String backups;

  private BenchBed(Path work, Testbed testbed, ConfigurableApplicationContext server, TestCluster cluster, Api client) {
    this.work = work;
    this.testbed = testbed;
    this.server = server;
    this.cluster = cluster;
    this.client = client;
    this.backups = "/clusters/" + cluster.clusterId() + "/backups";
  }

  static BenchBed start() throws IOException {
    Path work = Files.createTempDirectory("backstop-bench");
    Testbed testbed;
    try {
      testbed = Testbed.start(work.resolve("testbed"));
    } catch (RuntimeException e) {
      deleteTree(work);
      throw e;
    }
    try {
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
                  "--logging.level.root=WARN");
      String url = "http://127.0.0.1:" + server.getEnvironment().getProperty("local.server.port");
      Api operator = Api.as(url, "bench", "bench-secret-0123456789");
      TestCluster cluster = TestCluster.register(operator, testbed);
      operator.putJson(
          "/admin/clusters/" + cluster.clusterId() + "/backup-policy",
          Map.of("manualRateLimit", "PT0S", "manualRetention", 100, "scheduledRetention", 3));
      Api client = Api.as(url, cluster.clientId(), cluster.clientSecret());
      testbed.deployOrderProcess();
      return new BenchBed(work, testbed, server, cluster, client);
    } catch (RuntimeException e) {
      try {
        testbed.close();
      } finally {
        deleteTree(work);
      }
      throw e;
    }
  }

  /**
   * One manual backup through Backstop's API: from just before the POST until the completion
   * Backstop records (it records it once Zeebe confirmed that exporting runs again, where the
   * script ends too); the benchmark polls the backup every 25 ms to learn that it completed.
   * Before it, untimed, the same wait the script makes before each backup.
   */
  Run throughBackstop() {
    // The same untimed wait as the script's before its id (see byScript): both start equally long
    // after whatever came before (a load's instances are still being imported then).
    sleep(SCRIPT_ID_WAIT_MILLIS);
    long start = System.currentTimeMillis();
    Api.Answer created = client.post(backups, null);
    if (created.status() != 202) {
      throw new IllegalStateException("backup not accepted: " + created);
    }
    long acceptedAfter = System.currentTimeMillis() - start;
    long id = created.json().path("backupId").asLong();
    while (true) {
      JsonNode backup = client.get(backups + "/" + id).json();
      String state = backup.path("state").asText();
      if (state.equals("COMPLETED")) {
        long end = Instant.parse(backup.path("completed").asText()).toEpochMilli();
        return new Run(id, start, end, acceptedAfter);
      }
      if (state.equals("FAILED")) {
        throw new IllegalStateException("backup failed: " + backup);
      }
      sleep(25);
    }
  }

  /** The script's untimed wait before each backup, so that its id (Unix seconds) is above the last. */
  static final long SCRIPT_ID_WAIT_MILLIS = 1100;

  /** The name the documented script gives its records snapshot. */
  static String scriptRecordsSnapshot(long id) {
    return "bench_records_" + id;
  }

  /**
   * The documented procedure as a plain sequential script, polling once a second: each web app
   * started and awaited in turn, pause, records snapshot, Zeebe's backup, resume. It waits 1.1 s
   * first, so that its id (the Unix time in seconds, as Camunda recommends) is above every earlier
   * one; that wait is not timed.
   */
  Run byScript() {
    Http http = new Http();
    sleep(SCRIPT_ID_WAIT_MILLIS);
    long id = System.currentTimeMillis() / 1000;
    long start = System.currentTimeMillis();
    for (String app : List.of(testbed.operate().managementUrl(), testbed.tasklist().managementUrl())) {
      http.postJson(app + "/actuator/backups", Map.of("backupId", id)).successJson();
      while (!"COMPLETED".equals(stateOf(http, app + "/actuator/backups/" + id))) {
        sleep(1000);
      }
    }
    http.postJson(testbed.zeebe().managementUrl() + "/actuator/exporting/pause?soft=true", "").successJson();
    String snapshot = testbed.searchUrl() + "/_snapshot/" + Testbed.SEARCH_REPOSITORY + "/" + scriptRecordsSnapshot(id);
    http.putJson(snapshot, Map.of("indices", "zeebe-record*", "feature_states", List.of("none"))).successJson();
    while (!"SUCCESS".equals(http.get(snapshot).json().path("snapshots").path(0).path("state").asText())) {
      sleep(1000);
    }
    http.postJson(testbed.zeebe().managementUrl() + "/actuator/backups", Map.of("backupId", id));
    while (!"COMPLETED".equals(stateOf(http, testbed.zeebe().managementUrl() + "/actuator/backups/" + id))) {
      sleep(1000);
    }
    http.postJson(testbed.zeebe().managementUrl() + "/actuator/exporting/resume", "").successJson();
    return new Run(id, start, System.currentTimeMillis(), -1);
  }

  private static String stateOf(Http http, String url) {
    Http.Response response = http.get(url);
    return response.isSuccess() ? response.json().path("state").asText() : "";
  }

  /** An interval of a component's own work, in epoch milliseconds. */
  record Work(String what, long startMillis, long endMillis) {}

  /**
   * What the components say their parts of backup {@code id} took, by their own clocks (all on
   * this machine): each web-app and records snapshot from the search engine's start and end
   * times, Zeebe's backup from its partitions' {@code createdAt} to their last {@code lastUpdatedAt}.
   */
  List<Work> componentWork(long id, String recordsSnapshot) {
    Http http = new Http();
    List<Work> work = new ArrayList<>();
    String repository = testbed.searchUrl() + "/_snapshot/" + Testbed.SEARCH_REPOSITORY + "/";
    for (String[] part : List.of(
        new String[] {"operate", "camunda_operate_" + id + "_*"},
        new String[] {"tasklist", "camunda_tasklist_" + id + "_*"},
        new String[] {"records ahead", "backstop_records_ahead_" + id}, // Backstop's only
        new String[] {"records", recordsSnapshot})) {
      Http.Response found = http.get(repository + part[1]);
      if (found.status() == 404) {
        continue; // the script's backups have no copy ahead
      }
      JsonNode snapshots = found.successJson().path("snapshots");
      long start = Long.MAX_VALUE;
      long end = Long.MIN_VALUE;
      for (JsonNode snapshot : snapshots) {
        start = Math.min(start, snapshot.path("start_time_in_millis").asLong());
        end = Math.max(end, snapshot.path("end_time_in_millis").asLong());
      }
      if (!snapshots.isEmpty()) {
        work.add(new Work(part[0], start, end));
      }
    }
    JsonNode zeebe = http.get(testbed.zeebe().managementUrl() + "/actuator/backups/" + id).successJson();
    long start = Long.MAX_VALUE;
    long end = Long.MIN_VALUE;
    for (JsonNode partition : zeebe.path("details")) {
      start = Math.min(start, epochMillis(partition.path("createdAt").asText()));
      end = Math.max(end, epochMillis(partition.path("lastUpdatedAt").asText()));
    }
    if (start != Long.MAX_VALUE) {
      work.add(new Work("zeebe", start, end));
    }
    return work;
  }

  /** How long at least one component was at work: the length of the union of the intervals. */
  static long busyMillis(List<Work> work) {
    List<Work> sorted = work.stream().sorted(Comparator.comparingLong(Work::startMillis)).toList();
    long busy = 0;
    long coveredUntil = Long.MIN_VALUE;
    for (Work w : sorted) {
      long from = Math.max(w.startMillis(), coveredUntil);
      if (w.endMillis() > from) {
        busy += w.endMillis() - from;
      }
      coveredUntil = Math.max(coveredUntil, w.endMillis());
    }
    return busy;
  }

  /** The run's timeline, relative to its start: "operate 120-900 tasklist …". */
  static String timeline(Run run, List<Work> work) {
    StringBuilder line = new StringBuilder(run.acceptedAfterMillis() >= 0 ? "accepted " + run.acceptedAfterMillis() + "  " : "");
    for (Work w : work) {
      line.append(String.format("%s %d-%d  ", w.what(), w.startMillis() - run.startMillis(), w.endMillis() - run.startMillis()));
    }
    return line.append("end ").append(run.totalMillis()).toString();
  }

  private static long epochMillis(String timestamp) {
    try {
      return OffsetDateTime.parse(timestamp).toInstant().toEpochMilli();
    } catch (RuntimeException notOffset) {
      return Instant.parse(timestamp).toEpochMilli();
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      return "unknown";
    }
  }

  @Override
  public void close() {
    try {
      server.close();
    } finally {
      try {
        testbed.close();
      } finally {
        deleteTree(work);
      }
    }
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Duration sinceNanos(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }
}
