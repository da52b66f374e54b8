package dev.backstop.camunda;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the hand-written fakes of Camunda's management APIs share: reading a {@code backupId}
 * body, answering JSON, and the snapshots they take in a real search engine's repository (as the
 * real web apps do: their backups are that engine's snapshots, so the procedure's own look at the
 * repository, its cleanup and a restore see them).
 */
final class FakeHttp {

  private static final Pattern BACKUP_ID = Pattern.compile("\"backupId\"\\s*:\\s*(\\d+)");

  private FakeHttp() {}

  static Optional<Long> backupIdIn(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    Matcher id = BACKUP_ID.matcher(body);
    return id.find() ? Optional.of(Long.parseLong(id.group(1))) : Optional.empty();
  }

  static void answer(HttpExchange exchange, int status, String json) throws IOException {
    if (json == null) {
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
      return;
    }
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  /** A snapshot repository of a real search engine, as a web app's backup uses it. */
  record Repository(JsonHttp http, String searchUrl, String name) {

    /** Starts snapshot {@code snapshot} of the indices matching {@code indices}, without waiting. */
    void snapshot(String snapshot, String indices) {
      JsonHttp.Exchange created =
          http.put(url(snapshot) + "?wait_for_completion=false", Map.of("indices", indices, "include_global_state", false));
      if (!created.is2xx()) {
        throw new IllegalStateException("snapshot " + snapshot + ": HTTP " + created.status() + " " + created.body());
      }
    }

    /** The snapshot's state (SUCCESS, IN_PROGRESS, FAILED, …), or empty when it does not exist. */
    Optional<String> state(String snapshot) {
      JsonHttp.Exchange read = http.get(url(snapshot));
      return read.is2xx() ? Optional.of(read.json().path("snapshots").path(0).path("state").asText()) : Optional.empty();
    }

    void delete(List<String> snapshots) {
      snapshots.forEach(snapshot -> http.delete(url(snapshot)));
    }

    private String url(String snapshot) {
      return JsonHttp.join(searchUrl, "/_snapshot/" + name + "/" + snapshot);
    }
  }
}
