package dev.backstop.camunda;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A hand-written stand-in for Optimize's backup API (management port, {@code /actuator/backups}),
 * because Optimize cannot be obtained or run here. It follows the documented shapes: a start
 * answers 202 with a message, a duplicate id 409, a status has two snapshot parts {@code
 * camunda_optimize_{id}_{version}_part_{1|2}_of_2} and moves IN_PROGRESS → COMPLETED after a given
 * number of polls, a delete answers 204, an unknown id 404.
 */
final class FakeOptimize implements AutoCloseable {

  private static final Pattern BY_ID = Pattern.compile("/actuator/backups/(\\d+)");

  private final HttpServer server;
  private final Map<Long, Integer> polls = new ConcurrentHashMap<>();
  volatile int pollsUntilDone = 2;
  volatile boolean failing;

  FakeOptimize() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/actuator/backups", this::handle);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    String method = exchange.getRequestMethod();
    Matcher byId = BY_ID.matcher(path);
    if (method.equals("POST") && path.equals("/actuator/backups")) {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      Matcher id = Pattern.compile("\"backupId\"\\s*:\\s*(\\d+)").matcher(body);
      if (!id.find()) {
        answer(exchange, 400, "{\"message\":\"backupId is required\"}");
      } else if (polls.putIfAbsent(Long.parseLong(id.group(1)), 0) != null) {
        answer(exchange, 409, "{\"message\":\"A backup with ID [" + id.group(1) + "] already exists.\"}");
      } else {
        answer(exchange, 202, "{\"message\":\"Backup creation for ID " + id.group(1) + " has been scheduled.\"}");
      }
    } else if (method.equals("GET") && byId.matches()) {
      long id = Long.parseLong(byId.group(1));
      Integer seen = polls.computeIfPresent(id, (key, count) -> count + 1);
      if (seen == null) {
        answer(exchange, 404, "{\"message\":\"No Optimize backup with ID [" + id + "] could be found.\"}");
        return;
      }
      String state = failing ? "FAILED" : seen >= pollsUntilDone ? "COMPLETED" : "IN_PROGRESS";
      String partState = failing ? "FAILED" : seen >= pollsUntilDone ? "SUCCESS" : "IN_PROGRESS";
      answer(
          exchange,
          200,
          """
          {"backupId":%d,"failureReason":%s,"state":"%s","details":[
            {"snapshotName":"camunda_optimize_%d_8.6.0_part_1_of_2","state":"%s","startTime":"2026-11-22T00:00:00Z","failures":[]},
            {"snapshotName":"camunda_optimize_%d_8.6.0_part_2_of_2","state":"%s","startTime":"2026-11-22T00:00:01Z","failures":[]}]}
          """
              .formatted(id, failing ? "\"snapshot failed\"" : "null", state, id, partState, id, partState));
    } else if (method.equals("DELETE") && byId.matches()) {
      polls.remove(Long.parseLong(byId.group(1)));
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
