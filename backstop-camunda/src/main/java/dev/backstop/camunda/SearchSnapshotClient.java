package dev.backstop.camunda;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backstop.core.procedure.Observation;
import dev.backstop.core.procedure.Outcome;
import dev.backstop.core.procedure.SnapshotApi;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The snapshot API of Elasticsearch or OpenSearch ({@code /_snapshot/{repository}/…}). */
public final class SearchSnapshotClient implements SnapshotApi {

  private final JsonHttp http;
  private final String searchUrl;
  private final String repository;

  public SearchSnapshotClient(JsonHttp http, String searchUrl, String repository) {
    this.http = http;
    this.searchUrl = searchUrl;
    this.repository = repository;
  }

  /**
   * {@inheritDoc}
   *
   * <p>{@code feature_states: ["none"]} is sent to every engine and version, so no version is read
   * first: Elasticsearch 7.12+ honours it (no system indices' feature states, whatever {@code
   * include_global_state} says), and Elasticsearch before 7.12 and OpenSearch, which do not know
   * the field, ignore unknown fields of this body (7.10.2's request parser has no case for them;
   * both accept it in {@code SearchEngineCallsContract}).
   */
  @Override
  public Outcome<Void> createSnapshot(String name, String indexPattern) {
    JsonHttp.Exchange exchange =
        http.put(
            url(encode(name) + "?wait_for_completion=false"),
            Map.of("indices", indexPattern, "include_global_state", false, "feature_states", List.of("none")));
    return exchange.is2xx() ? Outcome.done() : Answers.failure(exchange);
  }

  @Override
  public Observation snapshotStatus(String name) {
    JsonHttp.Exchange exchange = http.get(url(encode(name)));
    if (exchange.status() == 404) {
      return new Observation.NotFound(exchange.summary());
    }
    if (!exchange.is2xx()) {
      return Answers.observationOf(exchange);
    }
    JsonNode snapshot = exchange.json().path("snapshots").path(0);
    String state = snapshot.path("state").asText();
    return switch (state) {
      case "SUCCESS" -> new Observation.Completed(snapshot.path("indices").size() + " indices");
      case "IN_PROGRESS", "STARTED", "INIT" -> new Observation.InProgress(state);
      case "FAILED", "PARTIAL", "INCOMPATIBLE" ->
          new Observation.Failed(state + ": " + snapshot.path("reason").asText("") + " " + snapshot.path("failures"));
      default -> new Observation.Unreachable("unreadable answer: " + exchange.summary());
    };
  }

  /**
   * {@inheritDoc}
   *
   * <p>{@code GET _snapshot/{repository}/_status} names no snapshot, so it answers the running
   * ones only, from the cluster state (Elasticsearch and OpenSearch alike).
   */
  @Override
  public Outcome<Set<String>> runningSnapshots() {
    JsonHttp.Exchange exchange = http.get(url("_status"));
    if (!exchange.is2xx()) {
      return Answers.failure(exchange);
    }
    Set<String> names = new java.util.TreeSet<>();
    for (JsonNode snapshot : exchange.json().path("snapshots")) {
      names.add(snapshot.path("snapshot").asText());
    }
    return Outcome.ok(names);
  }

  @Override
  public Outcome<Void> deleteSnapshots(List<String> namesOrPatterns) {
    for (String nameOrPattern : namesOrPatterns) {
      // One at a time: a list with one absent concrete name is answered 404 as a whole.
      JsonHttp.Exchange exchange = http.delete(url(encode(nameOrPattern)));
      if (!exchange.is2xx() && exchange.status() != 404) {
        return Answers.failure(exchange);
      }
    }
    return Outcome.done();
  }

  /** {@inheritDoc} From the nodes' info ({@code GET _nodes/thread_pool}): each node's snapshot pool's {@code max}. */
  @Override
  public Outcome<Integer> snapshotThreads() {
    JsonHttp.Exchange exchange = http.get(JsonHttp.join(searchUrl, "/_nodes/thread_pool"));
    if (!exchange.is2xx()) {
      return Answers.failure(exchange);
    }
    int threads = 0;
    for (JsonNode node : exchange.json().path("nodes")) {
      threads += node.path("thread_pool").path("snapshot").path("max").asInt(0);
    }
    return threads > 0 ? Outcome.ok(threads) : new Outcome.Unreachable<>("no node reports a snapshot pool: " + exchange.summary());
  }

  @Override
  public Outcome<List<String>> snapshotNames(String pattern) {
    JsonHttp.Exchange exchange = http.get(url(encode(pattern)));
    if (exchange.status() == 404) {
      return Outcome.ok(List.of());
    }
    if (!exchange.is2xx()) {
      return Answers.failure(exchange);
    }
    List<String> names = new ArrayList<>();
    exchange.json().path("snapshots").forEach(snapshot -> names.add(snapshot.path("snapshot").asText()));
    return Outcome.ok(names);
  }

  private String url(String rest) {
    return JsonHttp.join(searchUrl, "/_snapshot/" + encode(repository) + "/" + rest);
  }

  private static String encode(String segment) {
    // Keep the wildcard readable; everything else that is not URL-safe is escaped.
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("%2A", "*");
  }
}
