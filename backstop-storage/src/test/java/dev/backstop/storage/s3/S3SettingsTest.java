package dev.backstop.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

/** The S3 adapter's settings: validation, defaults, and the secret kept out of sight. */
class S3SettingsTest {

  private static final URI ENDPOINT = URI.create("http://127.0.0.1:9000");

  @Test
  void shouldNeverPrintTheSecretKey() {
    S3Location location = new S3Location(ENDPOINT, "backups", "us-east-1", true, "AKIA1", "s3cr3t-value");

    assertThat(location.toString()).doesNotContain("s3cr3t-value").contains("<redacted>").contains("AKIA1");
    assertThat(location.describe()).isEqualTo("s3 http://127.0.0.1:9000 bucket backups");
  }

  @Test
  void shouldReportEveryProblemOfALocationAtOnce() {
    assertThatThrownBy(() -> new S3Location(URI.create("ftp://host/path"), "B", " ", false, "", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("http or https")
        .hasMessageContaining("must not have a path")
        .hasMessageContaining("bucket must be")
        .hasMessageContaining("signingRegion is missing")
        .hasMessageContaining("accessKey is missing")
        .hasMessageContaining("secretKey is missing");
  }

  @Test
  void shouldTellTheSameAccountOnTheSameServer() {
    S3Location a = new S3Location(ENDPOINT, "bucket-a", "us-east-1", true, "key", "secret");

    assertThat(a.sameAccountAs(a.withBucket("bucket-b"))).isTrue();
    assertThat(a.sameAccountAs(new S3Location(ENDPOINT, "bucket-b", "us-east-1", true, "key", "other"))).isFalse();
    assertThat(a.sameAccountAs(new S3Location(URI.create("http://127.0.0.1:9001"), "bucket-a", "us-east-1", true, "key", "secret")))
        .isFalse();
  }

  @Test
  void shouldPinTheDefaults() {
    S3Tuning defaults = S3Tuning.defaults();

    assertThat(defaults.maxConcurrency()).isEqualTo(32);
    assertThat(defaults.partSize()).isEqualTo(8 << 20);
    assertThat(defaults.multipartThreshold()).isEqualTo(16 << 20);
    assertThat(defaults.partsInFlight()).isEqualTo(4);
    assertThat(defaults.memoryBudget()).isEqualTo(128L << 20);
    assertThat(defaults.maxAttempts()).isEqualTo(5);
  }

  @Test
  void shouldRaiseThePartSizeSoThatNoUploadNeedsMoreThanTenThousandParts() {
    S3Tuning defaults = S3Tuning.defaults();

    assertThat(defaults.partSizeFor(1L << 30)).isEqualTo(8 << 20);
    long huge = 200L << 30;
    long partSize = defaults.partSizeFor(huge);
    assertThat((huge + partSize - 1) / partSize).isLessThanOrEqualTo(S3Tuning.MAX_PARTS);
    assertThat(partSize % (1 << 20)).isZero();
  }

  @Test
  void shouldRefusePartsSmallerThanS3Allows() {
    assertThatThrownBy(() -> S3Tuning.defaults().withMultipart(1 << 20, 16 << 20))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("partSize must be at least 5 MiB");
  }

  @Test
  void shouldComputeTheMultipartEtagAsS3Does() {
    // The ETag S3 documents for two parts: MD5 over the parts' binary MD5s, then "-2".
    byte[][] partMd5s = {S3ObjectStore.md5("a".getBytes()), S3ObjectStore.md5("b".getBytes())};

    assertThat(S3ObjectStore.multipartEtag(partMd5s)).endsWith("-2").hasSize(32 + 2);
  }
}
