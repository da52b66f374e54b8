package dev.backstop.storage.s3;

import dev.backstop.storage.ObjectStore;
import dev.backstop.storage.ObjectStoreContract;
import dev.backstop.testbed.S3Region;
import java.net.URI;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The contract run by the S3 adapter against a real S3-compatible server, one bucket per test,
 * with S3's smallest parts so that a 12 MiB object goes up in three. Subclasses start the server.
 */
abstract class S3ServerContract extends ObjectStoreContract {

  static final S3Tuning TUNING = S3Tuning.defaults().withMultipart(S3Tuning.MIN_PART_SIZE, S3Tuning.MIN_PART_SIZE);

  private static final AtomicInteger BUCKETS = new AtomicInteger();

  /** The server the tests run against, started by the subclass. */
  protected abstract S3Region region();

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
    return Optional.of(region().secretKey());
  }

  S3Location newBucket() {
    String bucket = "contract-" + BUCKETS.incrementAndGet();
    region().createBucketIfMissing(bucket);
    return new S3Location(URI.create(region().endpoint()), bucket, region().signingRegion(), true, region().accessKey(), region().secretKey());
  }
}
