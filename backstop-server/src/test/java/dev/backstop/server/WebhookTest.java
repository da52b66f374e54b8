package dev.backstop.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.backstop.server.support.Api;
import dev.backstop.server.support.StandaloneBackstopTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Webhooks through the HTTP API of a running Backstop, with a receiver in the test (the JDK's HTTP
 * server on 127.0.0.1, which the test context allows: {@code backstop.notifications.allowed-networks=127.0.0.1/32}).
 *
 * <p>The backups that fail here fail for real: their cluster's components do not listen (127.0.0.1:1,
 * connection refused), so the backup procedure fails at its first step, as against a cluster that
 * is down, and tells {@code backup.failed} through the same path as every other failure. The test
 * checks the signature with its own HMAC, not Backstop's code.
 */
class WebhookTest extends StandaloneBackstopTest {

  private static final List<String> MEMBER_PERMISSIONS = List.of("webhooks:read", "webhooks:write", "backups:read", "backups:write", "clusters:read");

  private String organizationId;
  private Api member;
  private Receiver receiver;

  @BeforeEach
  void anOrganizationWithAMemberAndAReceiver() {
    organizationId = newOrganization();
    member = client(organizationId, MEMBER_PERMISSIONS);
    receiver = new Receiver();
  }

  @AfterEach
  void stopTheReceiver() {
    receiver.close();
  }

  @Test
  void shouldDeliverACorrectlySignedBackupFailedNotification() throws Exception {
    // given
    JsonNode webhook = created(Map.of("url", receiver.url(), "events", List.of("backup.failed", "restore.failed")));
    String secret = webhook.path("secret").asText();
    String clusterId = registerUnreachableCluster();

    // when: a backup of a cluster that is down
    long backupId = startBackup(clusterId);

    // then: the receiver is told, once, with a body signed by the webhook's secret
    Received received = receiver.next(Duration.ofSeconds(60));
    assertThat(received.header("content-type")).startsWith("application/json");
    assertThat(received.header("backstop-event")).isEqualTo("backup.failed");
    UUID deliveryId = UUID.fromString(received.header("backstop-delivery"));
    JsonNode body = Api.JSON.readTree(received.body());
    assertThat(body.path("type").asText()).isEqualTo("backup.failed");
    assertThat(body.path("clusterId").asText()).isEqualTo(clusterId);
    assertThat(body.path("backupId").asLong()).isEqualTo(backupId);
    assertThat(body.path("outcome").asText()).isEqualTo("FAILED");
    assertThat(body.path("detail").asText()).contains("FAILED").contains("OPERATE");
    assertThat(body.has("restoreId")).as("no restore concerned: no field").isFalse();
    UUID.fromString(body.path("id").asText());
    assertThat(Instant.parse(body.path("at").asText())).isBefore(Instant.now().plusSeconds(1));

    Signature signature = Signature.parse(received.header("backstop-signature"));
    assertThat(Math.abs(Instant.now().getEpochSecond() - signature.t())).as("signed just now").isLessThan(60);
    assertThat(signature.v1()).isEqualTo(hmacHex(secret, signature.t() + "." + received.body()));
    // a wrong secret, or the same body at another time, does not verify
    assertThat(signature.v1()).isNotEqualTo(hmacHex(secret + "x", signature.t() + "." + received.body()));
    assertThat(signature.v1()).isNotEqualTo(hmacHex("whsec_" + UUID.randomUUID(), signature.t() + "." + received.body()));
    assertThat(signature.v1()).isNotEqualTo(hmacHex(secret, (signature.t() + 1) + "." + received.body()));

    // and the deliveries show it delivered at the first attempt
    JsonNode delivery = awaitDelivery(webhook, "DELIVERED");
    assertThat(delivery.path("id").asText()).isEqualTo(deliveryId.toString());
    assertThat(delivery.path("eventId").asText()).isEqualTo(body.path("id").asText());
    assertThat(delivery.path("event").asText()).isEqualTo("backup.failed");
    assertThat(delivery.path("attempts").asInt()).isEqualTo(1);
    assertThat(delivery.path("lastStatus").asInt()).isEqualTo(200);
    assertThat(delivery.path("deliveredAt").isTextual()).isTrue();
    assertThat(receiver.nothingMoreWithin(Duration.ofSeconds(2))).isTrue();
  }

  @Test
  void shouldRetryADeliveryTheReceiverAnswered500OnceAndShowBothAttempts() throws Exception {
    // given: a receiver that fails the first time
    receiver.answer(500);
    JsonNode webhook = created(Map.of("url", receiver.url(), "events", List.of("backup.failed")));
    String secret = webhook.path("secret").asText();

    // when
    startBackup(registerUnreachableCluster());

    // then: the same delivery comes twice, each attempt signed at its own time
    Received first = receiver.next(Duration.ofSeconds(60));
    Received second = receiver.next(Duration.ofSeconds(60));
    assertThat(second.header("backstop-delivery")).isEqualTo(first.header("backstop-delivery"));
    assertThat(second.body()).isEqualTo(first.body());
    for (Received attempt : List.of(first, second)) {
      Signature signature = Signature.parse(attempt.header("backstop-signature"));
      assertThat(signature.v1()).isEqualTo(hmacHex(secret, signature.t() + "." + attempt.body()));
    }
    assertThat(Duration.between(first.at(), second.at())).as("backed off").isGreaterThanOrEqualTo(Duration.ofSeconds(1));

    // and the deliveries show two attempts, DELIVERED
    JsonNode delivery = awaitDelivery(webhook, "DELIVERED");
    assertThat(delivery.path("id").asText()).isEqualTo(first.header("backstop-delivery"));
    assertThat(delivery.path("attempts").asInt()).as(delivery.toString()).isEqualTo(2);
    assertThat(delivery.path("lastStatus").asInt()).isEqualTo(200);
    assertThat(delivery.path("lastError").isNull()).isTrue();
    assertThat(delivery.path("nextAttemptAt").isNull()).isTrue();
    assertThat(delivery.path("deliveredAt").isTextual()).isTrue();
  }

  @Test
  void shouldShowTheSecretOnlyInTheCreateAnswer() {
    // when
    Api.Answer created = member.postJson(webhooksPath(organizationId), Map.of("url", receiver.url(), "events", List.of("backup.failed")));

    // then
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    String id = created.json().path("id").asText();
    String secret = created.json().path("secret").asText();
    assertThat(secret).startsWith("whsec_").hasSizeGreaterThanOrEqualTo(40);
    assertThat(created.header("Location")).contains("/organizations/" + organizationId + "/webhooks/" + id);
    assertThat(created.json().path("url").asText()).isEqualTo(receiver.url());
    for (Api.Answer read :
        List.of(
            member.get(webhooksPath(organizationId)),
            member.get(webhooksPath(organizationId) + "/" + id),
            member.get(webhooksPath(organizationId) + "/" + id + "/deliveries"),
            operator.get(webhooksPath(organizationId)))) {
      assertThat(read.status()).as(read.toString()).isEqualTo(200);
      assertThat(read.body()).doesNotContain(secret).doesNotContain("secret").doesNotContain("whsec_");
    }
    assertThat(member.get(webhooksPath(organizationId)).json().findValuesAsText("id")).containsExactly(id);
    assertThat(member.get(webhooksPath(organizationId) + "/" + id).json().path("events").toString()).isEqualTo("[\"backup.failed\"]");
  }

  @Test
  void shouldAnswer404ToAnotherOrganizationsClient() {
    // given: a webhook of this organization, and a client of another one with every webhook permission
    String id = created(Map.of("url", receiver.url(), "events", List.of("backup.failed"))).path("id").asText();
    Api stranger = client(newOrganization(), MEMBER_PERMISSIONS);

    // then
    for (Api.Answer answer :
        List.of(
            stranger.get(webhooksPath(organizationId)),
            stranger.postJson(webhooksPath(organizationId), Map.of("url", receiver.url() + "/x", "events", List.of("backup.failed"))),
            stranger.get(webhooksPath(organizationId) + "/" + id),
            stranger.get(webhooksPath(organizationId) + "/" + id + "/deliveries"),
            stranger.delete(webhooksPath(organizationId) + "/" + id))) {
      assertThat(answer.status()).as(answer.toString()).isEqualTo(404);
      assertThat(answer.contentType()).startsWith("application/problem+json");
    }
    assertThat(member.get(webhooksPath(organizationId)).json().findValuesAsText("id")).containsExactly(id);
  }

  @Test
  void shouldAnswer403ToAClientWithoutWebhooksWrite() {
    String id = created(Map.of("url", receiver.url(), "events", List.of("backup.failed"))).path("id").asText();
    Api reader = client(organizationId, List.of("webhooks:read", "backups:write"));

    Api.Answer create = reader.postJson(webhooksPath(organizationId), Map.of("url", receiver.url() + "/x", "events", List.of("backup.failed")));
    Api.Answer delete = reader.delete(webhooksPath(organizationId) + "/" + id);

    for (Api.Answer answer : List.of(create, delete)) {
      assertThat(answer.status()).as(answer.toString()).isEqualTo(403);
      assertThat(answer.json().path("detail").asText()).contains("webhooks:write");
    }
    assertThat(reader.get(webhooksPath(organizationId)).status()).isEqualTo(200);
    assertThat(member.get(webhooksPath(organizationId)).json().findValuesAsText("id")).containsExactly(id);
    // and without webhooks:read, not even the list
    assertThat(client(organizationId, List.of("backups:read")).get(webhooksPath(organizationId)).status()).isEqualTo(403);
  }

  @Test
  void shouldRefuseAUrlToANetworkThatIsNotAllowedNamingUrl() {
    for (String url : List.of("http://10.0.0.7/hook", "http://169.254.169.254/latest/meta-data/", "http://[::1]:8080/hook", "http://127.0.0.2/hook")) {
      Api.Answer refused = member.postJson(webhooksPath(organizationId), Map.of("url", url, "events", List.of("backup.failed")));

      assertThat(refused.status()).as(url + " " + refused).isEqualTo(400);
      assertThat(refused.contentType()).startsWith("application/problem+json");
      JsonNode errors = refused.json().path("errors");
      assertThat(errors.findValuesAsText("field")).as(refused.toString()).containsExactly("url");
      assertThat(errors.get(0).path("message").asText()).contains("backstop.notifications.allowed-networks");
    }
    assertThat(member.get(webhooksPath(organizationId)).json()).isEmpty();
  }

  @Test
  void shouldRefuseEventsNotInTheListNamingEachOne() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("url", receiver.url());
    body.put("events", List.of("backup.failed", "backup.completed", "restore.failed", "everything"));

    Api.Answer refused = member.postJson(webhooksPath(organizationId), body);

    assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
    assertThat(refused.json().path("errors").findValuesAsText("field")).containsExactly("events[1]", "events[3]");
    assertThat(refused.json().path("errors").get(0).path("message").asText()).contains("backup.failed").contains("backup.overdue");
    // backup.overdue needs its threshold
    Api.Answer noHours = member.postJson(webhooksPath(organizationId), Map.of("url", receiver.url(), "events", List.of("backup.overdue")));
    assertThat(noHours.status()).isEqualTo(400);
    assertThat(noHours.json().path("errors").findValuesAsText("field")).containsExactly("noCompletedBackupHours");
    assertThat(member.get(webhooksPath(organizationId)).json()).isEmpty();
  }

  @Test
  void shouldTellOnceThatAClusterHadNoBackupForLongerThanTheThreshold() throws Exception {
    // given: a cluster registered three hours ago that never completed a backup
    String clusterId = registerUnreachableCluster();
    JdbcClient.create(dataSource).sql("update clusters set created_at = now() - interval '3 hours' where id = :id").param("id", clusterId).update();

    // when: a webhook watches for two hours without a completed backup
    JsonNode webhook = created(Map.of("url", receiver.url(), "events", List.of("backup.overdue"), "noCompletedBackupHours", 2));
    assertThat(webhook.path("noCompletedBackupHours").asInt()).isEqualTo(2);

    // then: the periodic check tells it
    Received received = receiver.next(Duration.ofSeconds(60));
    assertThat(received.header("backstop-event")).isEqualTo("backup.overdue");
    JsonNode body = Api.JSON.readTree(received.body());
    assertThat(body.path("clusterId").asText()).isEqualTo(clusterId);
    assertThat(body.path("outcome").asText()).isEqualTo("FAILED");
    assertThat(body.path("detail").asText()).isEqualTo("No backup completed for more than 2 h (none ever completed)");
    assertThat(body.has("backupId")).isFalse();
    Signature signature = Signature.parse(received.header("backstop-signature"));
    assertThat(signature.v1()).isEqualTo(hmacHex(webhook.path("secret").asText(), signature.t() + "." + received.body()));
    // and only once, however many checks see it overdue (the check runs every 2 s, picked within a poll of 10 s)
    assertThat(receiver.nothingMoreWithin(Duration.ofSeconds(15))).isTrue();
    assertThat(awaitDelivery(webhook, "DELIVERED").path("event").asText()).isEqualTo("backup.overdue");
  }

  @Test
  void shouldBeInTheOpenApiDocumentWithoutASecretToSend() {
    JsonNode paths = Api.anonymous(baseUrl()).get("/v3/api-docs").json().path("paths");

    assertThat(paths.has("/organizations/{orgId}/webhooks")).isTrue();
    assertThat(paths.has("/organizations/{orgId}/webhooks/{webhookId}")).isTrue();
    assertThat(paths.has("/organizations/{orgId}/webhooks/{webhookId}/deliveries")).isTrue();
    JsonNode schemas = Api.anonymous(baseUrl()).get("/v3/api-docs").json().path("components").path("schemas");
    assertThat(schemas.path("WebhookRequest").path("properties").has("secret")).isFalse();
    assertThat(schemas.path("WebhookView").path("properties").has("secret")).isFalse();
    assertThat(schemas.path("NewWebhookView").path("properties").has("secret")).isTrue();
  }

  // ------------------------------------------------------------------------------------ helpers

  private static String webhooksPath(String organizationId) {
    return "/organizations/" + organizationId + "/webhooks";
  }

  private JsonNode created(Map<String, Object> body) {
    Api.Answer created = member.postJson(webhooksPath(organizationId), body);
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return created.json();
  }

  private Api client(String organization, List<String> permissions) {
    Api.Answer client = operator.postJson("/admin/organizations/" + organization + "/clients", Map.of("name", "c-" + UUID.randomUUID(), "permissions", permissions));
    assertThat(client.status()).as(client.toString()).isEqualTo(201);
    return Api.as(baseUrl(), client.json().path("clientId").asText(), client.json().path("clientSecret").asText());
  }

  /** A cluster of the organization whose components do not listen: every backup of it fails at once. */
  private String registerUnreachableCluster() {
    Api.Answer registered = operator.postJson("/clusters", registration(organizationId, "down-" + UUID.randomUUID(), NOWHERE));
    assertThat(registered.status()).as(registered.toString()).isEqualTo(201);
    return registered.json().path("uuid").asText();
  }

  private long startBackup(String clusterId) {
    Api.Answer started = member.post("/clusters/" + clusterId + "/backups", null);
    assertThat(started.status()).as(started.toString()).isEqualTo(202);
    long backupId = started.json().path("backupId").asLong();
    await("the backup fails")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> member.get("/clusters/" + clusterId + "/backups/" + backupId).json().path("state").asText().equals("FAILED"));
    return backupId;
  }

  private JsonNode awaitDelivery(JsonNode webhook, String state) {
    String path = webhooksPath(organizationId) + "/" + webhook.path("id").asText() + "/deliveries";
    JsonNode[] last = new JsonNode[1];
    await("a delivery " + state)
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> (last[0] = member.get(path).json()).size() == 1 && last[0].get(0).path("state").asText().equals(state));
    return last[0].get(0);
  }

  /** HMAC-SHA256 as a receiver computes it: the secret's UTF-8 bytes as the key, hex out. */
  private static String hmacHex(String secret, String signedContent) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return HexFormat.of().formatHex(mac.doFinal(signedContent.getBytes(StandardCharsets.UTF_8)));
  }

  /** {@code t=<unix seconds>,v1=<hex>}. */
  private record Signature(long t, String v1) {
    static Signature parse(String header) {
      assertThat(header).matches("t=\\d+,v1=[0-9a-f]{64}");
      String[] parts = header.split(",");
      return new Signature(Long.parseLong(parts[0].substring(2)), parts[1].substring(3));
    }
  }

  /** One request the receiver got. */
  private record Received(Map<String, String> headers, String body, Instant at) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  /**
   * A webhook receiver: records every POST and answers the statuses it was told to, in order, then
   * 200.
   */
  private static final class Receiver implements AutoCloseable {
    private final HttpServer server;
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final ConcurrentLinkedQueue<Integer> answers = new ConcurrentLinkedQueue<>();

    Receiver() {
      try {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
      server.createContext(
          "/",
          exchange -> {
            Map<String, String> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            received.add(new Received(headers, body, Instant.now()));
            Integer status = answers.poll();
            exchange.sendResponseHeaders(status == null ? 200 : status, -1);
            exchange.close();
          });
      server.start();
    }

    void answer(int... statuses) {
      for (int status : statuses) {
        answers.add(status);
      }
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/backstop";
    }

    Received next(Duration timeout) throws InterruptedException {
      Received next = received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(next).as("a request to the receiver within " + timeout).isNotNull();
      return next;
    }

    boolean nothingMoreWithin(Duration timeout) throws InterruptedException {
      return received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS) == null;
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }
}
