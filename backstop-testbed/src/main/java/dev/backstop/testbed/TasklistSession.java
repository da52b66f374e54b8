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

  private final Http http;
  private final String tasklistUrl;
  private final WebAppLogin login;

  TasklistSession(Http http, String tasklistUrl) {
    this.http = http;
    this.tasklistUrl = tasklistUrl;
    this.login = WebAppLogin.of(http, tasklistUrl, "Tasklist");
  }

  /** The process instance keys of every open (CREATED) task (at most 1,000 tasks). */
  List<Long> openTaskProcessInstanceKeys() {
    JsonNode tasks =
        http.postJson(
                tasklistUrl + "/v1/tasks/search", Map.of("state", "CREATED", "pageSize", 1000), login.headers())
            .successJson();
    List<Long> keys = new ArrayList<>();
    tasks.forEach(task -> keys.add(task.path("processInstanceKey").asLong()));
    return keys;
  }
}
