package dev.backstop.storage.s3;

import dev.backstop.storage.ObjectStore;
import dev.backstop.storage.ObjectStoreContract;
import dev.backstop.testbed.CephObjectGateway;
import dev.backstop.testbed.S3Region;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The S3 adapter against a real Ceph radosgw (Debian's Ceph 16.2: one monitor, one memstore OSD,
 * the gateway on a loopback port), the closest to a production S3 server that runs here; one
 * bucket per test.
 */
class S3ObjectStoreOnCephTest extends ObjectStoreContract {

  private static final S3Tuning TUNING = S3Tuning.defaults().withMultipart(S3Tuning.MIN_PART_SIZE, S3Tuning.MIN_PART_SIZE);

  @TempDir static Path directory;
  private static CephObjectGateway ceph;
  private static S3Region region;
  private static final AtomicInteger BUCKETS = new AtomicInteger();

  @BeforeAll
  static void startCeph() {
    ceph = CephObjectGateway.start(directory);
    region = ceph.region();
  }

  @AfterAll
  static void stopCeph() {
    if (ceph != null) {
      ceph.close();
    }
  }

  @Override
  protected ObjectStore createStore() {
    return new S3ObjectStore(newBucket(), TUNING);
  }

  @Override
  protected Optional<Parts> parts() {
    return Optional.of(new Parts(TUNING.multipartThreshold(), TUNING.partSize()));
  }

  @Override
  protected Optional<ObjectStore> createCopySource() {
    return Optional.of(new S3ObjectStore(newBucket(), TUNING));
  }

  @Override
  protected Optional<String> secret() {
    return Optional.of(region.secretKey());
  }

  private static S3Location newBucket() {
    String bucket = "contract-" + BUCKETS.incrementAndGet();
    region.createBucketIfMissing(bucket);
    return new S3Location(URI.create(region.endpoint()), bucket, region.signingRegion(), true, region.accessKey(), region.secretKey());
  }
}
