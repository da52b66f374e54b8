package dev.backstop.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backstop.server.metrics.Scrape;
import dev.backstop.server.support.Api;
import dev.backstop.server.support.BackstopIT;
import dev.backstop.server.support.RegionContents;
import dev.backstop.testbed.S3Region;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Verification of a real backup of the test bed's cluster, in the real primary bucket (S3Proxy):
 * VERIFIED once completed; found DAMAGED by the periodic re-verification ({@code
 * backstop.verification.interval} is short in {@link BackstopIT}) once one of its Zeebe segment
 * files is removed from the bucket, naming that object, and then no longer the last good backup.
 */
class BackupVerificationTest extends BackstopIT {

  private static final Duration VERIFICATION_WAIT = Duration.ofSeconds(120);

  @Test
  void shouldVerifyACompletedBackupAndFindItDamagedOnceOneOfItsObjectsIsRemoved() throws Exception {
    // given: a completed backup
    Instant start = Instant.now();
    JsonNode completed = takeBackup();
    assertThat(completed.path("state").asText()).as(completed.toString()).isEqualTo("COMPLETED");
    long backupId = completed.path("backupId").asLong();
    Instant completedAt = Instant.parse(completed.path("completed").asText());

    // then: it is verified, with the time of the check
    JsonNode verified = awaitVerification(backupId, "VERIFIED");
    Instant verifiedAt = Instant.parse(verified.path("at").asText());
    assertThat(verifiedAt).isAfterOrEqualTo(completedAt).isBeforeOrEqualTo(Instant.now());
    assertThat(verified.path("detail").isNull()).as(verified.toString()).isTrue();
    // and it is the cluster's last good backup
    awaitScrape("the verified backup is the last good one", s -> s.value("backstop_cluster_has_completed_backup", "cluster", testCluster.clusterId()).orElse(0) == 1);

    // when: one of its Zeebe segment files is removed from the primary bucket
    String removed = removeOneSegment(testbed.primaryRegion(), backupId);

    // then: a re-verification finds it damaged, naming the object
    JsonNode damaged = awaitVerification(backupId, "DAMAGED");
    assertThat(Instant.parse(damaged.path("at").asText())).isAfter(verifiedAt);
    assertThat(damaged.path("detail").asText()).contains(testbed.primaryRegion().name()).contains(removed);
    // and the backup itself still says COMPLETED (its components did complete it)
    assertThat(client.get(backupsPath() + "/" + backupId).json().path("state").asText()).isEqualTo("COMPLETED");

    // and it no longer counts as the cluster's last good backup: the cluster has none
    Scrape after = awaitScrape("the damaged backup is no good backup",
        s -> s.value("backstop_cluster_has_completed_backup", "cluster", testCluster.clusterId()).orElse(1) == 0);
    assertThat(after.hasSeries("backstop_last_completed_backup_age_seconds", "cluster", testCluster.clusterId())).isFalse();

    // and the audit trail tells it once, naming the object
    JsonNode trail = operator.get("/audit?clusterId=" + testCluster.clusterId() + "&from=" + start).json().path("items");
    assertThat(trail.findValuesAsText("action").stream().filter("backup.damaged"::equals)).hasSize(1);
  }

  @Test
  void shouldShowNoVerificationForABackupThatIsNotCompleted() {
    // when
    Api.Answer created = client.post(backupsPath(), null);

    // then: while it runs, nothing is to be verified yet
    assertThat(created.status()).as(created.toString()).isEqualTo(202);
    assertThat(created.json().has("verification")).isTrue();
    assertThat(created.json().path("verification").isNull()).as(created.body()).isTrue();
    awaitEnded(created.json().path("backupId").asLong());
  }

  private JsonNode awaitVerification(long backupId, String state) {
    JsonNode[] last = new JsonNode[1];
    await("backup " + backupId + " is " + state)
        .atMost(VERIFICATION_WAIT)
        .pollInterval(Duration.ofMillis(500))
        .until(() -> {
          last[0] = client.get(backupsPath() + "/" + backupId).json().path("verification");
          return last[0].path("state").asText().equals(state);
        });
    return last[0];
  }

  private Scrape awaitScrape(String what, java.util.function.Predicate<Scrape> condition) {
    Scrape[] last = new Scrape[1];
    await(what)
        .atMost(Duration.ofSeconds(45))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> condition.test(last[0] = new Scrape(operator.get("/actuator/prometheus").body())));
    return last[0];
  }

  /** Deletes one segment file of Zeebe's backup (its manifest stays COMPLETED); returns its key. */
  private static String removeOneSegment(S3Region region, long backupId) {
    String key =
        RegionContents.zeebeObjectsOf(region, backupId).keySet().stream().filter(k -> k.contains("/segments/")).findFirst().orElseThrow();
    try (S3Client s3 = region.newClient()) {
      s3.deleteObject(b -> b.bucket(region.bucket()).key(key));
    }
    return key;
  }
}
