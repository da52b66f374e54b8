package dev.backstop.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backstop.core.procedure.Outcome;
import dev.backstop.core.restore.RestoreApis;
import dev.backstop.server.persistence.JdbcClusters;
import dev.backstop.server.support.Api;
import dev.backstop.server.support.BackstopIT;
import dev.backstop.server.support.ComponentProbe;
import dev.backstop.server.support.TestCluster;
import dev.backstop.testbed.FreshSearch;
import dev.backstop.testbed.Http;
import dev.backstop.testbed.Testbed;
import dev.backstop.testbed.TlsBasicAuthProxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The test bed's OpenSearch the way production runs a search cluster: behind HTTPS with a
 * certificate of the operator's own CA and HTTP basic authentication ({@link TlsBasicAuthProxy},
 * since OpenSearch's security plugin is not obtainable here). Backstop registers it with the
 * credentials and the CA, backs the cluster up through it, restores the backup's snapshots
 * through it, and says "authentication failed" when the password is wrong.
 */
class SecuredSearchTest extends BackstopIT {

  private static final String USERNAME = "backstop";
  private static final String PASSWORD = "0penSearch-Pa55-" + UUID.randomUUID();

  @Autowired private JdbcClusters clusters;
  @Autowired private RestoreApis.Factory restoreApis;

  private final Path dir = Path.of("target", "secured-search", UUID.randomUUID().toString()).toAbsolutePath();

  @Test
  void shouldBackUpAndRestoreThroughTlsWithTheOperatorsCaAndBasicAuthentication() {
    ComponentProbe probe = new ComponentProbe(testbed);
    try (TlsBasicAuthProxy search = TlsBasicAuthProxy.inFrontOf(testbed.searchUrl(), USERNAME, PASSWORD, dir.resolve("search-proxy"))) {
      // given: a cluster whose search engine is reached only through TLS and basic authentication
      Api.Answer registered = operator.postJson("/clusters", registration("secured-search", search, USERNAME, PASSWORD));
      assertThat(registered.status()).as(registered.toString()).isEqualTo(201);
      assertThat(registered.body()).doesNotContain(PASSWORD);
      Map<String, JsonNode> checks = checks(registered.json());
      assertThat(checks.get("search").path("reachable").asBoolean()).as(checks.get("search").toString()).isTrue();
      assertThat(checks.get("search").path("backupConfigured").asBoolean()).as(checks.get("search").toString()).isTrue();
      String clusterId = registered.json().path("uuid").asText();
      try {
        operator.putJson("/admin/clusters/" + clusterId + "/backup-policy", Map.of("manualRateLimit", "PT0S", "manualRetention", 3, "scheduledRetention", 3));

        // when: a backup
        Api.Answer created = client.post("/clusters/" + clusterId + "/backups", null);
        assertThat(created.status()).as(created.toString()).isEqualTo(202);
        long backupId = created.json().path("backupId").asLong();
        JsonNode backup = awaitBackupEnd(clusterId, backupId);

        // then: it completed, its records snapshot taken through the proxy, no request refused
        assertThat(backup.path("state").asText()).as(backup.toString()).isEqualTo("COMPLETED");
        assertThat(search.forwarded()).anyMatch(request -> request.startsWith("PUT /_snapshot/" + Testbed.SEARCH_REPOSITORY + "/"));
        assertThat(search.refused()).isZero();
        // (Camunda's snapshots, as a restore reads them: not Backstop's copy of the records ahead of the pause)
        List<String> snapshots = probe.snapshotsOf(backupId).stream().filter(name -> name.startsWith("camunda_")).toList();
        assertThat(snapshots).isNotEmpty();
        // and the cluster, read back from the database with its sealed password, shows none of it
        assertThat(operator.get("/clusters/" + clusterId).body()).doesNotContain(PASSWORD);
        assertThat(client.get("/clusters/" + clusterId + "/backups/" + backupId).body()).doesNotContain(PASSWORD);

        // when: the backup's snapshots are restored, through a proxy of their own, into a new search cluster
        restoreSnapshotsThroughTls(snapshots);
      } finally {
        deleteCluster(clusterId, "secured-search");
      }
      // then: deleting the cluster deleted its snapshots through the proxy too
      assertThat(search.refused()).isZero();
    }
  }

  @Test
  void shouldSayAuthenticationFailedWhenThePasswordIsWrong() {
    try (TlsBasicAuthProxy search = TlsBasicAuthProxy.inFrontOf(testbed.searchUrl(), USERNAME, PASSWORD, dir.resolve("wrong-password-proxy"))) {
      // when
      Api.Answer registered = operator.postJson("/clusters", registration("wrong-password", search, USERNAME, "not-" + PASSWORD));

      // then: the search engine answered, and refused the credentials: said so, not "unreachable"
      assertThat(registered.status()).as(registered.toString()).isEqualTo(201);
      JsonNode check = checks(registered.json()).get("search");
      assertThat(check.path("reachable").asBoolean()).as(check.toString()).isTrue();
      assertThat(check.path("backupConfigured").asBoolean()).isFalse();
      assertThat(check.path("detail").asText()).startsWith("search engine: authentication failed (HTTP 401)");
      assertThat(registered.body()).doesNotContain(PASSWORD);
      assertThat(search.forwarded()).isEmpty();
      deleteCluster(registered.json().path("uuid").asText(), "wrong-password");
    }
  }

  @Test
  void shouldSayTheCertificateIsNotTrustedWithoutTheOperatorsCa() {
    try (TlsBasicAuthProxy search = TlsBasicAuthProxy.inFrontOf(testbed.searchUrl(), USERNAME, PASSWORD, dir.resolve("untrusted-proxy"))) {
      // given: the registration leaves the CA out, so the JDK's default CAs decide
      Map<String, Object> registration = registration("untrusted", search, USERNAME, PASSWORD);
      search(registration).remove("caCertificate");

      // when
      Api.Answer registered = operator.postJson("/clusters", registration);

      // then
      assertThat(registered.status()).as(registered.toString()).isEqualTo(201);
      JsonNode check = checks(registered.json()).get("search");
      assertThat(check.path("reachable").asBoolean()).isFalse();
      assertThat(check.path("detail").asText()).as(check.toString())
          .startsWith("TLS failed: the server's certificate is not trusted (checked against the JDK's default CAs)");
      assertThat(search.forwarded()).isEmpty();
      deleteCluster(registered.json().path("uuid").asText(), "untrusted");
    }
  }

  /**
   * Restores the snapshots into a fresh OpenSearch reached through TLS and basic authentication,
   * with Backstop's own restore adapter for a cluster registered (and read back) with them.
   */
  private void restoreSnapshotsThroughTls(List<String> snapshots) {
    try (FreshSearch fresh = testbed.startFreshSearch(testbed.primaryRegion(), dir.resolve("fresh-search"));
        TlsBasicAuthProxy freshProxy = TlsBasicAuthProxy.inFrontOf(fresh.url(), USERNAME, PASSWORD, dir.resolve("fresh-proxy"))) {
      Api.Answer target = operator.postJson("/clusters", registration("secured-restore-target", freshProxy, USERNAME, PASSWORD));
      assertThat(target.status()).as(target.toString()).isEqualTo(201);
      String targetId = target.json().path("uuid").asText();
      try {
        RestoreApis apis = restoreApis.connect(clusters.findStored(targetId).orElseThrow().cluster());
        assertThat(apis.refreshRepository(fresh.repository())).isEqualTo(Outcome.done());
        List<String> indices = new ArrayList<>();
        for (String snapshot : snapshots) {
          Outcome<List<String>> inSnapshot = apis.snapshotIndices(fresh.repository(), snapshot);
          assertThat(inSnapshot).as(snapshot).isInstanceOf(Outcome.Ok.class);
          indices.addAll(((Outcome.Ok<List<String>>) inSnapshot).value());
          assertThat(apis.startSnapshotRestore(fresh.repository(), snapshot)).as(snapshot).isEqualTo(Outcome.done());
        }
        assertThat(indices).isNotEmpty();
        await("the snapshots' indices restored")
            .atMost(Duration.ofMinutes(2))
            .pollInterval(Duration.ofMillis(500))
            .until(() -> apis.indicesRestored(indices).equals(Outcome.ok(true)));

        // then: the new search cluster holds every index of the backup, and every request carried the credentials
        JsonNode present = new Http().get(fresh.url() + "/_cat/indices?format=json&h=index&expand_wildcards=all").successJson();
        assertThat(present.findValuesAsText("index")).containsAll(indices);
        assertThat(freshProxy.refused()).isZero();
        assertThat(freshProxy.forwarded()).anyMatch(request -> request.startsWith("POST /_snapshot/" + fresh.repository() + "/"));
      } finally {
        deleteCluster(targetId, "secured-restore-target");
      }
    }
  }

  private Map<String, Object> registration(String name, TlsBasicAuthProxy search, String username, String password) {
    Map<String, Object> body = TestCluster.registration(testCluster.organizationId(), name, "8.6.0", testbed, Map.of("search", search.url()));
    Map<String, Object> searchBody = search(body);
    searchBody.put("auth", Map.of("type", "basic", "username", username, "password", password));
    searchBody.put("caCertificate", search.caPem());
    return body;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> search(Map<String, Object> body) {
    Map<String, Object> components = (Map<String, Object>) body.get("components");
    Map<String, Object> search = (Map<String, Object>) components.get("search");
    if (!(search instanceof LinkedHashMap)) {
      search = new LinkedHashMap<>(search);
      components.put("search", search);
    }
    return search;
  }

  private static Map<String, JsonNode> checks(JsonNode cluster) {
    Map<String, JsonNode> checks = new HashMap<>();
    cluster.path("preflight").path("checks").forEach(check -> checks.put(check.path("component").asText(), check));
    return checks;
  }

  private JsonNode awaitBackupEnd(String clusterId, long backupId) {
    JsonNode[] last = new JsonNode[1];
    await("backup " + backupId + " ends")
        .atMost(BACKUP_TIMEOUT)
        .pollInterval(Duration.ofMillis(500))
        .until(() -> !(last[0] = client.get("/clusters/" + clusterId + "/backups/" + backupId).json()).path("state").asText().equals("IN_PROGRESS"));
    return last[0];
  }

  private void deleteCluster(String clusterId, String name) {
    await("the cluster can be deleted")
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> operator.delete("/clusters/" + clusterId + "?confirm=" + name).status() == 202);
    await("the cluster is gone")
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> operator.get("/clusters/" + clusterId).status() == 404);
  }
}
