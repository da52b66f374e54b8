package dev.backstop.testbed;

import java.util.List;
import java.util.Map;

/**
 * A logged-in session with Operate's public API, as its default user. Operate 8.6 authenticates
 * API calls by session cookie and expects the CSRF token it hands out at login on every call.
 */
final class OperateSession {

  private static final String USER = "demo";

  private final Http http;
  private final String operateUrl;
  private final String cookie;
  private final String csrfToken;

  OperateSession(Http http, String operateUrl) {
    this.http = http;
    this.operateUrl = operateUrl;
    Http.Response login =
        http.send(
            Http.request(operateUrl + "/api/login?username=" + USER + "&password=" + USER)
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()));
    if (!login.isSuccess()) {
      throw new TestbedException("Operate login failed: HTTP " + login.status() + " " + login.body());
    }
    this.cookie =
        String.join(
            "; ",
            login.headers().getOrDefault("set-cookie", List.of()).stream()
                .map(header -> header.split(";", 2)[0])
                .toList());
    this.csrfToken = login.headers().getOrDefault("x-csrf-token", List.of("")).getFirst();
  }

  /** The keys of the ACTIVE instances of a process, as Operate's public API lists them (at most 1,000). */
  List<Long> activeProcessInstanceKeys(String bpmnProcessId) {
    com.fasterxml.jackson.databind.JsonNode found =
        http.postJson(
                operateUrl + "/v1/process-instances/search",
                Map.of("filter", Map.of("bpmnProcessId", bpmnProcessId, "state", "ACTIVE"), "size", 1000),
                "Cookie",
                cookie,
                "X-CSRF-TOKEN",
                csrfToken)
            .successJson();
    List<Long> keys = new java.util.ArrayList<>();
    found.path("items").forEach(item -> keys.add(item.path("key").asLong()));
    return keys;
  }

  long countProcessInstances(String bpmnProcessId) {
    return http.postJson(
            operateUrl + "/v1/process-instances/search",
            Map.of("filter", Map.of("bpmnProcessId", bpmnProcessId), "size", 1),
            "Cookie",
            cookie,
            "X-CSRF-TOKEN",
            csrfToken)
        .successJson()
        .path("total")
        .asLong();
  }
}
