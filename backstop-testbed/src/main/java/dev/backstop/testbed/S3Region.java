package dev.backstop.testbed;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * One object-storage region of the test bed: an S3Proxy server of its own (so a region can be
 * lost on its own) with one bucket. Started by {@link S3ProxyServer}; {@link #close()} stops it.
 *
 * @param name the region's name, as Backstop knows it
 * @param endpoint the S3 endpoint, {@code http://127.0.0.1:PORT}
 * @param signingRegion the region name requests are signed for
 * @param bucket the bucket that holds this region's backups
 * @param accessKey the access key
 * @param secretKey the secret key; not printed by {@link #toString()}
 * @param process the S3Proxy process
 */
public record S3Region(
    String name,
    String endpoint,
    String signingRegion,
    String bucket,
    String accessKey,
    String secretKey,
    ManagedProcess process)
    implements AutoCloseable {

  /** A client for this region; the caller closes it. */
  public S3Client newClient() {
    return S3Client.builder()
        .endpointOverride(URI.create(endpoint))
        .region(Region.of(signingRegion))
        .forcePathStyle(true)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .build();
  }

  /** Creates another bucket on this region's server, unless it exists. */
  public void createBucketIfMissing(String otherBucket) {
    try (S3Client s3 = newClient()) {
      if (s3.listBuckets().buckets().stream().noneMatch(b -> b.name().equals(otherBucket))) {
        s3.createBucket(b -> b.bucket(otherBucket));
      }
    }
  }

  /** Stops the server (its data stays). */
  @Override
  public void close() {
    process.stop();
  }

  @Override
  public String toString() {
    return "S3Region[name=%s, endpoint=%s, bucket=%s, accessKey=%s, secretKey=<redacted>]"
        .formatted(name, endpoint, bucket, accessKey);
  }
}
