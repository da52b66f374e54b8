package dev.backstop.camunda;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A hand-written stand-in for Optimize's backup API (management port, {@code /actuator/backups}),
 * because Optimize cannot be obtained or run here. It follows the documented shapes (the same in
 * 8.2–8.8): a start answers 202 with a message, a duplicate id 409, a status has two snapshot parts
 * {@code camunda_optimize_{id}_{version}_part_{1|2}_of_2} and moves IN_PROGRESS → COMPLETED after a
 * given number of polls, a delete answers 204, an unknown id 404.
 *
 * <p>Given a real search engine's repository ({@link #FakeOptimize(FakeHttp.Repository, String,
 * List)}), it takes those two snapshots there for real ({@code optimize-report*} and {@code
 * optimize-process*}), reports their states as Optimize does, and deletes them with the backup.
 * Stopped ({@link #stopped}), it answers every request 503 without a body, as the ingress in front
 * of a component scaled to zero does; {@code /actuator/health} answers while it runs.
 */
final class FakeOptimize implements AutoCloseable {

  private static final Pattern BY_ID = Pattern.compile("/actuator/backups/(\\d+)");

  private final HttpServer server;
  private final Map<Long, Integer> polls = new ConcurrentHashMap<>();
  private final FakeHttp.Repository repository;
  private final String version;
  private final List<String> log;
  volatile int pollsUntilDone = 2;
  volatile boolean failing;
  volatile boolean stopped;

  FakeOptimize() throws IOException {
    this(null, "8.6.0", new java.util.ArrayList<>());
  }

  /**
   * @param repository where its snapshots are taken for real; null to only pretend
   * @param log where each request is appended as "OPTIMIZE METHOD path"
   */
  FakeOptimize(FakeHttp.Repository repository, String version, List<String> log) throws IOException {
    this.repository = repository;
    this.version = version;
    this.log = log;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  /** The names of its two snapshots of backup {@code id}. */
  List<String> snapshotNames(long id) {
    return List.of("camunda_optimize_" + id + "_" + version + "_part_1_of_2", "camunda_optimize_" + id + "_" + version + "_part_2_of_2");
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    String method = exchange.getRequestMethod();
    Matcher byId = BY_ID.matcher(path);
    log.add("OPTIMIZE " + method + " " + path);
    if (stopped) {
      FakeHttp.answer(exchange, 503, null);
    } else if (method.equals("GET") && path.startsWith("/actuator/health")) {
      answer(exchange, 200, "{\"status\":\"UP\"}");
    } else if (method.equals("POST") && path.equals("/actuator/backups")) {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      Matcher id = Pattern.compile("\"backupId\"\\s*:\\s*(\\d+)").matcher(body);
      if (!id.find()) {
        answer(exchange, 400, "{\"message\":\"backupId is required\"}");
      } else if (polls.putIfAbsent(Long.parseLong(id.group(1)), 0) != null) {
        answer(exchange, 409, "{\"message\":\"A backup with ID [" + id.group(1) + "] already exists.\"}");
      } else {
        if (repository != null) {
          List<String> names = snapshotNames(Long.parseLong(id.group(1)));
          repository.snapshot(names.get(0), "optimize-report*");
          repository.snapshot(names.get(1), "optimize-process*");
        }
        answer(exchange, 202, "{\"message\":\"Backup creation for ID " + id.group(1) + " has been scheduled.\"}");
      }
    } else if (method.equals("GET") && byId.matches()) {
      long id = Long.parseLong(byId.group(1));
      Integer seen = polls.computeIfPresent(id, (key, count) -> count + 1);
      if (seen == null) {
        answer(exchange, 404, "{\"message\":\"No Optimize backup with ID [" + id + "] could be found.\"}");
        return;
      }
      String partState = failing ? "FAILED" : seen >= pollsUntilDone ? "SUCCESS" : "IN_PROGRESS";
      if (repository != null && !failing) {
        List<String> states = snapshotNames(id).stream().map(name -> repository.state(name).orElse("MISSING")).distinct().toList();
        partState = states.size() == 1 ? states.getFirst() : "IN_PROGRESS";
      }
      String state = failing ? "FAILED" : partState.equals("SUCCESS") ? "COMPLETED" : "IN_PROGRESS";
      answer(
          exchange,
          200,
          """
          {"backupId":%d,"failureReason":%s,"state":"%s","details":[
            {"snapshotName":"%s","state":"%s","startTime":"2026-11-22T00:00:00Z","failures":[]},
            {"snapshotName":"%s","state":"%s","startTime":"2026-11-22T00:00:01Z","failures":[]}]}
          """
              .formatted(id, failing ? "\"snapshot failed\"" : "null", state, snapshotNames(id).get(0), partState, snapshotNames(id).get(1), partState));
    } else if (method.equals("DELETE") && byId.matches()) {
      polls.remove(Long.parseLong(byId.group(1)));
      if (repository != null) {
        repository.delete(snapshotNames(Long.parseLong(byId.group(1))));
      }
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    } else {
      answer(exchange, 404, "{}");
    }
  }

  private static void answer(HttpExchange exchange, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
