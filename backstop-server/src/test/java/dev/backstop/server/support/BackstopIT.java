package dev.backstop.server.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backstop.server.BackstopApplication;
import dev.backstop.server.Regions;
import dev.backstop.testbed.S3Region;
import org.springframework.beans.factory.annotation.Autowired;
import dev.backstop.testbed.Testbed;
import dev.backstop.testbed.TestbedExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the tests that run Backstop (in this JVM, on its embedded PostgreSQL) against the real
 * test bed. The test bed and the Spring context are started once and shared by all such tests;
 * the test bed's cluster is registered once, and each test starts from a cluster with no backups.
 */
@SpringBootTest(
    classes = BackstopApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "backstop.admin.client-id=" + BackstopIT.OPERATOR_ID,
      "backstop.admin.client-secret=" + BackstopIT.OPERATOR_SECRET,
      "backstop.backup.unreachable-tolerance=PT10S",
      // the test bed runs on loopback, which component URLs may not point to by default
      "backstop.security.component-networks=127.0.0.0/8",
      "backstop.notifications.allowed-networks=127.0.0.1/32",
      // a confirmed manual stop of components that still answer fails after this (tests confirm one on purpose)
      "backstop.restore.stop-timeout=PT10S",
      "backstop.backup.web-app-timeout=PT3M",
      "backstop.backup.records-snapshot-timeout=PT2M",
      "backstop.backup.zeebe-timeout=PT2M",
      "backstop.backup.exporting-timeout=PT20S",
      "backstop.backup.first-poll=PT0.25S",
      "backstop.backup.max-poll=PT1S",
      "backstop.backup.first-retry=PT1S",
      "backstop.backup.max-retry=PT5S",
      "backstop.housekeeping-interval=PT2S",
      // completed backups are verified again this often (BackupVerificationTest waits for one)
      "backstop.verification.interval=PT20S",
      "db-scheduler.polling-interval=1s",
      "db-scheduler.heartbeat-interval=1s",
      "backstop.regions.local-a.endpoint=http://127.0.0.1:1",
      "backstop.regions.local-a.bucket=unused",
      "backstop.regions.local-b.endpoint=http://127.0.0.1:1",
      "backstop.regions.local-b.bucket=unused"
    })
@ExtendWith(TestbedExtension.class)
public abstract class BackstopIT {

  public static final String OPERATOR_ID = "it-operator";
  public static final String OPERATOR_SECRET = "it-operator-secret-0123456789";
  public static final Duration BACKUP_TIMEOUT = Duration.ofMinutes(3);

  private static final Path DATA_DIR = Path.of("target", "it-data", UUID.randomUUID().toString());
  /**
   * The test bed's cluster as registered in each Backstop (by base URL): a test class with
   * settings of its own gets a Spring context, and so a database, of its own.
   */
  private static final Map<String, TestCluster> CLUSTERS = new java.util.concurrent.ConcurrentHashMap<>();

  @LocalServerPort protected int port;

  @Autowired private Regions regions;

  protected Testbed testbed;
  protected Api operator;
  protected TestCluster testCluster;
  protected Api client;

  @DynamicPropertySource
  static void dataDirectory(DynamicPropertyRegistry registry) {
    // A class with settings of its own names its context (backstop.it.context): two Backstops in
    // one JVM never share a data directory, and so never an embedded database.
    registry.add("backstop.data-dir", () -> DATA_DIR.resolve("${backstop.it.context:shared}").toString());
    registry.add("logging.file.name", () -> DATA_DIR.resolve("${backstop.it.context:shared}").resolve("backstop.log").toString());
  }

  @BeforeEach
  void connect(Testbed testbed) {
    this.testbed = testbed;
    // The test bed's two object-storage regions, known only once it runs.
    useRegion(testbed.primaryRegion(), testbed.primaryRegion().endpoint());
    useRegion(testbed.secondaryRegion(), testbed.secondaryRegion().endpoint());
    this.operator = Api.as(baseUrl(), OPERATOR_ID, OPERATOR_SECRET);
    this.testCluster = CLUSTERS.computeIfAbsent(baseUrl(), url -> TestCluster.register(operator, testbed));
    this.client = Api.as(baseUrl(), testCluster.clientId(), testCluster.clientSecret());
    deleteAllBackups();
    setPolicy("PT0S", 3, 3);
  }

  /** Points Backstop's region of that name at {@code endpoint} (the region itself, or a proxy in front of it). */
  protected void useRegion(S3Region region, String endpoint) {
    regions.add(
        region.name(), Regions.Region.of(endpoint, region.bucket(), region.signingRegion(), true, region.accessKey(), region.secretKey()));
  }

  protected String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  protected String backupsPath() {
    return "/clusters/" + testCluster.clusterId() + "/backups";
  }

  protected void setPolicy(String rateLimit, int manualRetention, int scheduledRetention) {
    Api.Answer answer =
        operator.putJson(
            "/admin/clusters/" + testCluster.clusterId() + "/backup-policy",
            Map.of("manualRateLimit", rateLimit, "manualRetention", manualRetention, "scheduledRetention", scheduledRetention));
    assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
  }

  /** Starts a backup and waits until it ended; returns it as the API shows it then. */
  protected JsonNode takeBackup() {
    Api.Answer created = client.post(backupsPath(), null);
    assertThat(created.status()).as(created.toString()).isEqualTo(202);
    return awaitEnded(created.json().path("backupId").asLong());
  }

  protected JsonNode awaitEnded(long backupId) {
    JsonNode[] last = new JsonNode[1];
    await("backup " + backupId + " ends")
        .atMost(BACKUP_TIMEOUT)
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              last[0] = client.get(backupsPath() + "/" + backupId).json();
              String state = last[0].path("state").asText();
              boolean cleanedUp =
                  !state.equals("FAILED")
                      || List.of("DELETED", "CLEANUP_FAILED", "PENDING").containsAll(
                          last[0].path("components").findValuesAsText("state"));
              return (state.equals("COMPLETED") || state.equals("FAILED")) && cleanedUp;
            });
    return last[0];
  }

  /** Deletes every backup of the test cluster and waits until they are gone. */
  protected void deleteAllBackups() {
    await("no backup of the test cluster is in progress")
        .atMost(BACKUP_TIMEOUT)
        .pollInterval(Duration.ofMillis(500))
        .until(() -> client.get(backupsPath()).json().findValuesAsText("state").stream().noneMatch("IN_PROGRESS"::equals));
    for (JsonNode backup : client.get(backupsPath()).json()) {
      if (!backup.path("state").asText().equals("DELETING")) {
        Api.Answer deleted = client.delete(backupsPath() + "/" + backup.path("backupId").asLong());
        assertThat(deleted.status()).as(deleted.toString()).isIn(202, 404);
      }
    }
    await("every backup of the test cluster is gone")
        .atMost(Duration.ofMinutes(1))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> client.get(backupsPath()).json().isEmpty());
  }
}
