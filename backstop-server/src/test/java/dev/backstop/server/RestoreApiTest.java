package dev.backstop.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstop.server.support.Api;
import dev.backstop.server.support.StandaloneBackstopTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The restore endpoints' edges: who may ask, bad input answered 4xx naming the field, and the
 * registration of a cluster's runtime. The restores themselves run in {@code RestoreTest}.
 */
class RestoreApiTest extends StandaloneBackstopTest {

  @Test
  void shouldLetOnlyClientsWithTheRestorePermissionOfTheClustersOrganizationAsk() {
    // given
    String organization = newOrganization();
    String clusterId = register(organization, registration(organization, "c-" + UUID.randomUUID(), NOWHERE));
    Api reader = client(organization, List.of("backups:read", "backups:write", "clusters:read"));
    Api stranger = client(newOrganization(), List.of("backups:read", "backups:restore"));

    // when / then
    Api.Answer withoutPermission = reader.post("/clusters/" + clusterId + "/backups/1/restore", null);
    assertThat(withoutPermission.status()).as(withoutPermission.toString()).isEqualTo(403);
    assertThat(reader.get("/clusters/" + clusterId + "/restores").status()).isEqualTo(200);
    Api.Answer otherOrganization = stranger.post("/clusters/" + clusterId + "/backups/1/restore", null);
    assertThat(otherOrganization.status()).as(otherOrganization.toString()).isEqualTo(404);
    assertThat(stranger.get("/clusters/" + clusterId + "/restores").status()).isEqualTo(404);
    assertThat(Api.anonymous(baseUrl()).post("/clusters/" + clusterId + "/backups/1/restore", null).status()).isEqualTo(401);
  }

  @Test
  void shouldAnswerBadInputWithAProblemNamingTheFieldAndRecordNothing() {
    String organization = newOrganization();
    String clusterId = register(organization, registration(organization, "c-" + UUID.randomUUID(), NOWHERE));
    String restores = "/clusters/" + clusterId + "/restores";

    assertProblem(operator.post("/clusters/" + clusterId + "/backups/0/restore", null), 400, "backupId");
    assertProblem(operator.post("/clusters/" + clusterId + "/backups/7/restore", "{\"sourceRegion\": 5}"), 400, "sourceRegion");
    Api.Answer unknownBackup = operator.post("/clusters/" + clusterId + "/backups/7/restore", null);
    assertThat(unknownBackup.status()).as(unknownBackup.toString()).isEqualTo(404);
    assertThat(unknownBackup.contentType()).startsWith("application/problem+json");
    assertProblem(operator.post(restores + "/r1/confirm", "{}"), 400, "phase");
    assertProblem(operator.post(restores + "/r1/confirm", "{\"phase\": \"DELETE_INDICES\"}"), 400, "phase");
    assertThat(operator.post(restores + "/r1/confirm", "{\"phase\": \"STOP_COMPONENTS\"}").status()).isEqualTo(404);
    assertThat(operator.get(restores + "/r1").status()).isEqualTo(404);
    assertThat(operator.get(restores).json()).isEmpty();
  }

  @Test
  void shouldAcceptALocalProcessRuntimeOnlyWithADescriptorInsideTheConfiguredDirectory() throws Exception {
    String organization = newOrganization();
    Path inside = Files.createDirectories(Path.of(RUNTIME_DIRECTORY)).toAbsolutePath().resolve("runtime-" + UUID.randomUUID() + ".json");
    Files.writeString(inside, "{\"zeebe\": [], \"webApps\": []}");
    Path outside = Files.createTempFile("runtime", ".json").toAbsolutePath();

    assertProblem(registerWithRuntime(organization, Map.of("type", "LOCAL_PROCESS", "descriptor", outside.toString())), 400, "runtime.descriptor");
    assertProblem(registerWithRuntime(organization, Map.of("type", "LOCAL_PROCESS", "descriptor", RUNTIME_DIRECTORY + "/x.json")), 400, "runtime.descriptor");
    assertProblem(registerWithRuntime(organization, Map.of("type", "LOCAL_PROCESS", "descriptor", inside.resolveSibling("absent.json").toString())), 400, "runtime.descriptor");
    assertProblem(registerWithRuntime(organization, Map.of("type", "LOCAL_PROCESS")), 400, "runtime.descriptor");
    assertProblem(registerWithRuntime(organization, Map.of("type", "KUBERNETES")), 400, "runtime.type");

    Api.Answer local = registerWithRuntime(organization, Map.of("type", "LOCAL_PROCESS", "descriptor", inside.toString()));
    assertThat(local.status()).as(local.toString()).isEqualTo(201);
    assertThat(local.json().path("runtime").path("type").asText()).isEqualTo("LOCAL_PROCESS");
    assertThat(local.json().path("runtime").has("descriptor")).as("the host path is not shown").isFalse();

    // and: a tenant cannot aim a cluster at processes on Backstop's host
    Api.Answer created = operator.postJson("/admin/organizations/" + organization + "/clients", Map.of("name", "tenant", "permissions", List.of("clusters:write", "clusters:read")));
    Api tenant = Api.as(baseUrl(), created.json().path("clientId").asText(), created.json().path("clientSecret").asText());
    Map<String, Object> body = registration(organization, "t-" + UUID.randomUUID(), NOWHERE);
    body.put("runtime", Map.of("type", "LOCAL_PROCESS", "descriptor", inside.toString()));
    assertProblem(tenant.postJson("/clusters", body), 400, "runtime.type");
    Api.Answer manual = operator.postJson("/clusters", registration(organization, "m-" + UUID.randomUUID(), NOWHERE));
    assertThat(manual.json().path("runtime").path("type").asText()).isEqualTo("MANUAL");
  }

  private Api.Answer registerWithRuntime(String organization, Map<String, Object> runtime) {
    Map<String, Object> body = registration(organization, "r-" + UUID.randomUUID(), NOWHERE);
    body.put("runtime", runtime);
    return operator.postJson("/clusters", body);
  }

  private String register(String organization, Map<String, Object> body) {
    Api.Answer cluster = operator.postJson("/clusters", body);
    assertThat(cluster.status()).as(cluster.toString()).isEqualTo(201);
    return cluster.json().path("uuid").asText();
  }

  private Api client(String organization, List<String> permissions) {
    Api.Answer created = operator.postJson("/admin/organizations/" + organization + "/clients", Map.of("name", "client", "permissions", permissions));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return Api.as(baseUrl(), created.json().path("clientId").asText(), created.json().path("clientSecret").asText());
  }

  private static void assertProblem(Api.Answer answer, int status, String field) {
    assertThat(answer.status()).as(answer.toString()).isEqualTo(status);
    assertThat(answer.contentType()).startsWith("application/problem+json");
    assertThat(answer.json().path("errors").findValuesAsText("field")).as(answer.toString()).contains(field);
  }
}
