package dev.backstop.server;

import dev.backstop.storage.ObjectStore;
import dev.backstop.storage.fs.FileSystemObjectStore;
import dev.backstop.storage.replication.StoreReplicator;
import dev.backstop.storage.s3.S3Location;
import dev.backstop.storage.s3.S3ObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.stereotype.Component;

/**
 * The regions the operator configured ({@code backstop.regions.<name>.*}), plus the sandbox's.
 * Clusters live in one of them; a dual-region location names a second. Each region's object store
 * is opened on first use and closed when Backstop stops.
 */
@Component
public class Regions implements StoreReplicator.RegionStores, DisposableBean {

  /**
   * One region's object storage. The keys come from the configuration (environment variables
   * such as {@code BACKSTOP_REGIONS_EU1_SECRETKEY}) or from files ({@code secret-key-file}); they
   * are never logged nor returned by the API.
   *
   * @param endpoint the S3-compatible endpoint ({@code https://…}), or {@code file:/dir} for a
   *     directory standing in for a bucket (operators without object storage, tests)
   * @param bucket the bucket backups are kept in
   * @param signingRegion the region requests are signed for ({@code us-east-1} when not set)
   * @param pathStyle whether the bucket goes in the path rather than the host name
   * @param accessKey the access key, or empty with {@code accessKeyFile}
   * @param secretKey the secret key, or empty with {@code secretKeyFile}
   * @param accessKeyFile a file holding the access key
   * @param secretKeyFile a file holding the secret key
   */
  public record Region(
      String endpoint,
      String bucket,
      String signingRegion,
      Boolean pathStyle,
      String accessKey,
      String secretKey,
      Path accessKeyFile,
      Path secretKeyFile) {

    /** A region with its keys given directly (the sandbox's). */
    public static Region of(String endpoint, String bucket, String signingRegion, boolean pathStyle, String accessKey, String secretKey) {
      return new Region(endpoint, bucket, signingRegion, pathStyle, accessKey, secretKey, null, null);
    }

    boolean isPathStyle() {
      return pathStyle != null && pathStyle;
    }

    @Override
    public String toString() {
      return "Region[endpoint=%s, bucket=%s, signingRegion=%s, pathStyle=%s, accessKey=%s, secretKey=<redacted>]"
          .formatted(endpoint, bucket, signingRegion, isPathStyle(), accessKey == null ? accessKeyFile : accessKey);
    }
  }

  /** {@code backstop.regions}: name → region. */
  @ConfigurationProperties("backstop")
  public record Configured(@DefaultValue Map<String, Region> regions) {}

  /** A region as {@code GET /admin/regions} shows it: never its keys. */
  public record RegionView(String name, String endpoint, String bucket, boolean pathStyle) {}

  private final Map<String, Region> regions = new ConcurrentSkipListMap<>();
  private final Map<String, ObjectStore> stores = new ConcurrentHashMap<>();

  public Regions(Configured configured) {
    configured.regions().forEach(this::add);
  }

  public boolean exists(String name) {
    return regions.containsKey(name);
  }

  public java.util.Set<String> names() {
    return new java.util.TreeSet<>(regions.keySet());
  }

  public List<RegionView> views() {
    return regions.entrySet().stream()
        .map(e -> new RegionView(e.getKey(), e.getValue().endpoint(), e.getValue().bucket(), e.getValue().isPathStyle()))
        .toList();
  }

  /** Adds a region known at run time (the sandbox's two), or changes one. */
  public void add(String name, Region region) {
    if (region.endpoint() == null || region.endpoint().isBlank()) {
      throw new IllegalArgumentException("backstop.regions." + name + ".endpoint is required");
    }
    if (region.bucket() == null || region.bucket().isBlank()) {
      throw new IllegalArgumentException("backstop.regions." + name + ".bucket is required");
    }
    regions.put(name, region);
    ObjectStore replaced = stores.remove(name);
    if (replaced != null) {
      replaced.close();
    }
  }

  /**
   * How a Zeebe broker's S3 backup store reaches a region: the environment variables of Zeebe's
   * restore tool (keys included: for the runtime that runs the tool, never for a log or an answer).
   */
  public Map<String, String> zeebeStoreEnvironment(String name, String basePath) {
    Region region = Optional.ofNullable(regions.get(name)).orElseThrow(() -> new IllegalArgumentException("no region '" + name + "' is configured"));
    if (URI.create(region.endpoint()).getScheme().equals("file")) {
      throw new IllegalArgumentException("region '" + name + "' is a directory store, which Zeebe's S3 backup store cannot read");
    }
    Map<String, String> env = new java.util.LinkedHashMap<>();
    env.put("ZEEBE_BROKER_DATA_BACKUP_STORE", "S3");
    env.put("ZEEBE_BROKER_DATA_BACKUP_S3_BUCKETNAME", region.bucket());
    env.put("ZEEBE_BROKER_DATA_BACKUP_S3_BASEPATH", basePath);
    env.put("ZEEBE_BROKER_DATA_BACKUP_S3_ENDPOINT", region.endpoint());
    env.put("ZEEBE_BROKER_DATA_BACKUP_S3_REGION", region.signingRegion() == null || region.signingRegion().isBlank() ? "us-east-1" : region.signingRegion());
    env.put("ZEEBE_BROKER_DATA_BACKUP_S3_FORCEPATHSTYLEACCESS", String.valueOf(region.isPathStyle()));
    env.put("ZEEBE_BROKER_DATA_BACKUP_S3_ACCESSKEY", key(name, "access-key", region.accessKey(), region.accessKeyFile()));
    env.put("ZEEBE_BROKER_DATA_BACKUP_S3_SECRETKEY", key(name, "secret-key", region.secretKey(), region.secretKeyFile()));
    return env;
  }

  @Override
  public ObjectStore of(String name) {
    Region region = Optional.ofNullable(regions.get(name)).orElseThrow(() -> new IllegalArgumentException("no region '" + name + "' is configured"));
    return stores.computeIfAbsent(name, n -> open(n, region));
  }

  private static ObjectStore open(String name, Region region) {
    URI endpoint = URI.create(region.endpoint());
    if ("file".equals(endpoint.getScheme())) {
      return new FileSystemObjectStore(Path.of(endpoint).resolve(region.bucket()));
    }
    return new S3ObjectStore(
        new S3Location(
            endpoint,
            region.bucket(),
            region.signingRegion() == null || region.signingRegion().isBlank() ? "us-east-1" : region.signingRegion(),
            region.isPathStyle(),
            key(name, "access-key", region.accessKey(), region.accessKeyFile()),
            key(name, "secret-key", region.secretKey(), region.secretKeyFile())));
  }

  private static String key(String region, String what, String value, Path file) {
    if (value != null && !value.isBlank()) {
      return value;
    }
    if (file == null) {
      throw new IllegalArgumentException("backstop.regions." + region + "." + what + " (or " + what + "-file) is required");
    }
    try {
      return Files.readString(file).strip();
    } catch (IOException e) {
      throw new UncheckedIOException("backstop.regions." + region + "." + what + "-file " + file + " cannot be read", e);
    }
  }

  @Override
  public void destroy() {
    stores.values().forEach(ObjectStore::close);
    stores.clear();
  }
}
