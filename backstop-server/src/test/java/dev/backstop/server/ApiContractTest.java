package dev.backstop.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backstop.server.support.Api;
import dev.backstop.server.support.BackstopIT;
import dev.backstop.server.support.TestCluster;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Bad input, authentication, authorization and the policies that refuse a backup: always a 4xx
 * problem+json naming what is wrong, and a rejected request changes nothing.
 */
class ApiContractTest extends BackstopIT {

  @Test
  void shouldAnswerBadInputWithProblemsNamingTheFieldAndChangeNothing() {
    String before = snapshotOfState();

    Api.Answer unknownCluster = client.post("/clusters/no-such-cluster/backups", null);
    assertProblem(unknownCluster, 404);

    Api.Answer nonNumericId = client.get(backupsPath() + "/twelve");
    assertProblem(nonNumericId, 400);
    assertThat(nonNumericId.json().path("errors").findValuesAsText("field")).containsExactly("backupId");

    Api.Answer negativeId = client.delete(backupsPath() + "/-5");
    assertProblem(negativeId, 400);
    assertThat(negativeId.json().path("errors").findValuesAsText("field")).containsExactly("backupId");

    Api.Answer malformed = client.post(backupsPath(), "{\"name\": ");
    assertProblem(malformed, 400);
    assertThat(malformed.json().path("errors").findValuesAsText("field")).containsExactly("body");

    Api.Answer wrongType = client.post(backupsPath(), "{\"name\": 42}");
    assertProblem(wrongType, 400);
    assertThat(wrongType.json().path("errors").findValuesAsText("field")).containsExactly("name");

    Api.Answer missingFields = operator.post("/clusters", "{\"name\": \"x\"}");
    assertProblem(missingFields, 400);
    assertThat(missingFields.json().path("errors").findValuesAsText("field"))
        .contains("organizationId", "generation", "region", "components", "storage");

    Api.Answer wrongTypes = operator.post("/clusters", "{\"name\": \"x\", \"components\": \"zeebe\"}");
    assertProblem(wrongTypes, 400);
    assertThat(wrongTypes.json().path("errors").findValuesAsText("field")).containsExactly("components");

    Map<String, Object> badValues = TestCluster.registration(testCluster.organizationId(), "bad values", "eight", testbed);
    badValues.put("region", "mars-1");
    badValues.put("backupLocation", Map.of("type", "DUAL_REGION"));
    Api.Answer invalid = operator.postJson("/clusters", badValues);
    assertProblem(invalid, 400);
    assertThat(invalid.json().path("errors").findValuesAsText("field"))
        .contains("generation", "region", "backupLocation.secondaryRegion");

    Api.Answer badPolicy =
        operator.putJson("/admin/clusters/" + testCluster.clusterId() + "/backup-policy", Map.of("manualRateLimit", "5 hours", "manualRetention", 0));
    assertProblem(badPolicy, 400);
    assertThat(badPolicy.json().path("errors").findValuesAsText("field"))
        .containsExactlyInAnyOrder("manualRateLimit", "manualRetention", "scheduledRetention");

    Api.Answer noConfirm = client.delete("/clusters/" + testCluster.clusterId() + "?confirm=wrong-name");
    assertProblem(noConfirm, 400);
    assertThat(noConfirm.json().path("errors").findValuesAsText("field")).containsExactly("confirm");

    assertThat(snapshotOfState()).isEqualTo(before);
  }

  @Test
  void shouldAuthenticateEveryEndpointAndAuthorizeByPermission() {
    Api anonymous = Api.anonymous(baseUrl());
    assertProblem(anonymous.get("/clusters"), 401);
    assertProblem(anonymous.post(backupsPath(), null), 401);
    assertProblem(anonymous.get("/admin/organizations"), 401);
    assertThat(anonymous.get("/actuator/health").status()).isEqualTo(200);
    assertThat(anonymous.get("/v3/api-docs").status()).isEqualTo(200);
    assertThat(anonymous.get("/v3/api-docs").json().path("paths").has("/clusters/{clusterId}/backups")).isTrue();

    Api.Answer badSecret = anonymous.token(testCluster.clientId(), "wrong");
    assertThat(badSecret.status()).isEqualTo(401);
    assertThat(badSecret.json().path("error").asText()).isEqualTo("invalid_client");
    assertProblem(new Api(baseUrl(), "not-a-token").get("/clusters"), 401);

    // a read-only client of the same organization
    Api.Answer readOnly =
        operator.postJson(
            "/admin/organizations/" + testCluster.organizationId() + "/clients",
            Map.of("name", "reader", "permissions", List.of("backups:read", "clusters:read")));
    assertThat(readOnly.status()).isEqualTo(201);
    Api reader = Api.as(baseUrl(), readOnly.json().path("clientId").asText(), readOnly.json().path("clientSecret").asText());
    assertThat(reader.get(backupsPath()).status()).isEqualTo(200);
    assertProblem(reader.post(backupsPath(), null), 403);
    assertProblem(reader.get("/admin/organizations"), 403);
    assertThat(client.get(backupsPath()).json()).isEmpty();

    // a client of another organization does not see the cluster at all
    String otherOrganization = operator.postJson("/admin/organizations", Map.of("name", "other-tenant", "plan", "ENTERPRISE")).json().path("id").asText();
    Api.Answer otherClient =
        operator.postJson(
            "/admin/organizations/" + otherOrganization + "/clients",
            Map.of("name", "other", "permissions", List.of("backups:read", "backups:write", "clusters:read")));
    Api other = Api.as(baseUrl(), otherClient.json().path("clientId").asText(), otherClient.json().path("clientSecret").asText());
    assertProblem(other.get(backupsPath()), 404);
    assertProblem(other.post(backupsPath(), null), 404);
    assertProblem(other.get("/clusters/" + testCluster.clusterId()), 404);
    assertThat(other.get("/clusters").json()).isEmpty();

    // a deleted client's token stops working
    Api.Answer deleted = operator.delete("/admin/organizations/" + otherOrganization + "/clients/" + otherClient.json().path("clientId").asText());
    assertThat(deleted.status()).isEqualTo(204);
    assertProblem(other.get("/clusters"), 401);
  }

  @Test
  void shouldRefuseBackupsForAPlanWithoutThemAndForOldGenerations() {
    String starter = operator.postJson("/admin/organizations", Map.of("name", "starter-tenant", "plan", "STARTER")).json().path("id").asText();
    Api.Answer starterCluster = operator.postJson("/clusters", TestCluster.registration(starter, "starter-cluster", "8.6.0", testbed));
    assertThat(starterCluster.status()).isEqualTo(201);
    Api.Answer refusedByPlan = operator.post("/clusters/" + starterCluster.json().path("uuid").asText() + "/backups", null);
    assertProblem(refusedByPlan, 403);

    Api.Answer oldCluster = operator.postJson("/clusters", TestCluster.registration(testCluster.organizationId(), "old-cluster", "8.2.3", testbed));
    assertThat(oldCluster.status()).isEqualTo(201);
    Api.Answer refusedByGeneration = operator.post("/clusters/" + oldCluster.json().path("uuid").asText() + "/backups", null);
    assertProblem(refusedByGeneration, 422);
    assertThat(refusedByGeneration.json().path("detail").asText()).contains("8.2.4");

    assertThat(operator.get("/clusters/" + oldCluster.json().path("uuid").asText() + "/backups").json()).isEmpty();
    assertThat(operator.delete("/clusters/" + oldCluster.json().path("uuid").asText() + "?confirm=old-cluster").status()).isEqualTo(202);
    assertThat(operator.delete("/clusters/" + starterCluster.json().path("uuid").asText() + "?confirm=starter-cluster").status()).isEqualTo(202);
  }

  private void assertProblem(Api.Answer answer, int status) {
    assertThat(answer.status()).as(answer.toString()).isEqualTo(status);
    assertThat(answer.contentType()).as(answer.toString()).startsWith("application/problem+json");
    JsonNode problem = answer.json();
    assertThat(problem.path("status").asInt()).isEqualTo(status);
    assertThat(problem.path("title").asText()).isNotBlank();
    assertThat(problem.path("type").asText()).isNotBlank();
    assertThat(problem.path("detail").asText()).isNotBlank();
    assertThat(answer.body()).doesNotContain("Exception", "\tat ");
  }

  /** What a rejected request must not change: the clusters, the backups, the policy. */
  private String snapshotOfState() {
    return operator.get("/clusters").body()
        + client.get(backupsPath()).body()
        + operator.get("/admin/clusters/" + testCluster.clusterId() + "/backup-policy").body();
  }
}
