package dev.backstop.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backstop.core.audit.AuditTrail;
import dev.backstop.core.backup.BackupId;
import dev.backstop.core.backup.BackupRepository;
import dev.backstop.core.event.Event;
import dev.backstop.server.event.EventHub;
import dev.backstop.server.support.Api;
import dev.backstop.server.support.BackstopIT;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The audit trail: every state-changing call and every automatic action, once, in order, with its actor. */
class AuditTest extends BackstopIT {

  @Autowired private EventHub events;
  @Autowired private BackupRepository backups;
  @Autowired private JdbcClient jdbc;

  @Test
  void shouldRecordEachCallAndAutomaticActionOnceInOrderWithItsActor() {
    // given: the rate limit on, so that a second backup is refused
    setPolicy("PT5H", 3, 3);
    Instant start = Instant.now();

    // when: a tenant's client backs up, is refused a second backup, deletes the first, sets a schedule and gets one wrong
    JsonNode completed = takeBackup();
    long backupId = completed.path("backupId").asLong();
    dev.backstop.core.backup.Backup ended = backups.find(testCluster.clusterId(), new BackupId(backupId)).orElseThrow();
    assertThat(client.post(backupsPath(), null).status()).isEqualTo(429);
    assertThat(client.delete(backupsPath() + "/" + backupId).status()).isEqualTo(202);
    org.awaitility.Awaitility.await("the deleted backup is gone").atMost(java.time.Duration.ofMinutes(1))
        .until(() -> client.get(backupsPath() + "/" + backupId).status() == 404);
    String schedulePath = "/clusters/" + testCluster.clusterId() + "/backup-schedule";
    assertThat(client.putJson(schedulePath, Map.of("frequency", "DAILY", "time", "03:00", "timeZone", "Europe/Berlin", "enabled", false)).status())
        .isEqualTo(200);
    assertThat(client.putJson(schedulePath, Map.of("frequency", "HOURLY", "time", "03:00", "timeZone", "Europe/Berlin")).status()).isEqualTo(400);
    // and the backup's end is told again, as a run repeated after a crash would
    events.publish(new Event.BackupEnded(Instant.now(), ended));

    // then: the operator reads them, in order, each once, with its actor
    List<JsonNode> trail = oldestFirst(operator, "/audit?clusterId=" + testCluster.clusterId() + "&from=" + start);
    List<String> lines = trail.stream().map(AuditTest::line).toList();
    assertThat(lines)
        .containsSubsequence(
            testCluster.clientId() + " backup.create SUCCEEDED " + backupId,
            "system backup.completed SUCCEEDED " + backupId,
            testCluster.clientId() + " backup.create REJECTED null",
            testCluster.clientId() + " backup.delete SUCCEEDED " + backupId,
            "system backup.removed SUCCEEDED " + backupId,
            testCluster.clientId() + " schedule.set SUCCEEDED null",
            testCluster.clientId() + " schedule.set REJECTED null");
    assertThat(lines.stream().filter(l -> l.contains("backup.completed"))).hasSize(1);
    assertThat(lines.stream().filter(l -> l.contains(" backup.create "))).hasSize(2);
    JsonNode refused = trail.stream().filter(e -> line(e).contains("backup.create REJECTED")).findFirst().orElseThrow();
    assertThat(refused.path("detail").asText()).startsWith("429").contains("One manual backup per");
    JsonNode badSchedule = trail.stream().filter(e -> line(e).contains("schedule.set REJECTED")).findFirst().orElseThrow();
    assertThat(badSchedule.path("detail").asText()).startsWith("400");
    assertThat(trail).allSatisfy(entry -> assertThat(Instant.parse(entry.path("at").asText())).isAfterOrEqualTo(start.minusSeconds(1)));
  }

  @Test
  void shouldShowAnOrganizationItsOwnTrailOnlyAndPageThroughIt() {
    Instant start = Instant.now();
    String schedulePath = "/clusters/" + testCluster.clusterId() + "/backup-schedule";
    for (int i = 0; i < 3; i++) {
      client.putJson(schedulePath, Map.of("frequency", "DAILY", "time", "0" + i + ":00", "timeZone", "UTC", "enabled", false));
    }
    Api auditor = clientOf(testCluster.organizationId(), "auditor", List.of("audit:read"));
    String otherOrganization = operator.postJson("/admin/organizations", Map.of("name", "audit-other-" + UUID.randomUUID(), "plan", "ENTERPRISE")).json().path("id").asText();
    Api outsider = clientOf(otherOrganization, "outsider", List.of("audit:read", "clusters:read", "backups:write"));
    Api withoutPermission = clientOf(testCluster.organizationId(), "reader", List.of("backups:read"));

    // then: the organization's auditor sees its calls, pages of 2 without overlap
    List<JsonNode> seen = oldestFirst(auditor, "/audit?limit=2&from=" + start);
    assertThat(seen.stream().filter(e -> e.path("action").asText().equals("schedule.set"))).hasSize(3);
    assertThat(seen.stream().map(e -> e.path("sequence").asLong()).distinct()).hasSize(seen.size());
    // the other organization's auditor sees none of them (and its own attempt on the cluster is its own)
    outsider.putJson(schedulePath, Map.of("frequency", "DAILY", "time", "05:00", "timeZone", "UTC"));
    List<JsonNode> outside = oldestFirst(outsider, "/audit?from=" + start);
    assertThat(outside).extracting(AuditTest::line).containsExactly(
        OPERATOR_ID + " client.create SUCCEEDED null", // its own client, made by the operator
        outsider.clientId() + " schedule.set REJECTED null");
    assertThat(outside.get(1).path("detail").asText()).startsWith("404");
    assertThat(oldestFirst(auditor, "/audit?from=" + start)).extracting(e -> e.path("actor").asText()).doesNotContain(outsider.clientId());
    // without the permission: 403; bad parameters: 400 naming them
    assertThat(withoutPermission.get("/audit").status()).isEqualTo(403);
    Api.Answer bad = auditor.get("/audit?limit=0&from=yesterday&cursor=xyz");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().path("errors").findValuesAsText("field")).containsExactlyInAnyOrder("limit", "from", "cursor");
    Api.Answer farOff = auditor.get("/audit?from=%2B300000-01-01T00:00:00Z&to=%2B1000000000-01-01T00:00:00Z");
    assertThat(farOff.status()).as(farOff.toString()).isEqualTo(400);
    assertThat(farOff.json().path("errors").findValuesAsText("field")).containsExactlyInAnyOrder("from", "to");
  }

  @Test
  void shouldOfferNoWayToChangeAnEntry() {
    // the port: append and read, nothing else
    List<String> methods = Arrays.stream(AuditTrail.class.getMethods()).filter(m -> !Modifier.isStatic(m.getModifiers())).map(Method::getName).sorted().toList();
    assertThat(methods).containsExactly("append", "appendOnce", "find");
    // and the database refuses a change made around it
    assertThat(client.putJson("/clusters/" + testCluster.clusterId() + "/backup-schedule", Map.of("frequency", "DAILY", "time", "01:00", "timeZone", "UTC", "enabled", false)).status())
        .isEqualTo(200);
    assertThatThrownBy(() -> jdbc.sql("update audit_entries set actor = 'someone else'").update()).hasMessageContaining("append-only");
    assertThatThrownBy(() -> jdbc.sql("delete from audit_entries").update()).hasMessageContaining("append-only");
    assertThatThrownBy(() -> jdbc.sql("truncate audit_entries").update()).hasMessageContaining("append-only");
  }

  private Api clientOf(String organizationId, String name, List<String> permissions) {
    Api.Answer created = operator.postJson("/admin/organizations/" + organizationId + "/clients", Map.of("name", name, "permissions", permissions));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return Api.as(baseUrl(), created.json().path("clientId").asText(), created.json().path("clientSecret").asText());
  }

  /** Every page of the query, followed by its cursors, oldest entry first. */
  private static List<JsonNode> oldestFirst(Api api, String query) {
    List<JsonNode> all = new ArrayList<>();
    String next = query;
    while (next != null) {
      Api.Answer page = api.get(next);
      assertThat(page.status()).as(page.toString()).isEqualTo(200);
      page.json().path("items").forEach(all::add);
      JsonNode cursor = page.json().path("nextCursor");
      next = cursor.isNull() || cursor.isMissingNode() ? null : query + "&cursor=" + cursor.asText();
    }
    return all.reversed();
  }

  private static String line(JsonNode entry) {
    return entry.path("actor").asText() + " " + entry.path("action").asText() + " " + entry.path("outcome").asText() + " "
        + (entry.path("backupId").isNull() ? "null" : entry.path("backupId").asText());
  }
}
