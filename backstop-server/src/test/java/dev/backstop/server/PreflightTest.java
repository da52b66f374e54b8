package dev.backstop.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backstop.server.support.Api;
import dev.backstop.server.support.BackstopIT;
import dev.backstop.server.support.TestCluster;
import dev.backstop.testbed.Testbed;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The preflight of a registration reports what each real component says about itself. */
class PreflightTest extends BackstopIT {

  @Test
  void shouldReportTheVersionOfEveryComponentOfTheTestBed() {
    // when: the test bed registered once more
    Api.Answer registered =
        operator.postJson("/clusters", TestCluster.registration(testCluster.organizationId(), "preflight-check", "8.6.0", testbed));

    // then: every component answered, with its version
    assertThat(registered.status()).as(registered.toString()).isEqualTo(201);
    Map<String, JsonNode> checks = new HashMap<>();
    registered.json().path("preflight").path("checks").forEach(check -> checks.put(check.path("component").asText(), check));
    assertThat(checks.keySet()).containsExactlyInAnyOrder("zeebe", "operate", "tasklist", "search");
    assertThat(checks.get("zeebe").path("version").asText()).as(checks.get("zeebe").toString()).isEqualTo(Testbed.CAMUNDA_VERSION);
    assertThat(checks.get("operate").path("version").asText()).isEqualTo(Testbed.CAMUNDA_VERSION);
    assertThat(checks.get("tasklist").path("version").asText()).isEqualTo(Testbed.CAMUNDA_VERSION);
    assertThat(checks.get("search").path("version").asText()).isNotBlank();
    assertThat(checks.values()).allSatisfy(check -> assertThat(check.path("backupConfigured").asBoolean()).as(check.toString()).isTrue());

    // and the cluster shows the same report later
    String clusterId = registered.json().path("uuid").asText();
    assertThat(operator.get("/clusters/" + clusterId).json().path("preflight")).isEqualTo(registered.json().path("preflight"));
    assertThat(registered.json().path("generationMismatches")).isEmpty();
    assertThat(operator.delete("/clusters/" + clusterId + "?confirm=preflight-check").status()).isEqualTo(202);
  }

  @Test
  void shouldReportAndRefuseAClusterRegisteredWithAnotherGenerationUntilItsGenerationIsRecorded() {
    // given: the test bed (8.6.0) registered as 8.5.0, as if its components had been upgraded since
    Api.Answer registered =
        operator.postJson("/clusters", TestCluster.registration(testCluster.organizationId(), "upgraded", "8.5.0", testbed));
    assertThat(registered.status()).as(registered.toString()).isEqualTo(201);
    String clusterId = registered.json().path("uuid").asText();

    // then: the preflight names each component that runs another version
    assertThat(registered.json().path("generationMismatches")).extracting(JsonNode::asText).containsExactly(
        "operate reports " + Testbed.CAMUNDA_VERSION, "tasklist reports " + Testbed.CAMUNDA_VERSION, "zeebe reports " + Testbed.CAMUNDA_VERSION);

    // when: a backup is asked for
    Api.Answer refused = operator.post("/clusters/" + clusterId + "/backups", null);

    // then: refused with the reason, and nothing recorded
    assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
    assertThat(refused.contentType()).startsWith("application/problem+json");
    assertThat(refused.json().path("detail").asText())
        .contains("registered as generation 8.5.0")
        .contains("zeebe reports " + Testbed.CAMUNDA_VERSION)
        .contains("PUT /clusters/{id}/generation");
    assertThat(operator.get("/clusters/" + clusterId + "/backups").json()).isEmpty();

    // when: a generation that is no version, then the one the components run, is recorded
    Api.Answer invalid = operator.putJson("/clusters/" + clusterId + "/generation", Map.of("generation", "eight"));
    Api.Answer recorded = operator.putJson("/clusters/" + clusterId + "/generation", Map.of("generation", Testbed.CAMUNDA_VERSION));

    // then: the first is refused naming the field; the second clears the mismatch, and a backup is accepted
    assertThat(invalid.status()).as(invalid.toString()).isEqualTo(400);
    assertThat(invalid.json().path("errors").findValuesAsText("field")).containsExactly("generation");
    assertThat(recorded.status()).as(recorded.toString()).isEqualTo(200);
    assertThat(recorded.json().path("generation").asText()).isEqualTo(Testbed.CAMUNDA_VERSION);
    assertThat(recorded.json().path("generationMismatches")).isEmpty();
    Api.Answer accepted = operator.post("/clusters/" + clusterId + "/backups", null);
    assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
    long backupId = accepted.json().path("backupId").asLong();
    await("the backup ends").atMost(Duration.ofMinutes(3)).until(() ->
        !operator.get("/clusters/" + clusterId + "/backups/" + backupId).json().path("state").asText().equals("IN_PROGRESS"));
    assertThat(operator.get("/clusters/" + clusterId + "/backups/" + backupId).json().path("state").asText()).isEqualTo("COMPLETED");
    // removed before the next test runs: its snapshots' deletion would overlap that test's backup
    // (both clusters share the test bed's repository)
    assertThat(operator.delete("/clusters/" + clusterId + "/backups/" + backupId).status()).isEqualTo(202);
    await("the backup is gone").atMost(Duration.ofMinutes(3)).until(() ->
        operator.get("/clusters/" + clusterId + "/backups/" + backupId).status() == 404);
    assertThat(operator.delete("/clusters/" + clusterId + "?confirm=upgraded").status()).isEqualTo(202);
  }
}
