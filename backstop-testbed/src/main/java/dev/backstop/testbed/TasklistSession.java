package dev.backstop.testbed;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A logged-in session with Tasklist's public API (v1), as its default user: Tasklist 8.6, like
 * Operate, authenticates API calls by session cookie and a CSRF token handed out at login.
 */
final class TasklistSession {

  private static final String USER = "demo";

  private final Http http;
  private final String tasklistUrl;
  private final String cookie;
  private final String csrfToken;

  TasklistSession(Http http, String tasklistUrl) {
    this.http = http;
    this.tasklistUrl = tasklistUrl;
    Http.Response login =
        http.send(
            Http.request(tasklistUrl + "/api/login?username=" + USER + "&password=" + USER)
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()));
    if (!login.isSuccess()) {
      throw new TestbedException("Tasklist login failed: HTTP " + login.status() + " " + login.body());
    }
    this.cookie =
        String.join("; ", login.headers().getOrDefault("set-cookie", List.of()).stream().map(header -> header.split(";", 2)[0]).toList());
    this.csrfToken = login.headers().getOrDefault("x-csrf-token", List.of("")).getFirst();
  }

  /** The process instance keys of every open (CREATED) task (at most 1,000 tasks). */
  List<Long> openTaskProcessInstanceKeys() {
    JsonNode tasks =
        http.postJson(
                tasklistUrl + "/v1/tasks/search", Map.of("state", "CREATED", "pageSize", 1000), "Cookie", cookie, "X-CSRF-TOKEN", csrfToken)
            .successJson();
    List<Long> keys = new ArrayList<>();
    tasks.forEach(task -> keys.add(task.path("processInstanceKey").asLong()));
    return keys;
  }
}
