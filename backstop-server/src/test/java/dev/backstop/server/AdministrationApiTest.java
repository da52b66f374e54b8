package dev.backstop.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backstop.server.support.Api;
import dev.backstop.server.support.StandaloneBackstopTest;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The operator's and the schedule endpoints as a client sees them on the wire: fields, status
 * codes, problems naming fields, who may do what. Pins their behaviour across the move of the use
 * cases out of the controllers.
 */
class AdministrationApiTest extends StandaloneBackstopTest {

  @Test
  void shouldCreateAndListOrganizations() {
    // when
    String name = "org-" + UUID.randomUUID();
    Api.Answer created = operator.postJson("/admin/organizations", Map.of("name", name, "plan", "STARTER"));

    // then
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    JsonNode organization = created.json();
    assertThat(fieldNames(organization)).containsExactly("id", "name", "plan", "createdAt");
    assertThat(organization.path("name").asText()).isEqualTo(name);
    assertThat(organization.path("plan").asText()).isEqualTo("STARTER");
    assertThat(created.header("Location")).contains("/admin/organizations/" + organization.path("id").asText());
    JsonNode listed = null;
    for (JsonNode each : operator.get("/admin/organizations").json()) {
      listed = each.path("id").equals(organization.path("id")) ? each : listed;
    }
    assertThat(listed).as("listed").isNotNull();
    assertThat(fieldNames(listed)).containsExactly("id", "name", "plan", "createdAt");
    assertThat(listed.path("name")).isEqualTo(organization.path("name"));
    assertThat(listed.path("plan")).isEqualTo(organization.path("plan"));

    // and bad input is named field by field
    Api.Answer invalid = operator.postJson("/admin/organizations", Map.of("plan", "GOLD"));
    assertThat(invalid.status()).isEqualTo(400);
    assertThat(invalid.contentType()).startsWith("application/problem+json");
    assertThat(invalid.json().path("errors")).hasSize(2);
    assertThat(invalid.json().path("errors").get(0).path("field").asText()).isEqualTo("name");
    assertThat(invalid.json().path("errors").get(0).path("message").asText()).isEqualTo("is required");
    assertThat(invalid.json().path("errors").get(1).path("field").asText()).isEqualTo("plan");
    assertThat(invalid.json().path("errors").get(1).path("message").asText()).isEqualTo("must be one of [FREE, STARTER, PROFESSIONAL, ENTERPRISE]");
    assertThat(invalid.json().path("detail").asText()).isEqualTo("Invalid value of name, plan.");
    assertThat(invalid.json().path("type").asText()).isEqualTo("urn:backstop:problem:validation");

    // and a taken name is a conflict naming it
    Api.Answer taken = operator.postJson("/admin/organizations", Map.of("name", name, "plan", "ENTERPRISE"));
    assertThat(taken.status()).isEqualTo(409);
    assertThat(taken.json().path("errors").findValuesAsText("field")).containsExactly("name");
  }

  @Test
  void shouldCreateAClientWhoseSecretIsShownOnceAndWorksUntilItIsDeleted() {
    // given
    String organizationId = newOrganization();

    // when
    Api.Answer created =
        operator.postJson(
            "/admin/organizations/" + organizationId + "/clients",
            Map.of("name", "ci", "permissions", List.of("clusters:read", "backups:read")));

    // then
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    JsonNode client = created.json();
    assertThat(fieldNames(client)).containsExactly("clientId", "clientSecret", "name", "organizationId", "permissions");
    assertThat(client.path("clientId").asText()).startsWith("bks-");
    assertThat(client.path("clientSecret").asText()).hasSizeGreaterThanOrEqualTo(40);
    assertThat(client.path("name").asText()).isEqualTo("ci");
    assertThat(client.path("organizationId").asText()).isEqualTo(organizationId);
    assertThat(client.path("permissions").toString()).isEqualTo("[\"backups:read\",\"clusters:read\"]");
    Api api = Api.as(baseUrl(), client.path("clientId").asText(), client.path("clientSecret").asText());
    assertThat(api.get("/clusters").status()).isEqualTo(200);
    assertThat(api.get("/admin/organizations").status()).isEqualTo(403);

    // and bad input, unknown organizations and clients
    Api.Answer invalid =
        operator.postJson("/admin/organizations/" + organizationId + "/clients", Map.of("permissions", List.of("admin", "backups:read", "x")));
    assertThat(invalid.status()).isEqualTo(400);
    assertThat(invalid.json().path("errors").findValuesAsText("field")).containsExactly("name", "permissions[0]", "permissions[2]");
    assertThat(operator.postJson("/admin/organizations/" + UUID.randomUUID() + "/clients", Map.of("name", "x", "permissions", List.of())).status())
        .isEqualTo(404);
    assertThat(operator.delete("/admin/organizations/" + organizationId + "/clients/bks-unknown").status()).isEqualTo(404);

    // when: deleted
    Api.Answer deleted = operator.delete("/admin/organizations/" + organizationId + "/clients/" + client.path("clientId").asText());

    // then
    assertThat(deleted.status()).isEqualTo(204);
    assertThat(api.get("/clusters").status()).isEqualTo(401);
  }

  @Test
  void shouldSetAndShowAClustersBackupPolicy() {
    // given
    String clusterId = newCluster(newOrganization());

    // when / then: the defaults first
    Api.Answer defaults = operator.get("/admin/clusters/" + clusterId + "/backup-policy");
    assertThat(defaults.status()).isEqualTo(200);
    assertThat(defaults.body()).isEqualTo("{\"manualRateLimit\":\"PT5H\",\"manualRetention\":3,\"scheduledRetention\":3}");

    Api.Answer set =
        operator.putJson("/admin/clusters/" + clusterId + "/backup-policy", Map.of("manualRateLimit", "PT0S", "manualRetention", 5, "scheduledRetention", 2));
    assertThat(set.status()).isEqualTo(200);
    assertThat(set.body()).isEqualTo("{\"manualRateLimit\":\"PT0S\",\"manualRetention\":5,\"scheduledRetention\":2}");
    assertThat(operator.get("/admin/clusters/" + clusterId + "/backup-policy").body()).isEqualTo(set.body());

    Api.Answer invalid = operator.putJson("/admin/clusters/" + clusterId + "/backup-policy", Map.of("manualRateLimit", "-PT1H", "manualRetention", 0));
    assertThat(invalid.status()).isEqualTo(400);
    assertThat(invalid.json().path("errors").toString())
        .isEqualTo(
            "[{\"field\":\"manualRateLimit\",\"message\":\"must not be negative\"},"
                + "{\"field\":\"manualRetention\",\"message\":\"must be at least 1\"},"
                + "{\"field\":\"scheduledRetention\",\"message\":\"must be at least 1\"}]");
    Api.Answer missing = operator.putJson("/admin/clusters/" + clusterId + "/backup-policy", Map.of("manualRetention", 1, "scheduledRetention", 1));
    assertThat(missing.json().path("errors").toString())
        .isEqualTo("[{\"field\":\"manualRateLimit\",\"message\":\"is required, an ISO-8601 duration such as PT5H (PT0S: no limit)\"}]");
    Api.Answer unparsable = operator.putJson("/admin/clusters/" + clusterId + "/backup-policy", Map.of("manualRateLimit", "5h", "manualRetention", 1, "scheduledRetention", 1));
    assertThat(unparsable.json().path("errors").toString())
        .isEqualTo("[{\"field\":\"manualRateLimit\",\"message\":\"must be an ISO-8601 duration such as PT5H (PT0S: no limit)\"}]");
    assertThat(operator.get("/admin/clusters/no-such-cluster/backup-policy").status()).isEqualTo(404);
  }

  @Test
  void shouldScheduleBackupsOfAClusterAndListTheRuns() {
    // given: a cluster and a client of its organization
    String organizationId = newOrganization();
    String clusterId = newCluster(organizationId);
    Api writer = client(organizationId, List.of("backups:read", "backups:write"));
    Api reader = client(organizationId, List.of("backups:read"));
    String path = "/clusters/" + clusterId + "/backup-schedule";

    // when / then: none yet
    Api.Answer none = writer.get(path);
    assertThat(none.status()).isEqualTo(404);
    assertThat(none.json().path("detail").asText()).isEqualTo("Cluster " + clusterId + " has no backup schedule.");

    Api.Answer set = writer.putJson(path, Map.of("frequency", "WEEKLY", "dayOfWeek", "SUNDAY", "time", "02:30", "timeZone", "Europe/Berlin", "enabled", true));
    assertThat(set.status()).as(set.toString()).isEqualTo(200);
    assertThat(fieldNames(set.json())).containsExactly("frequency", "dayOfWeek", "time", "timeZone", "enabled", "nextRunAt");
    assertThat(set.json().path("dayOfWeek").asText()).isEqualTo("SUNDAY");
    assertThat(set.json().path("nextRunAt").asText()).isNotBlank();
    assertThat(reader.get(path).json()).isEqualTo(set.json());

    Api.Answer disabled = writer.putJson(path, Map.of("frequency", "DAILY", "time", "02:30", "timeZone", "UTC", "enabled", false));
    assertThat(disabled.body()).contains("\"dayOfWeek\":null").contains("\"nextRunAt\":null");

    Api.Answer invalid = writer.putJson(path, Map.of("frequency", "HOURLY", "time", "7:5", "timeZone", ""));
    assertThat(invalid.status()).isEqualTo(400);
    assertThat(invalid.json().path("errors").findValuesAsText("field")).containsExactly("frequency", "time", "timeZone", "enabled");
    assertThat(invalid.json().path("errors").get(0).path("message").asText()).isEqualTo("must be DAILY or WEEKLY");

    assertThat(reader.putJson(path, Map.of("frequency", "DAILY", "time", "02:30", "timeZone", "UTC", "enabled", true)).status()).isEqualTo(403);
    assertThat(writer.get(path + "/runs").status()).isEqualTo(200);
    assertThat(writer.get(path + "/runs").body()).isEqualTo("[]");

    // when: deleted
    assertThat(writer.delete(path).status()).isEqualTo(204);
    assertThat(writer.delete(path).status()).isEqualTo(404);
    assertThat(writer.get(path).status()).isEqualTo(404);

    // and another organization's client does not see the cluster
    Api stranger = client(newOrganization(), List.of("backups:read", "backups:write"));
    Api.Answer hidden = stranger.get(path);
    assertThat(hidden.status()).isEqualTo(404);
    assertThat(hidden.json().path("detail").asText()).isEqualTo("No cluster " + clusterId + ".");
  }

  @Test
  void shouldKeepTheOperatorsEndpointsToTheOperator() {
    String organizationId = newOrganization();
    String clusterId = newCluster(organizationId);
    Api member = client(organizationId, List.of("backups:read", "backups:write", "clusters:read", "clusters:write"));

    for (Api.Answer answer :
        List.of(
            member.get("/admin/organizations"),
            member.postJson("/admin/organizations", Map.of("name", "x", "plan", "FREE")),
            member.postJson("/admin/organizations/" + organizationId + "/clients", Map.of("name", "x", "permissions", List.of())),
            member.delete("/admin/organizations/" + organizationId + "/clients/bks-x"),
            member.get("/admin/clusters/" + clusterId + "/backup-policy"),
            member.get("/admin/regions"),
            member.putJson("/admin/clusters/" + clusterId + "/backup-policy", Map.of("manualRateLimit", "PT0S", "manualRetention", 1, "scheduledRetention", 1)))) {
      assertThat(answer.status()).as(answer.toString()).isEqualTo(403);
      assertThat(answer.json().path("detail").asText()).isEqualTo("This API client lacks the permission admin.");
    }
  }

  @Test
  void shouldListTheRegionsToTheOperatorWithoutTheirKeys() {
    Api.Answer regions = operator.get("/admin/regions");

    assertThat(regions.status()).as(regions.toString()).isEqualTo(200);
    assertThat(regions.json().findValuesAsText("name")).containsExactly("local-a", "local-b");
    JsonNode first = regions.json().get(0);
    assertThat(fieldNames(first)).containsExactlyInAnyOrder("name", "endpoint", "bucket", "pathStyle");
    assertThat(first.path("endpoint").asText()).isEqualTo("http://127.0.0.1:1");
    assertThat(first.path("bucket").asText()).isEqualTo("unused");
    assertThat(first.path("pathStyle").asBoolean()).isTrue();
    assertThat(regions.toString()).doesNotContain(REGION_SECRET).doesNotContain("standalone-access");
    assertThat(Api.anonymous(baseUrl()).get("/admin/regions").status()).isEqualTo(401);
  }

  @Test
  void shouldDescribeEveryAnswerOfTheseEndpointsInTheOpenApiDocument() {
    // when
    JsonNode document = Api.anonymous(baseUrl()).get("/v3/api-docs").json();

    // then: each answer is a named schema with its fields, not a free-form object
    assertThat(schemaOf(document, "/admin/organizations", "post", "201")).isEqualTo("OrganizationView");
    assertThat(document.at("/paths/~1admin~1organizations/get/responses/200/content/*~1*/schema/items/$ref").asText()).endsWith("/OrganizationView");
    assertThat(schemaOf(document, "/admin/organizations/{orgId}/clients", "post", "201")).isEqualTo("NewApiClientView");
    assertThat(schemaOf(document, "/admin/clusters/{clusterId}/backup-policy", "get", "200")).isEqualTo("PolicyView");
    assertThat(schemaOf(document, "/admin/clusters/{clusterId}/backup-policy", "put", "200")).isEqualTo("PolicyView");
    assertThat(schemaOf(document, "/clusters/{clusterId}/backup-schedule", "get", "200")).isEqualTo("ScheduleView");
    assertThat(schemaOf(document, "/clusters/{clusterId}/backup-schedule", "put", "200")).isEqualTo("ScheduleView");
    assertThat(document.at("/paths/~1clusters~1{clusterId}~1backup-schedule~1runs/get/responses/200/content/*~1*/schema/items/$ref").asText())
        .endsWith("/ScheduleRunView");
    assertThat(fieldNames(document.at("/components/schemas/NewApiClientView/properties")))
        .containsExactly("clientId", "clientSecret", "name", "organizationId", "permissions");
    assertThat(fieldNames(document.at("/components/schemas/ScheduleView/properties")))
        .containsExactly("frequency", "dayOfWeek", "time", "timeZone", "enabled", "nextRunAt");
  }

  private static String schemaOf(JsonNode document, String path, String method, String status) {
    JsonNode content = document.path("paths").path(path).path(method).path("responses").path(status).path("content");
    String ref = content.elements().hasNext() ? content.elements().next().path("schema").path("$ref").asText() : "";
    return ref.substring(ref.lastIndexOf('/') + 1);
  }

  private String newCluster(String organizationId) {
    Api.Answer registered = operator.postJson("/clusters", registration(organizationId, "cluster-" + UUID.randomUUID(), NOWHERE));
    assertThat(registered.status()).as(registered.toString()).isEqualTo(201);
    return registered.json().path("uuid").asText();
  }

  private Api client(String organizationId, List<String> permissions) {
    Api.Answer created = operator.postJson("/admin/organizations/" + organizationId + "/clients", Map.of("name", "client", "permissions", permissions));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return Api.as(baseUrl(), created.json().path("clientId").asText(), created.json().path("clientSecret").asText());
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new java.util.ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
