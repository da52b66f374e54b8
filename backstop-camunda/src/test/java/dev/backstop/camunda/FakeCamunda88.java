package dev.backstop.camunda;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A hand-written stand-in for the management port (9600) of a Camunda 8.8 orchestration cluster
 * (Zeebe, Operate and Tasklist in one application), because no 8.8 distribution can be obtained
 * here. It follows the shapes read in camunda/camunda's source:
 *
 * <ul>
 *   <li>{@code /actuator/backupRuntime} ({@code zeebe/…/shared/management/BackupEndpoint.java}):
 *       {@code POST {"backupId":N}} → 202 {@code {"message":"A backup with id N has been
 *       scheduled…"}}, 400 for an id ≤ 0, 409 for an id not above the latest; {@code GET /{id}} →
 *       {@code {backupId, state, failureReason, details:[{partitionId, state, failureReason,
 *       createdAt, brokerVersion, …}]}} or 404 {@code {"message":"Backup with id N does not
 *       exist"}}; {@code DELETE /{id}} → 204.
 *   <li>{@code /actuator/backupHistory} ({@code dist/…/webapps/controllers/BackupController.java}):
 *       {@code POST {"backupId":N}} → 200 {@code {"scheduledSnapshots":[…]}}, 400 for a duplicate;
 *       {@code GET /{id}} → {@code {backupId, state, failureReason, details:[{snapshotName, state,
 *       startTime, failures}]}} or 404; {@code DELETE /{id}} → 204. Its two snapshots {@code
 *       camunda_webapps_{id}_8.8.0_part_{1|2}_of_2} ({@code camunda-*}, then {@code operate-*} and
 *       {@code tasklist-*}) are taken for real in the given search engine's repository, and their
 *       states are what it reports.
 *   <li>{@code POST /actuator/exporting/pause?soft=true} and {@code …/resume} → HTTP 200 with the
 *       outcome wrapped in the body ({@code {"body":null,"status":204,"contentType":null}});
 *       {@code GET /actuator/partitions} → per partition {@code role}, {@code exporterPhase}
 *       ({@code EXPORTING} or {@code SOFT_PAUSED}), {@code streamProcessorPhase}.
 *   <li>{@code /actuator/health[/readiness]} → 200 {@code {"status":"UP"}}.
 * </ul>
 *
 * Failure injection: {@link #historyFails} (the history backup reports FAILED with a reason), {@link
 * #runtimeFails}; {@link #stopped} answers every request 503 without a body, as the ingress in front
 * of a stopped component does. Every request is appended to the shared log as "CAMUNDA METHOD
 * path[?query]".
 */
final class FakeCamunda88 implements AutoCloseable {

  static final String VERSION = "8.8.0";
  private static final Pattern RUNTIME_BY_ID = Pattern.compile("/actuator/backupRuntime/(\\d+)");
  private static final Pattern HISTORY_BY_ID = Pattern.compile("/actuator/backupHistory/(\\d+)");

  private final HttpServer server;
  private final FakeHttp.Repository repository;
  private final List<String> log;
  private final Map<Long, Integer> runtimeBackups = new ConcurrentHashMap<>(); // id -> polls seen
  private final Map<Long, List<String>> historyBackups = new ConcurrentHashMap<>();
  private volatile long latestRuntimeBackup;
  volatile boolean paused;
  volatile boolean historyFails;
  volatile boolean runtimeFails;
  volatile boolean stopped;
  volatile int pollsUntilDone = 2;

  FakeCamunda88(FakeHttp.Repository repository, List<String> log) throws IOException {
    this.repository = repository;
    this.log = log;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** The history backup's snapshots of backup {@code id}. */
  static List<String> historySnapshots(long id) {
    return List.of("camunda_webapps_" + id + "_" + VERSION + "_part_1_of_2", "camunda_webapps_" + id + "_" + VERSION + "_part_2_of_2");
  }

  boolean hasRuntimeBackup(long id) {
    return runtimeBackups.containsKey(id);
  }

  private void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    String query = exchange.getRequestURI().getQuery();
    String method = exchange.getRequestMethod();
    log.add("CAMUNDA " + method + " " + path + (query == null ? "" : "?" + query));
    if (stopped) {
      FakeHttp.answer(exchange, 503, null);
      return;
    }
    Matcher runtimeById = RUNTIME_BY_ID.matcher(path);
    Matcher historyById = HISTORY_BY_ID.matcher(path);
    switch (method + " " + path) {
      case "GET /actuator/health", "GET /actuator/health/readiness" -> FakeHttp.answer(exchange, 200, "{\"status\":\"UP\"}");
      case "POST /actuator/exporting/pause" -> {
        paused = true;
        FakeHttp.answer(exchange, 200, "{\"body\":null,\"status\":204,\"contentType\":null}");
      }
      case "POST /actuator/exporting/resume" -> {
        paused = false;
        FakeHttp.answer(exchange, 200, "{\"body\":null,\"status\":204,\"contentType\":null}");
      }
      case "GET /actuator/partitions" -> FakeHttp.answer(exchange, 200, partitions());
      case "POST /actuator/backupRuntime" -> startRuntimeBackup(exchange);
      case "POST /actuator/backupHistory" -> startHistoryBackup(exchange);
      default -> {
        if (runtimeById.matches()) {
          runtimeBackup(exchange, method, Long.parseLong(runtimeById.group(1)));
        } else if (historyById.matches()) {
          historyBackup(exchange, method, Long.parseLong(historyById.group(1)));
        } else {
          FakeHttp.answer(exchange, 404, "{\"message\":\"no such endpoint\"}");
        }
      }
    }
  }

  private String partitions() {
    String phase = paused ? "SOFT_PAUSED" : "EXPORTING";
    return """
        {"1":{"role":"LEADER","exporterPhase":"%s","streamProcessorPhase":"PROCESSING","health":"HEALTHY"},
         "2":{"role":"LEADER","exporterPhase":"%s","streamProcessorPhase":"PROCESSING","health":"HEALTHY"}}
        """.formatted(phase, phase);
  }

  // --------------------------------------------------------------------------------- runtime

  private void startRuntimeBackup(HttpExchange exchange) throws IOException {
    Optional<Long> id = FakeHttp.backupIdIn(exchange);
    if (id.isEmpty() || id.get() <= 0) {
      FakeHttp.answer(exchange, 400, "{\"message\":\"A backupId must be provided and it must be > 0\"}");
    } else if (id.get() <= latestRuntimeBackup) {
      FakeHttp.answer(exchange, 409, "{\"message\":\"Requested backup has id %d. The latest backup has id %d\"}".formatted(id.get(), latestRuntimeBackup));
    } else {
      latestRuntimeBackup = id.get();
      runtimeBackups.put(id.get(), 0);
      FakeHttp.answer(exchange, 202,
          "{\"message\":\"A backup with id %d has been scheduled. Use GET actuator/backups/%d to monitor the status.\"}".formatted(id.get(), id.get()));
    }
  }

  private void runtimeBackup(HttpExchange exchange, String method, long id) throws IOException {
    if (method.equals("DELETE")) {
      runtimeBackups.remove(id);
      FakeHttp.answer(exchange, 204, null);
      return;
    }
    Integer seen = runtimeBackups.computeIfPresent(id, (key, polls) -> polls + 1);
    if (seen == null) {
      FakeHttp.answer(exchange, 404, "{\"message\":\"Backup with id %d does not exist\"}".formatted(id));
      return;
    }
    String state = runtimeFails ? "FAILED" : seen >= pollsUntilDone ? "COMPLETED" : "IN_PROGRESS";
    String reason = runtimeFails ? "\"Backup is cancelled due to leader change.\"" : "null";
    String partition = """
        {"partitionId":%d,"state":"%s","failureReason":%s,"createdAt":"2026-11-22T10:00:00Z","lastUpdatedAt":"2026-11-22T10:00:01Z",
         "snapshotId":"1-1-5-4","checkpointPosition":5,"brokerId":0,"brokerVersion":"%s"}""";
    FakeHttp.answer(exchange, 200, """
        {"backupId":%d,"state":"%s","failureReason":%s,"details":[%s,%s]}
        """.formatted(id, state, reason, partition.formatted(1, state, reason, VERSION), partition.formatted(2, state, reason, VERSION)));
  }

  // --------------------------------------------------------------------------------- history

  private void startHistoryBackup(HttpExchange exchange) throws IOException {
    Optional<Long> id = FakeHttp.backupIdIn(exchange);
    if (id.isEmpty() || id.get() <= 0) {
      FakeHttp.answer(exchange, 400, "{\"message\":\"BackupId must be a non-negative Integer.\"}");
    } else if (historyBackups.containsKey(id.get())) {
      FakeHttp.answer(exchange, 400, "{\"message\":\"A backup with ID [%d] already exists.\"}".formatted(id.get()));
    } else {
      List<String> names = historySnapshots(id.get());
      historyBackups.put(id.get(), names);
      repository.snapshot(names.get(0), "camunda-*");
      repository.snapshot(names.get(1), "operate-*,tasklist-*");
      FakeHttp.answer(exchange, 200, "{\"scheduledSnapshots\":[\"%s\",\"%s\"]}".formatted(names.get(0), names.get(1)));
    }
  }

  private void historyBackup(HttpExchange exchange, String method, long id) throws IOException {
    List<String> names = historyBackups.get(id);
    if (method.equals("DELETE")) {
      historyBackups.remove(id);
      repository.delete(historySnapshots(id));
      FakeHttp.answer(exchange, 204, null);
      return;
    }
    if (names == null) {
      FakeHttp.answer(exchange, 404, "{\"message\":\"No backup with id [%d] found.\"}".formatted(id));
      return;
    }
    List<String> details = new ArrayList<>();
    List<String> states = new ArrayList<>();
    for (String name : names) {
      String state = historyFails && name.endsWith("part_2_of_2") ? "FAILED" : repository.state(name).orElse("MISSING");
      states.add(state);
      String failures = state.equals("FAILED") ? "[\"Out of disk space\"]" : "[]";
      details.add("{\"snapshotName\":\"%s\",\"state\":\"%s\",\"startTime\":\"2026-11-22T10:00:00Z\",\"failures\":%s}".formatted(name, state, failures));
    }
    String overall =
        states.contains("FAILED") ? "FAILED"
            : states.contains("MISSING") ? "INCOMPLETE"
            : states.stream().allMatch("SUCCESS"::equals) ? "COMPLETED"
            : "IN_PROGRESS";
    String reason = overall.equals("FAILED") ? "\"Out of disk space\"" : "null";
    FakeHttp.answer(exchange, 200,
        "{\"backupId\":%d,\"state\":\"%s\",\"failureReason\":%s,\"details\":[%s]}".formatted(id, overall, reason, String.join(",", details)));
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
