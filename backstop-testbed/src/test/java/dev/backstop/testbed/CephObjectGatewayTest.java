package dev.backstop.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Object;

/** A real Ceph cluster with radosgw serves S3 as Backstop uses it, and leaves nothing running. */
class CephObjectGatewayTest {

  private static final int PART_SIZE = 5 << 20;

  @Test
  void shouldServeObjectsOverS3AndLeaveNoDaemonBehind() throws Exception {
    // given
    Path dir = runDirectory("ceph");
    byte[] large = randomBytes(4 * PART_SIZE + 123_456, 1); // about 21 MB, five parts
    byte[] small = randomBytes(1_000, 2);
    List<Long> pids = new ArrayList<>();
    CephObjectGateway ceph = CephObjectGateway.start(dir);
    try (ceph; S3Client s3 = ceph.newClient()) {
      ceph.processes().forEach(p -> pids.add(p.pid().orElseThrow()));
      System.out.printf("Ceph started in %d ms; resident memory after start: %s%n", ceph.startDuration().toMillis(), residentMemory(ceph));
      assertThat(ceph.toString()).doesNotContain(ceph.secretKey()).contains("<redacted>");
      assertThat(ceph.endpoint()).startsWith("http://127.0.0.1:");
      String bucket = ceph.bucket();

      // when
      uploadInParts(s3, bucket, "backups/large.bin", large);
      s3.putObject(b -> b.bucket(bucket).key("backups/small.txt"), RequestBody.fromBytes(small));

      // then
      assertThat(s3.listObjectsV2(b -> b.bucket(bucket).prefix("backups/")).contents())
          .extracting(S3Object::key, S3Object::size)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("backups/large.bin", (long) large.length),
              org.assertj.core.groups.Tuple.tuple("backups/small.txt", (long) small.length));
      assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key("backups/large.bin")).asByteArray()).isEqualTo(large);
      assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key("backups/small.txt")).asByteArray()).isEqualTo(small);
      System.out.printf("Resident memory after %d MB stored: %s%n", large.length >> 20, residentMemory(ceph));

      // when
      s3.deleteObject(b -> b.bucket(bucket).key("backups/large.bin"));
      s3.deleteObject(b -> b.bucket(bucket).key("backups/small.txt"));

      // then
      assertThat(s3.listObjectsV2(b -> b.bucket(bucket)).contents()).isEmpty();
    }

    // then: close() stopped every daemon of this cluster
    assertThat(pids).hasSize(3);
    await("the daemons are gone")
        .atMost(Duration.ofSeconds(10))
        .until(() -> pids.stream().noneMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)));
    String config = ceph.configFile().toString();
    assertThat(ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains(config)))
        .as("processes still using %s", config)
        .isEmpty();
  }

  @Test
  void shouldStopWhatItStartedWhenTheGatewayCannotStart() throws Exception {
    // given: the S3 port is taken
    Path dir = runDirectory("ceph-failed");
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {

      // when / then
      assertThatThrownBy(() -> CephObjectGateway.start(dir, CephObjectGateway.DEFAULT_STORE_BYTES, taken.getLocalPort()))
          .isInstanceOf(TestbedException.class)
          .hasMessageContaining("radosgw exited")
          .hasMessageContaining("Address already in use");
    }
    // then: the monitor and the OSD were stopped again
    String config = dir.toAbsolutePath().resolve(CephObjectGateway.CLUSTER + ".conf").toString();
    await("no daemon of the failed cluster is left")
        .atMost(Duration.ofSeconds(10))
        .until(() -> ProcessHandle.allProcesses().noneMatch(p -> p.info().commandLine().orElse("").contains(config)));
  }

  private static Path runDirectory(String name) {
    return Path.of("target", "testbed-runs", name + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
  }

  private static void uploadInParts(S3Client s3, String bucket, String key, byte[] data) {
    String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
    List<CompletedPart> parts = new ArrayList<>();
    for (int offset = 0, number = 1; offset < data.length; offset += PART_SIZE, number++) {
      int length = Math.min(PART_SIZE, data.length - offset);
      int partNumber = number;
      String etag =
          s3.uploadPart(
                  b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(partNumber),
                  RequestBody.fromBytes(java.util.Arrays.copyOfRange(data, offset, offset + length)))
              .eTag();
      parts.add(CompletedPart.builder().partNumber(partNumber).eTag(etag).build());
    }
    s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(parts)));
  }

  private static byte[] randomBytes(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  /** Each daemon's VmRSS and their sum, from /proc. */
  private static String residentMemory(CephObjectGateway ceph) throws IOException {
    StringBuilder text = new StringBuilder();
    long total = 0;
    for (ManagedProcess process : ceph.processes()) {
      long pid = process.pid().orElseThrow();
      try (Stream<String> lines = Files.lines(Path.of("/proc", String.valueOf(pid), "status"))) {
        long kb = lines.filter(l -> l.startsWith("VmRSS:")).map(l -> l.replaceAll("\\D", "")).mapToLong(Long::parseLong).sum();
        total += kb;
        text.append(process.name()).append(' ').append(kb >> 10).append(" MB, ");
      }
    }
    return text.append("total ").append(total >> 10).append(" MB").toString();
  }
}
