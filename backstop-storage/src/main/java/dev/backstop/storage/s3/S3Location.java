package dev.backstop.storage.s3;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Where an S3-compatible bucket is and how to sign requests for it.
 *
 * <p>Checks itself, reporting every problem at once; {@link #toString()} never prints the secret.
 *
 * @param endpoint the server, {@code http(s)://host[:port]} without a path ({@code
 *     https://s3.eu-west-1.amazonaws.com}, {@code http://127.0.0.1:9000})
 * @param bucket the bucket
 * @param signingRegion the region requests are signed for ({@code us-east-1} for most
 *     S3-compatible servers)
 * @param pathStyle whether the bucket goes in the path ({@code http://host/bucket/key}, what
 *     S3Proxy, Ceph radosgw and MinIO need) rather than in the host name
 * @param accessKey the access key id
 * @param secretKey the secret access key; never printed
 */
public record S3Location(
    URI endpoint, String bucket, String signingRegion, boolean pathStyle, String accessKey, String secretKey) {

  public S3Location {
    List<String> errors = new ArrayList<>();
    if (endpoint == null) {
      errors.add("endpoint is missing");
    } else {
      if (!"http".equals(endpoint.getScheme()) && !"https".equals(endpoint.getScheme())) {
        errors.add("endpoint must be an http or https URI, not " + endpoint);
      }
      if (endpoint.getHost() == null) {
        errors.add("endpoint has no host: " + endpoint);
      }
      if (endpoint.getRawPath() != null && !endpoint.getRawPath().isEmpty() && !endpoint.getRawPath().equals("/")) {
        errors.add("endpoint must not have a path (the bucket is a field of its own): " + endpoint);
      }
      if (endpoint.getRawQuery() != null || endpoint.getRawUserInfo() != null) {
        errors.add("endpoint must have neither a query nor user info");
      }
    }
    if (bucket == null || !bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
      errors.add("bucket must be 3 to 63 lower-case letters, digits, dots or dashes, not " + bucket);
    }
    if (signingRegion == null || signingRegion.isBlank()) {
      errors.add("signingRegion is missing");
    }
    if (accessKey == null || accessKey.isBlank()) {
      errors.add("accessKey is missing");
    }
    if (secretKey == null || secretKey.isBlank()) {
      errors.add("secretKey is missing");
    }
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException("Invalid S3 location: " + String.join("; ", errors));
    }
  }

  /** For logs and messages: {@code s3 http://127.0.0.1:9000 bucket backups}. */
  public String describe() {
    return "s3 " + endpoint + " bucket " + bucket;
  }

  /**
   * Whether requests for {@code other} can be made with this location's client: the same server
   * and the same account. Then the server copies between the two buckets itself.
   */
  public boolean sameAccountAs(S3Location other) {
    return endpoint.equals(other.endpoint)
        && signingRegion.equals(other.signingRegion)
        && accessKey.equals(other.accessKey)
        && secretKey.equals(other.secretKey);
  }

  /** The same server and account, another bucket. */
  public S3Location withBucket(String otherBucket) {
    return new S3Location(endpoint, otherBucket, signingRegion, pathStyle, accessKey, secretKey);
  }

  @Override
  public String toString() {
    return "S3Location[endpoint=%s, bucket=%s, signingRegion=%s, pathStyle=%s, accessKey=%s, secretKey=<redacted>]"
        .formatted(endpoint, bucket, signingRegion, pathStyle, accessKey);
  }
}
