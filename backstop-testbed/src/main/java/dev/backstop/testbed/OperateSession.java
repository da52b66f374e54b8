package dev.backstop.testbed;

import java.util.List;
import java.util.Map;

/**
 * A logged-in session with Operate's public API, as its default user. Operate 8.6 authenticates
 * API calls by session cookie and expects the CSRF token it hands out at login on every call.
 */
final class OperateSession {

  private final Http http;
  private final String operateUrl;
  private final WebAppLogin login;

  OperateSession(Http http, String operateUrl) {
    this.http = http;
    this.operateUrl = operateUrl;
    this.login = WebAppLogin.of(http, operateUrl, "Operate");
  }

  /** The keys of the ACTIVE instances of a process, as Operate's public API lists them (at most 1,000). */
  List<Long> activeProcessInstanceKeys(String bpmnProcessId) {
    com.fasterxml.jackson.databind.JsonNode found =
        http.postJson(
                operateUrl + "/v1/process-instances/search",
                Map.of("filter", Map.of("bpmnProcessId", bpmnProcessId, "state", "ACTIVE"), "size", 1000),
                login.headers())
            .successJson();
    List<Long> keys = new java.util.ArrayList<>();
    found.path("items").forEach(item -> keys.add(item.path("key").asLong()));
    return keys;
  }

  long countProcessInstances(String bpmnProcessId) {
    return http.postJson(
            operateUrl + "/v1/process-instances/search",
            Map.of("filter", Map.of("bpmnProcessId", bpmnProcessId), "size", 1),
            login.headers())
        .successJson()
        .path("total")
        .asLong();
  }
}
