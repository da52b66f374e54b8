package dev.backstop.storage.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backstop.core.backup.BackupId;
import dev.backstop.core.cluster.BackupLocation;
import dev.backstop.core.cluster.Cluster;
import dev.backstop.core.cluster.ComponentEndpoints;
import dev.backstop.core.cluster.Generation;
import dev.backstop.core.verification.BackupVerifier;
import dev.backstop.core.verification.VerificationUnavailable;
import dev.backstop.storage.ObjectStore;
import dev.backstop.storage.s3.S3Location;
import dev.backstop.storage.s3.S3ObjectStore;
import dev.backstop.storage.s3.S3Tuning;
import dev.backstop.testbed.Ports;
import dev.backstop.testbed.S3ProxyServer;
import dev.backstop.testbed.S3Region;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Verifying a backup in a region's bucket on a real S3Proxy: Zeebe manifests as Zeebe 8.6 writes
 * them, and a search repository in OpenSearch's blob store format (root index, Lucene-framed
 * shard snapshot files listing blobs whole and in parts) written by the test, one bucket per test.
 */
class StoreBackupVerifierTest {

  private static final BackupId ID = new BackupId(42);
  private static final String SHARD = "search/indices/idx1/0/";
  private static final String SEGMENT = "zeebe/1/42/0/segments/raft-partition-partition-1-1.log";
  private static final AtomicInteger BUCKETS = new AtomicInteger();

  @TempDir static Path directory;
  private static S3Region region;

  private ObjectStore store;
  private StoreBackupVerifier verifier;

  @BeforeAll
  static void startS3Proxy() {
    region = S3ProxyServer.start(directory);
  }

  @AfterAll
  static void stopS3Proxy() {
    if (region != null) {
      region.close();
    }
  }

  @BeforeEach
  void newBucket() {
    String bucket = "verify-" + BUCKETS.incrementAndGet();
    region.createBucketIfMissing(bucket);
    store = new S3ObjectStore(new S3Location(URI.create(region.endpoint()), bucket, region.signingRegion(), true, region.accessKey(), region.secretKey()));
    verifier = new StoreBackupVerifier(name -> store);
    zeebePartition(1);
    zeebePartition(2);
    searchRepository(1);
  }

  @Test
  void shouldFindAWholeBackupWithoutProblemsAndReportTheSizesOfItsZeebeFiles() {
    BackupVerifier.Findings findings = verifier.inspect(cluster(), ID, "region-a");

    assertThat(findings.problems()).isEmpty();
    assertThat(findings.unrecordedSizes())
        .containsEntry(SEGMENT, 300L)
        .containsEntry("zeebe/2/42/0/segments/raft-partition-partition-2-1.log", 300L)
        .doesNotContainKey("zeebe/1/42/0/manifest.json");
  }

  @Test
  void shouldNameAMissingZeebeFileByItsKey() {
    store.delete(SEGMENT);

    BackupVerifier.Findings findings = verifier.inspect(cluster(), ID, "region-a");

    assertThat(findings.problems()).singleElement().asString().contains(SEGMENT);
  }

  @Test
  void shouldNameAMissingSearchBlobAndTheSizeItMustHave() {
    store.delete(SHARD + "__b.part1");

    BackupVerifier.Findings findings = verifier.inspect(cluster(), ID, "region-a");

    assertThat(findings.problems()).containsExactly(SHARD + "__b.part1 is missing (10 bytes expected)");
  }

  @Test
  void shouldNameASearchBlobAtAnotherSizeThanItsSnapshotRecords() {
    put(SHARD + "__a", 7);
    put(SHARD + "__b.part2", 10); // the last part holds 25 - 2 × 10 = 5

    BackupVerifier.Findings findings = verifier.inspect(cluster(), ID, "region-a");

    assertThat(findings.problems()).containsExactlyInAnyOrder(SHARD + "__a is 7 bytes, 10 expected", SHARD + "__b.part2 is 10 bytes, 5 expected");
  }

  @Test
  void shouldFindASnapshotThatIsNotSuccessAndAShardSnapshotFileMissing() {
    searchRepository(3); // PARTIAL
    store.delete(SHARD + "snap-u42.dat");

    BackupVerifier.Findings findings = verifier.inspect(cluster(), ID, "region-a");

    assertThat(findings.problems())
        .containsExactly("snapshot camunda_zeebe_records_backup_42 is PARTIAL", SHARD + "snap-u42.dat (shard 0 of index zeebe-record) is missing");
  }

  @Test
  void shouldFindABackupWhoseSnapshotTheRepositoryDoesNotList() {
    BackupVerifier.Findings findings = verifier.inspect(cluster(), new BackupId(43), "region-a");

    assertThat(findings.problems())
        .contains("no Zeebe manifest of backup 43 under 'zeebe/'", "generation 1 of the search repository under 'search/' lists no snapshot of the backup");
  }

  @Test
  void shouldTellAStoreThatCannotBeReadAsUnavailableNotAsDamage() {
    S3Location closed =
        new S3Location(URI.create("http://127.0.0.1:" + Ports.freeLoopbackPort()), "nowhere", region.signingRegion(), true, region.accessKey(), region.secretKey());
    try (ObjectStore unreachable = new S3ObjectStore(closed, S3Tuning.defaults().withMaxAttempts(1))) {
      StoreBackupVerifier offline = new StoreBackupVerifier(name -> unreachable);

      assertThatThrownBy(() -> offline.inspect(cluster(), ID, "region-a")).isInstanceOf(VerificationUnavailable.class);
    }
  }

  @Test
  void shouldTellADownloadThatBreaksOffAsUnavailableNotAsDamage() {
    // given: the real store, whose downloads of the metadata break off after a few bytes, as a
    // dropped connection does mid-body (the objects themselves are whole)
    ObjectStore breaking = new BreakingDownloads(store, key -> key.endsWith("manifest.json") || key.endsWith("index-1"));
    StoreBackupVerifier verifier = new StoreBackupVerifier(name -> breaking);

    // when / then: nothing is found damaged; the region is to be read again later
    assertThatThrownBy(() -> verifier.inspect(cluster(), ID, "region-a")).isInstanceOf(VerificationUnavailable.class);
  }

  // ------------------------------------------------------------------------- the bucket's content

  private void zeebePartition(int partition) {
    String folder = "zeebe/" + partition + "/42/0/";
    String segment = "raft-partition-partition-" + partition + "-1.log";
    put(folder + "segments/" + segment, 300);
    put(folder + "snapshot/chunk-1", 40);
    put(folder + "manifest.json", """
        {"statusCode":"completed","id":{"nodeId":0,"partitionId":%d,"checkpointId":42},
         "descriptor":{"snapshotId":"1-1-1-1","checkpointPosition":180,"numberOfPartitions":2,"brokerVersion":"8.6.0"},
         "snapshotFiles":{"files":{"chunk-1":{}}},"segmentFiles":{"files":{"%s":{}}}}
        """.formatted(partition, segment));
  }

  /** Generation 1 of a repository holding snapshot {@code camunda_zeebe_records_backup_42} of one index with one shard. */
  private void searchRepository(int state) {
    put("search/index.latest", ByteBuffer.allocate(8).putLong(1).array());
    put("search/index-1", """
        {"snapshots":[{"name":"camunda_zeebe_records_backup_42","uuid":"u42","state":%d,"index_metadata_lookup":{"idx1":"m1"}}],
         "indices":{"zeebe-record":{"id":"idx1","snapshots":["u42"],"shard_generations":["g1"]}},
         "index_metadata_identifiers":{"m1":"blob-m1"}}
        """.formatted(state));
    put("search/snap-u42.dat", 20);
    put("search/meta-u42.dat", 20);
    put("search/indices/idx1/meta-blob-m1.dat", 20);
    put(SHARD + "index-g1", 20);
    put(SHARD + "snap-u42.dat", framed("""
        {"name":"u42","files":[{"name":"__a","physical_name":"_0.cfs","length":10},
                               {"name":"__b","physical_name":"_0.cfe","length":25,"part_size":10},
                               {"name":"v__c","physical_name":"segments_1","length":3}]}
        """));
    put(SHARD + "__a", 10);
    put(SHARD + "__b.part0", 10);
    put(SHARD + "__b.part1", 10);
    put(SHARD + "__b.part2", 5);
  }

  /** JSON in the Lucene framing OpenSearch writes its metadata blobs in: header, content, footer with a CRC32. */
  private static byte[] framed(String json) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(bytes);
      out.writeInt(0x3fd76c17);
      byte[] codec = "snapshot".getBytes(StandardCharsets.UTF_8);
      out.writeByte(codec.length); // a vInt below 128 is one byte
      out.write(codec);
      out.writeInt(1);
      out.write(json.strip().getBytes(StandardCharsets.UTF_8));
      out.writeInt(~0x3fd76c17);
      out.writeInt(0);
      out.flush();
      CRC32 crc = new CRC32();
      crc.update(bytes.toByteArray());
      out.writeLong(crc.getValue());
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private void put(String key, int size) {
    put(key, new byte[size]);
  }

  private void put(String key, String content) {
    put(key, content.getBytes(StandardCharsets.UTF_8));
  }

  private void put(String key, byte[] content) {
    store.put(key, content.length, new ByteArrayInputStream(content), Map.of());
  }

  private static Cluster cluster() {
    return new Cluster(
        "c1", "cluster", UUID.randomUUID(), Generation.parse("8.6.0"), "region-a", BackupLocation.sameRegion(),
        new ComponentEndpoints("http://zeebe:9600", Optional.empty(), Optional.empty(), Optional.empty(),
            new ComponentEndpoints.Search("http://search:9200", "camunda-backups", "zeebe-record")),
        new Cluster.StorageLayout("zeebe", "search"),
        Instant.parse("2026-11-01T00:00:00Z"));
  }

  /** The store as it is, except that downloads of the chosen keys fail after 8 bytes. */
  private record BreakingDownloads(ObjectStore store, java.util.function.Predicate<String> breaks) implements ObjectStore {
    @Override
    public String describe() {
      return store.describe();
    }

    @Override
    public java.util.List<dev.backstop.storage.StoredObject> list(String prefix) {
      return store.list(prefix);
    }

    @Override
    public java.util.Optional<dev.backstop.storage.StoredObject> stat(String key) {
      return store.stat(key);
    }

    @Override
    public java.io.InputStream get(String key) {
      java.io.InputStream whole = store.get(key);
      if (!breaks.test(key)) {
        return whole;
      }
      return new java.io.FilterInputStream(whole) {
        private int read;

        @Override
        public int read() throws java.io.IOException {
          return ++read > 8 ? brokeOff() : super.read();
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws java.io.IOException {
          if (read >= 8) {
            return brokeOff();
          }
          int n = super.read(buffer, offset, Math.min(length, 8 - read));
          read += Math.max(n, 0);
          return n;
        }

        private int brokeOff() throws java.io.IOException {
          throw new java.io.IOException("Connection reset");
        }
      };
    }

    @Override
    public dev.backstop.storage.StoredObject put(String key, long length, java.io.InputStream content, java.util.Map<String, String> metadata) {
      return store.put(key, length, content, metadata);
    }

    @Override
    public void delete(String key) {
      store.delete(key);
    }

    @Override
    public void close() {}
  }
}
