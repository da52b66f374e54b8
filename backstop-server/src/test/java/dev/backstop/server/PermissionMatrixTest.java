package dev.backstop.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backstop.server.support.Api;
import dev.backstop.server.support.BackstopIT;
import dev.backstop.server.support.TestCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Every endpoint × {no token, another organization's client, a client lacking the permission, a
 * client with it} answers 401 / 404 / 403 / its success — one table, run in order (later rows use
 * what earlier ones made). A refused call changes nothing: the row's success comes after them.
 */
class PermissionMatrixTest extends BackstopIT {

  /** The permissions an organization's client can have. */
  enum Scope {
    BACKUPS_READ("backups:read"), BACKUPS_WRITE("backups:write"), BACKUPS_RESTORE("backups:restore"), CLUSTERS_READ("clusters:read"),
    CLUSTERS_WRITE("clusters:write"), AUDIT_READ("audit:read"), WEBHOOKS_READ("webhooks:read"), WEBHOOKS_WRITE("webhooks:write"),
    /** The operator's. */
    ADMIN("admin");

    final String scope;

    Scope(String scope) {
      this.scope = scope;
    }
  }

  /**
   * One endpoint.
   *
   * @param foreign whether another organization's client is answered 404 (the endpoint is about one
   *     organization's cluster or settings); else that column does not apply
   * @param success what the client with the permission gets
   */
  record Row(String method, Supplier<String> path, Scope needs, boolean foreign, Supplier<Object> body, int success) {
    static Row of(String method, Supplier<String> path, Scope needs, int success) {
      return new Row(method, path, needs, true, () -> null, success);
    }

    Row withBody(Supplier<Object> newBody) {
      return new Row(method, path, needs, foreign, newBody, success);
    }

    Row notOrganizationScoped() {
      return new Row(method, path, needs, false, body, success);
    }

    @Override
    public String toString() {
      return method + " " + path.get() + " (" + needs.scope + ")";
    }
  }

  private final Map<String, String> made = new java.util.concurrent.ConcurrentHashMap<>();

  @Test
  void shouldAnswerEveryEndpointByTokenOrganizationAndPermission() {
    String c = testCluster.clusterId();
    String org = testCluster.organizationId();
    // a second cluster of the organization, on the same components, to restore and delete
    String spareName = "matrix-spare-" + UUID.randomUUID().toString().substring(0, 8);
    Api.Answer spare = operator.postJson("/clusters", TestCluster.registration(org, spareName, "8.6.0", testbed));
    assertThat(spare.status()).as(spare.toString()).isEqualTo(201);
    String x = spare.json().path("uuid").asText();
    Api.Answer spareBackup = operator.post("/clusters/" + x + "/backups", null);
    assertThat(spareBackup.status()).as(spareBackup.toString()).isEqualTo(202);
    long xb = spareBackup.json().path("backupId").asLong();
    awaitState(x, xb, "COMPLETED");

    Api outsider = clientOf(newOrganization(), EnumSet.complementOf(EnumSet.of(Scope.ADMIN)));
    Api anonymous = Api.anonymous(baseUrl());

    List<Row> rows = new ArrayList<>(List.of(
        Row.of("GET", () -> "/clusters", Scope.CLUSTERS_READ, 200).notOrganizationScoped(),
        Row.of("POST", () -> "/clusters", Scope.CLUSTERS_WRITE, 201).notOrganizationScoped()
            .withBody(() -> TestCluster.registration(null, "matrix-" + UUID.randomUUID().toString().substring(0, 8), "8.6.0", testbed)),
        Row.of("GET", () -> "/clusters/" + c, Scope.CLUSTERS_READ, 200),
        Row.of("PUT", () -> "/clusters/" + c + "/generation", Scope.CLUSTERS_WRITE, 200).withBody(() -> Map.of("generation", "8.6.0")),
        Row.of("GET", () -> "/clusters/" + c + "/backups", Scope.BACKUPS_READ, 200),
        Row.of("POST", () -> "/clusters/" + c + "/backups", Scope.BACKUPS_WRITE, 202),
        Row.of("GET", () -> "/clusters/" + c + "/backups/" + made.get("backup"), Scope.BACKUPS_READ, 200),
        // a same-region backup has no failed replication to retry: the permitted call reaches the use case, which refuses it
        Row.of("POST", () -> "/clusters/" + c + "/backups/" + made.get("backup") + "/replication", Scope.BACKUPS_WRITE, 409),
        Row.of("PUT", () -> "/clusters/" + c + "/backup-schedule", Scope.BACKUPS_WRITE, 200)
            .withBody(() -> Map.of("frequency", "WEEKLY", "dayOfWeek", "SUNDAY", "time", "02:00", "timeZone", "Europe/Paris", "enabled", false)),
        Row.of("GET", () -> "/clusters/" + c + "/backup-schedule", Scope.BACKUPS_READ, 200),
        Row.of("GET", () -> "/clusters/" + c + "/backup-schedule/runs", Scope.BACKUPS_READ, 200),
        Row.of("DELETE", () -> "/clusters/" + c + "/backup-schedule", Scope.BACKUPS_WRITE, 204),
        Row.of("GET", () -> "/clusters/" + c + "/restores", Scope.BACKUPS_READ, 200),
        Row.of("POST", () -> "/clusters/" + x + "/backups/" + xb + "/restore", Scope.BACKUPS_RESTORE, 202),
        Row.of("GET", () -> "/clusters/" + x + "/restores/" + made.get("restore"), Scope.BACKUPS_READ, 200),
        Row.of("POST", () -> "/clusters/" + x + "/restores/" + made.get("restore") + "/confirm", Scope.BACKUPS_RESTORE, 202)
            .withBody(() -> Map.of("phase", "STOP_COMPONENTS")),
        Row.of("DELETE", () -> "/clusters/" + c + "/backups/" + made.get("backup"), Scope.BACKUPS_WRITE, 202),
        Row.of("DELETE", () -> "/clusters/" + x + "?confirm=" + spareName, Scope.CLUSTERS_WRITE, 202),
        Row.of("GET", () -> "/audit", Scope.AUDIT_READ, 200).notOrganizationScoped(),
        Row.of("GET", () -> "/organizations/" + org + "/webhooks", Scope.WEBHOOKS_READ, 200),
        Row.of("POST", () -> "/organizations/" + org + "/webhooks", Scope.WEBHOOKS_WRITE, 201)
            .withBody(() -> Map.of("url", "http://127.0.0.1:9/matrix-" + UUID.randomUUID(), "events", List.of("backup.failed"))),
        Row.of("GET", () -> "/organizations/" + org + "/webhooks/" + made.get("webhook"), Scope.WEBHOOKS_READ, 200),
        Row.of("GET", () -> "/organizations/" + org + "/webhooks/" + made.get("webhook") + "/deliveries", Scope.WEBHOOKS_READ, 200),
        Row.of("DELETE", () -> "/organizations/" + org + "/webhooks/" + made.get("webhook"), Scope.WEBHOOKS_WRITE, 204),
        Row.of("GET", () -> "/admin/organizations", Scope.ADMIN, 200).notOrganizationScoped(),
        Row.of("POST", () -> "/admin/organizations", Scope.ADMIN, 201).notOrganizationScoped()
            .withBody(() -> Map.of("name", "matrix-org-" + UUID.randomUUID(), "plan", "ENTERPRISE")),
        Row.of("POST", () -> "/admin/organizations/" + org + "/clients", Scope.ADMIN, 201).notOrganizationScoped()
            .withBody(() -> Map.of("name", "matrix-client", "permissions", List.of("backups:read"))),
        Row.of("DELETE", () -> "/admin/organizations/" + org + "/clients/" + made.get("client"), Scope.ADMIN, 204).notOrganizationScoped(),
        Row.of("GET", () -> "/admin/clusters/" + c + "/backup-policy", Scope.ADMIN, 200).notOrganizationScoped(),
        Row.of("PUT", () -> "/admin/clusters/" + c + "/backup-policy", Scope.ADMIN, 200).notOrganizationScoped()
            .withBody(() -> Map.of("manualRateLimit", "PT0S", "manualRetention", 3, "scheduledRetention", 3)),
        Row.of("GET", () -> "/admin/regions", Scope.ADMIN, 200).notOrganizationScoped(),
        Row.of("GET", () -> "/admin/signing-keys", Scope.ADMIN, 200).notOrganizationScoped(),
        Row.of("GET", () -> "/actuator/prometheus", Scope.ADMIN, 200).notOrganizationScoped()));

    List<String> checked = new ArrayList<>();
    for (Row row : rows) {
      // no token
      assertThat(call(anonymous, row).status()).as("no token: " + row).isEqualTo(401);
      // another organization's client, with every permission an organization can have
      if (row.foreign()) {
        Api.Answer foreign = call(outsider, row);
        assertThat(foreign.status()).as("other organization: " + row + " → " + foreign).isEqualTo(404);
      }
      // a client of the organization with every permission but the one needed
      EnumSet<Scope> lacking = EnumSet.complementOf(EnumSet.of(row.needs(), Scope.ADMIN));
      Api.Answer refused = call(clientOf(org, lacking), row);
      assertThat(refused.status()).as("lacking the permission: " + row + " → " + refused).isEqualTo(403);
      assertThat(refused.contentType()).startsWith("application/problem+json");
      // the client with it (the operator for the operator's endpoints)
      Api permitted = row.needs() == Scope.ADMIN ? operator : clientOf(org, EnumSet.of(row.needs()));
      Api.Answer answer = call(permitted, row);
      assertThat(answer.status()).as("with the permission: " + row + " → " + answer).isEqualTo(row.success());
      remember(row, answer);
      checked.add(row.toString());
    }
    assertThat(checked).hasSize(rows.size());
    assertThat(operator.delete("/clusters/" + made.get("registered")).status()).isEqualTo(202);
  }

  /** What later rows need from earlier answers, and the waits between them. */
  private void remember(Row row, Api.Answer answer) {
    String path = row.path().get();
    if (row.method().equals("POST") && path.equals(backupsPath())) {
      made.put("backup", answer.json().path("backupId").asText());
      awaitState(testCluster.clusterId(), Long.parseLong(made.get("backup")), "COMPLETED");
    } else if (row.method().equals("POST") && path.endsWith("/restore")) {
      made.put("restore", answer.json().path("id").asText());
      String cluster = path.split("/")[2];
      await("the restore waits for the operator to stop the components")
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> operator.get("/clusters/" + cluster + "/restores/" + made.get("restore")).json().path("state").asText().equals("WAITING"));
    } else if (row.method().equals("POST") && path.endsWith("/confirm")) {
      String cluster = path.split("/")[2];
      // the components were never stopped: the confirmed stop is checked, and the restore fails there, changing nothing
      await("the restore ends")
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> operator.get("/clusters/" + cluster + "/restores/" + made.get("restore")).json().path("state").asText().equals("FAILED"));
    } else if (row.method().equals("POST") && path.equals("/clusters")) {
      made.put("registered", answer.json().path("uuid").asText() + "?confirm=" + answer.json().path("name").asText());
    } else if (row.method().equals("POST") && path.endsWith("/webhooks")) {
      made.put("webhook", answer.json().path("id").asText());
    } else if (row.method().equals("POST") && path.endsWith("/clients")) {
      made.put("client", answer.json().path("clientId").asText());
    }
  }

  private Api.Answer call(Api api, Row row) {
    Object body = row.body().get();
    return switch (row.method()) {
      case "GET" -> api.get(row.path().get());
      case "DELETE" -> api.delete(row.path().get());
      case "POST" -> body == null ? api.post(row.path().get(), null) : api.postJson(row.path().get(), body);
      case "PUT" -> api.putJson(row.path().get(), body);
      default -> throw new IllegalArgumentException(row.method());
    };
  }

  private void awaitState(String clusterId, long backupId, String state) {
    await("backup " + backupId + " of " + clusterId + " is " + state)
        .atMost(BACKUP_TIMEOUT)
        .pollInterval(Duration.ofMillis(500))
        .until(() -> operator.get("/clusters/" + clusterId + "/backups/" + backupId).json().path("state").asText().equals(state));
  }

  private String newOrganization() {
    Api.Answer created = operator.postJson("/admin/organizations", Map.of("name", "matrix-other-" + UUID.randomUUID(), "plan", "ENTERPRISE"));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return created.json().path("id").asText();
  }

  private final Map<String, Api> clients = new java.util.HashMap<>();

  private Api clientOf(String organizationId, EnumSet<Scope> scopes) {
    return clients.computeIfAbsent(organizationId + scopes, key -> {
      List<String> permissions = scopes.stream().map(s -> s.scope).toList();
      Api.Answer created = operator.postJson("/admin/organizations/" + organizationId + "/clients", Map.of("name", "matrix", "permissions", permissions));
      assertThat(created.status()).as(created.toString()).isEqualTo(201);
      JsonNode client = created.json();
      return Api.as(baseUrl(), client.path("clientId").asText(), client.path("clientSecret").asText());
    });
  }
}
