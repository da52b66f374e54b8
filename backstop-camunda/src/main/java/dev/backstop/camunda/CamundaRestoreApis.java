package dev.backstop.camunda;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backstop.core.cluster.ComponentEndpoints;
import dev.backstop.core.procedure.Observation;
import dev.backstop.core.procedure.Outcome;
import dev.backstop.core.restore.RestoreApis;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a restore asks of a cluster of generation 8.2–8.7: Elasticsearch's or OpenSearch's index,
 * snapshot and search APIs, the components' actuator endpoints and Zeebe's partitions endpoint.
 *
 * <p>Lists of index names go in the URL in batches, so that no request line outgrows what the
 * search engine accepts (4 KB by default).
 */
public final class CamundaRestoreApis implements RestoreApis {

  private static final int BATCH_CHARACTERS = 2_500;
  private static final String ALL_INDICES = "expand_wildcards=open,closed,hidden";
  /** The states of a shard copy that serves searches (a relocating copy serves until it has moved). */
  private static final Set<String> ACTIVE_SHARD_STATES = Set.of("STARTED", "RELOCATING");

  /** The search engine's HTTP: with its credentials and CA. */
  private final JsonHttp http;
  /** The management endpoints' HTTP: with their CA, never the search engine's credentials. */
  private final JsonHttp management;
  private final ComponentEndpoints endpoints;
  private final String search;

  /** @param shared the shared HTTP; the cluster's credentials and CAs are added here */
  public CamundaRestoreApis(JsonHttp shared, ComponentEndpoints endpoints) {
    this.http = ComponentHttp.search(shared, endpoints.search());
    this.management = ComponentHttp.management(shared, endpoints);
    this.endpoints = endpoints;
    this.search = endpoints.search().url();
  }

  // ------------------------------------------------------------------------------ search engine

  @Override
  public Outcome<List<String>> indices(List<String> patterns) {
    List<String> names = new ArrayList<>();
    for (String batch : batches(patterns)) {
      JsonHttp.Exchange exchange =
          http.get(JsonHttp.join(search, "/" + batch + "/_settings/index.uuid?ignore_unavailable=true&allow_no_indices=true&" + ALL_INDICES));
      if (!exchange.is2xx()) {
        return Answers.failure(exchange);
      }
      exchange.json().fieldNames().forEachRemaining(names::add);
    }
    return Outcome.ok(names.stream().distinct().sorted().toList());
  }

  @Override
  public Outcome<Void> deleteIndices(List<String> names) {
    for (String batch : batches(names)) {
      JsonHttp.Exchange exchange = http.delete(JsonHttp.join(search, "/" + batch + "?ignore_unavailable=true&allow_no_indices=true"));
      if (!exchange.is2xx() && exchange.status() != 404) {
        return Answers.failure(exchange);
      }
    }
    return Outcome.done();
  }

  @Override
  public Observation snapshot(String repository, String name) {
    // The backup procedure's own reading of a snapshot's state, on the repository asked for.
    return new SearchSnapshotClient(http, search, repository).snapshotStatus(name);
  }

  @Override
  public Outcome<Void> refreshRepository(String repository) {
    String url = JsonHttp.join(search, "/_snapshot/" + encode(repository));
    JsonHttp.Exchange current = http.get(url);
    if (!current.is2xx()) {
      return Answers.failure(current);
    }
    JsonNode definition = current.json().path(repository);
    if (definition.isMissingNode()) {
      return new Outcome.Refused<>(404, "no repository " + repository);
    }
    JsonHttp.Exchange registered = http.put(url + "?verify=false", definition);
    return registered.is2xx() ? Outcome.done() : Answers.failure(registered);
  }

  @Override
  public Outcome<List<String>> snapshotIndices(String repository, String name) {
    JsonHttp.Exchange exchange = http.get(snapshotUrl(repository, name));
    if (!exchange.is2xx()) {
      return Answers.failure(exchange);
    }
    List<String> indices = new ArrayList<>();
    exchange.json().path("snapshots").path(0).path("indices").forEach(index -> indices.add(index.asText()));
    return Outcome.ok(indices);
  }

  @Override
  public Outcome<Void> startSnapshotRestore(String repository, String name) {
    JsonHttp.Exchange exchange =
        http.post(snapshotUrl(repository, name) + "/_restore?wait_for_completion=false", Map.of("include_global_state", false));
    return exchange.is2xx() ? Outcome.done() : Answers.failure(exchange);
  }

  @Override
  public Outcome<Boolean> indicesRestored(List<String> names) {
    for (String batch : batches(names)) {
      // The primaries' shard states, not the indices' health: Elasticsearch and OpenSearch report
      // an index whose primaries still recover from a snapshot for the first time as yellow, not
      // red, so health would call an index restored before it can be searched.
      JsonHttp.Exchange exchange = http.get(JsonHttp.join(search, "/_cat/shards/" + batch + "?format=json&h=index,prirep,state"));
      if (exchange.status() == 404) {
        return Outcome.ok(false); // some not created yet
      }
      if (!exchange.is2xx()) {
        return Answers.failure(exchange);
      }
      for (JsonNode shard : exchange.json()) {
        if ("p".equals(shard.path("prirep").asText()) && !ACTIVE_SHARD_STATES.contains(shard.path("state").asText())) {
          return Outcome.ok(false);
        }
      }
    }
    return Outcome.ok(true);
  }

  @Override
  public Outcome<Map<String, Map<Integer, Long>>> exportedPositions(String recordsPrefix) {
    Map<String, Object> query =
        Map.of(
            "size", 0,
            "aggs", Map.of("indices", Map.of(
                "terms", Map.of("field", "_index", "size", 10_000),
                "aggs", Map.of("partitions", Map.of(
                    "terms", Map.of("field", "partitionId", "size", 10_000),
                    "aggs", Map.of("position", Map.of("max", Map.of("field", "position"))))))));
    JsonHttp.Exchange exchange =
        http.post(JsonHttp.join(search, "/" + encode(recordsPrefix + "*") + "/_search?ignore_unavailable=true&allow_no_indices=true"), query);
    if (!exchange.is2xx()) {
      return Answers.failure(exchange);
    }
    Map<String, Map<Integer, Long>> positions = new LinkedHashMap<>();
    for (JsonNode index : exchange.json().path("aggregations").path("indices").path("buckets")) {
      String kind = kindOf(index.path("key").asText(), recordsPrefix);
      for (JsonNode partition : index.path("partitions").path("buckets")) {
        positions.computeIfAbsent(kind, k -> new LinkedHashMap<>())
            .merge(partition.path("key").asInt(), partition.path("position").path("value").asLong(-1), Math::max);
      }
    }
    return Outcome.ok(positions);
  }

  /** {@code zeebe-record_process-instance_8.6.0_2026-11-23} → {@code process-instance}. */
  static String kindOf(String index, String recordsPrefix) {
    String rest = index.startsWith(recordsPrefix + "_") ? index.substring(recordsPrefix.length() + 1) : index;
    int end = rest.indexOf('_');
    return end < 0 ? rest : rest.substring(0, end);
  }

  @Override
  public Outcome<List<ImportPosition>> importPositions(String app) {
    JsonHttp.Exchange exchange =
        http.post(
            JsonHttp.join(search, "/" + encode(app + "-import-position*") + "/_search?ignore_unavailable=true&allow_no_indices=true"),
            Map.of("size", 10_000));
    if (!exchange.is2xx()) {
      return Answers.failure(exchange);
    }
    List<ImportPosition> positions = new ArrayList<>();
    for (JsonNode hit : exchange.json().path("hits").path("hits")) {
      JsonNode source = hit.path("_source");
      positions.add(new ImportPosition(source.path("aliasName").asText(), source.path("partitionId").asInt(), source.path("position").asLong(-1)));
    }
    return Outcome.ok(positions);
  }

  // -------------------------------------------------------------------------------- components

  @Override
  public boolean answers(String managementUrl) {
    JsonHttp.Exchange exchange = management.get(JsonHttp.join(managementUrl, "/actuator/health"));
    boolean proxyError = exchange.status() == 502 || exchange.status() == 503 || exchange.status() == 504;
    // A component that runs but is unhealthy answers 503 too: with the actuator's own {"status": …} body.
    return exchange.answered() && (!proxyError || exchange.body().contains("\"status\""));
  }

  @Override
  public boolean ready(String managementUrl) {
    return management.get(JsonHttp.join(managementUrl, "/actuator/health/readiness")).is2xx();
  }

  @Override
  public Outcome<List<String>> zeebeTopologyProblems() {
    JsonHttp.Exchange exchange = management.get(JsonHttp.join(endpoints.zeebeManagementUrl(), "/actuator/partitions"));
    if (!exchange.is2xx()) {
      return Answers.failure(exchange);
    }
    List<String> problems = new ArrayList<>();
    Iterator<Map.Entry<String, JsonNode>> partitions = exchange.json().fields();
    if (!partitions.hasNext()) {
      problems.add("Zeebe reports no partition");
    }
    while (partitions.hasNext()) {
      Map.Entry<String, JsonNode> partition = partitions.next();
      String role = partition.getValue().path("role").asText("");
      String processing = partition.getValue().path("streamProcessorPhase").asText("");
      if (!role.equals("LEADER") && !role.equals("FOLLOWER")) {
        problems.add("partition " + partition.getKey() + " has role '" + role + "'");
      } else if (role.equals("LEADER") && !processing.isEmpty() && !processing.equals("PROCESSING")) {
        problems.add("partition " + partition.getKey() + "'s stream processor is " + processing);
      }
    }
    return Outcome.ok(problems);
  }

  // ------------------------------------------------------------------------------------ helpers

  private String snapshotUrl(String repository, String name) {
    return JsonHttp.join(search, "/_snapshot/" + encode(repository) + "/" + encode(name));
  }

  /** Comma-joined, URL-encoded names, in batches short enough for a request line. */
  private static List<String> batches(List<String> names) {
    List<String> batches = new ArrayList<>();
    StringBuilder batch = new StringBuilder();
    for (String name : names) {
      String encoded = encode(name);
      if (batch.length() > 0 && batch.length() + encoded.length() + 1 > BATCH_CHARACTERS) {
        batches.add(batch.toString());
        batch.setLength(0);
      }
      batch.append(batch.length() > 0 ? "," : "").append(encoded);
    }
    if (batch.length() > 0) {
      batches.add(batch.toString());
    }
    return batches;
  }

  private static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("%2A", "*");
  }
}
