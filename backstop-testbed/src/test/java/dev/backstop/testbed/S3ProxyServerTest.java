package dev.backstop.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

class S3ProxyServerTest {

  @Test
  void shouldServeItsBucketOnLoopbackUntilClosed(@TempDir Path directory) {
    // when
    S3Region region = S3ProxyServer.start(directory);

    // then
    try (region; S3Client s3 = region.newClient()) {
      assertThat(region.endpoint()).startsWith("http://127.0.0.1:");
      assertThat(region.process().isRunning()).isTrue();
      assertThat(s3.listBuckets().buckets()).anySatisfy(b -> assertThat(b.name()).isEqualTo(region.bucket()));
      assertThat(region.toString()).doesNotContain(region.secretKey());
    }
    assertThat(region.process().isRunning()).isFalse();
  }
}
