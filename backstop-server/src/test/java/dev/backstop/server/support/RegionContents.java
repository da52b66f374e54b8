package dev.backstop.server.support;

import dev.backstop.testbed.S3Region;
import dev.backstop.testbed.Testbed;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * What a test-bed region's bucket holds, read with the plain AWS SDK (not Backstop's adapter), and
 * the identity of the files S3Proxy keeps each object in: an object written again is a new file.
 */
public final class RegionContents {

  /** One object as a listing shows it. */
  public record Listed(long size, String etag) {}

  /** The file S3Proxy keeps an object in: a rewrite gives a new file key (inode) and time. */
  public record FileIdentity(Object fileKey, long modifiedNanos) {}

  private RegionContents() {}

  /** Every object under {@code prefix}: key → size and ETag. */
  public static Map<String, Listed> list(S3Region region, String prefix) {
    Map<String, Listed> objects = new TreeMap<>();
    try (S3Client s3 = region.newClient()) {
      for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(region.bucket()).prefix(prefix)).contents()) {
        objects.put(object.key(), new Listed(object.size(), object.eTag().replace("\"", "")));
      }
    }
    return objects;
  }

  /** The objects of one Zeebe backup: {@code zeebe/<partition>/<backupId>/<node>/…}. */
  public static Map<String, Listed> zeebeObjectsOf(S3Region region, long backupId) {
    Map<String, Listed> all = list(region, Testbed.ZEEBE_BASE_PATH + "/");
    all.keySet().removeIf(key -> !key.split("/")[2].equals(Long.toString(backupId)));
    return all;
  }

  /** The ids of the Zeebe backups whose objects a region holds. */
  public static java.util.Set<Long> zeebeBackupIds(S3Region region) {
    java.util.Set<Long> ids = new java.util.TreeSet<>();
    list(region, Testbed.ZEEBE_BASE_PATH + "/").keySet().forEach(key -> ids.add(Long.parseLong(key.split("/")[2])));
    return ids;
  }

  /**
   * The file of every object a replication of this backup may have copied to {@code region} so
   * far (its Zeebe objects, the search repository's data blobs): compared after a takeover, an
   * object whose file is unchanged was not written again.
   */
  public static Map<String, FileIdentity> replicatedFiles(Testbed testbed, S3Region region, long backupId) {
    Map<String, FileIdentity> files = new TreeMap<>();
    zeebeObjectsOf(region, backupId).keySet().forEach(key -> files.put(key, fileOf(testbed, region, key)));
    dataBlobsOf(region).keySet().forEach(key -> files.put(key, fileOf(testbed, region, key)));
    return files;
  }

  /**
   * The shard data blobs ({@code __…}) of the test bed's search repository: wherever the shard
   * folders are (OpenSearch 3 puts them behind a hash before the base path).
   */
  public static Map<String, Listed> dataBlobsOf(S3Region region) {
    Map<String, Listed> blobs = list(region, "");
    blobs.keySet().removeIf(key -> !key.contains(Testbed.SEARCH_BASE_PATH + "/indices/") || !key.substring(key.lastIndexOf('/') + 1).startsWith("__"));
    return blobs;
  }

  /**
   * The snapshots the search repository's committed generation in a region lists: its
   * {@code index.latest}, then that {@code index-N} (plain JSON), read as OpenSearch would.
   */
  public static java.util.List<String> snapshotsListedIn(S3Region region) {
    try (S3Client s3 = region.newClient()) {
      String prefix = Testbed.SEARCH_BASE_PATH + "/";
      byte[] latest = s3.getObjectAsBytes(b -> b.bucket(region.bucket()).key(prefix + "index.latest")).asByteArray();
      long generation = java.nio.ByteBuffer.wrap(latest).getLong();
      byte[] root = s3.getObjectAsBytes(b -> b.bucket(region.bucket()).key(prefix + "index-" + generation)).asByteArray();
      return new com.fasterxml.jackson.databind.ObjectMapper().readTree(root).path("snapshots").findValuesAsText("name");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static FileIdentity fileOf(Testbed testbed, S3Region region, String key) {
    Path file = testbed.workDirectory().resolve("s3-" + region.name()).resolve("data").resolve(region.bucket()).resolve(key);
    try {
      BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
      return new FileIdentity(attributes.fileKey(), attributes.lastModifiedTime().toInstant().getEpochSecond() * 1_000_000_000L
          + attributes.lastModifiedTime().toInstant().getNano());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
