package dev.backstop.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What every {@link ObjectStore} does, as tests: extend it with a class that creates the store
 * (see {@code FileSystemObjectStoreTest}, {@code S3ObjectStoreOnS3ProxyTest}) and every adapter is
 * held to the same contract.
 *
 * <p>Published in this module's test-jar ({@code backstop-storage}, type {@code test-jar}); the
 * module that uses it brings JUnit 5 and AssertJ.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
public abstract class ObjectStoreContract {

  /**
   * How a store splits large objects into parts, which decides their ETag.
   *
   * @param threshold objects longer than this are written in parts
   * @param partSize the size of every part but the last
   */
  public record Parts(long threshold, long partSize) {}

  /** The store under test, new and empty for each test; closed after it. */
  protected ObjectStore store;

  /** A new, empty store. Called once before each test. */
  protected abstract ObjectStore createStore();

  /**
   * How the store splits objects into parts, with a small threshold so that tests can cross it;
   * empty when it writes every object whole (its ETag is then the hex MD5 at every size).
   */
  protected abstract Optional<Parts> parts();

  /**
   * A second store, new and empty, that {@link #store} copies from on the server side; empty when
   * the store does not copy by itself ({@link ObjectStore#copyFrom} then always answers empty).
   */
  protected Optional<ObjectStore> createCopySource() {
    return Optional.empty();
  }

  /** The secret the store was configured with, which must never show; empty if it has none. */
  protected Optional<String> secret() {
    return Optional.empty();
  }

  /** The size of the object the multipart tests write: above the threshold, three parts or so. */
  protected long multipartObjectSize() {
    return parts().map(p -> Math.max(p.threshold() + 1, 2 * p.partSize() + p.partSize() / 3)).orElse(12L << 20);
  }

  @BeforeEach
  void openStore() {
    store = createStore();
  }

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  // ------------------------------------------------------------------------------ round trips

  @Test
  void shouldReadBackAnEmptyObject() {
    assertRoundTrip("empty", new byte[0]);
  }

  @Test
  void shouldReadBackOneByte() {
    assertRoundTrip("one-byte", new byte[] {42});
  }

  @Test
  void shouldReadBackAFewMegabytes() {
    assertRoundTrip("dir/a-few-megabytes.bin", randomBytes(3 * 1024 * 1024 + 17, 1));
  }

  @Test
  void shouldReadBackAnObjectWrittenInParts() {
    assertRoundTrip("segments/large.bin", randomBytes(Math.toIntExact(multipartObjectSize()), 2));
  }

  @Test
  void shouldReturnTheObjectAsStored() {
    // given
    byte[] content = randomBytes(1000, 3);

    // when
    StoredObject stored = put("manifest.json", content, Map.of("cluster", "c1"));

    // then
    assertThat(stored.key()).isEqualTo("manifest.json");
    assertThat(stored.size()).isEqualTo(1000);
    assertThat(stored.metadata()).containsExactlyEntriesOf(Map.of("cluster", "c1"));
    assertThat(stored.lastModified()).isNotNull();
    assertThat(store.stat("manifest.json")).get().satisfies(found -> {
      assertThat(found.size()).isEqualTo(1000);
      assertThat(found.etag()).isEqualTo(stored.etag());
    });
  }

  // ---------------------------------------------------------------------------------- ETags

  @Test
  void shouldGiveTheHexMd5AsTheEtagOfAnObjectWrittenWhole() {
    // given
    byte[] content = randomBytes(64 * 1024, 4);

    // when
    StoredObject stored = put("whole", content, Map.of());

    // then
    assertThat(stored.etag()).isEqualTo(hex(md5(content)));
    assertThat(store.stat("whole")).get().extracting(StoredObject::etag).isEqualTo(stored.etag());
    assertThat(store.list("whole")).extracting(StoredObject::etag).containsExactly(stored.etag());
  }

  @Test
  void shouldGiveTheMultipartEtagOfAnObjectWrittenInParts() {
    // given
    byte[] content = randomBytes(Math.toIntExact(multipartObjectSize()), 5);

    // when
    StoredObject stored = put("parts", content, Map.of());

    // then
    assertThat(stored.etag()).isEqualTo(expectedEtag(content));
    assertThat(store.stat("parts")).get().extracting(StoredObject::etag).isEqualTo(stored.etag());
    assertThat(store.list("parts")).extracting(StoredObject::etag).containsExactly(stored.etag());
  }

  // --------------------------------------------------------------------------- absent objects

  @Test
  void shouldStatAnAbsentObjectAsEmpty() {
    assertThat(store.stat("absent")).isEmpty();
    assertThat(store.stat("no/such/dir/absent")).isEmpty();
  }

  @Test
  void shouldFailToGetAnAbsentObjectNamingStoreAndKey() {
    assertThatThrownBy(() -> store.get("no/such/object"))
        .isInstanceOf(ObjectNotFoundException.class)
        .hasMessageContaining("no/such/object")
        .hasMessageContaining(store.describe());
  }

  // --------------------------------------------------------------------------------- listing

  private static final List<String> SORTED_KEYS =
      List.of(
          "b",
          "backup-1",
          "backup-10",
          "backup-2",
          "backup/1/manifest.json",
          "backup/1/part-0",
          "backup/2/manifest.json",
          "backupz",
          "c/d/e/f");

  @Test
  void shouldListInAscendingKeyOrder() {
    // given
    List<String> shuffled = new ArrayList<>(SORTED_KEYS);
    Collections.shuffle(shuffled, new Random(6));
    shuffled.forEach(key -> put(key, key.getBytes(), Map.of()));

    // when
    List<StoredObject> listed = store.list("");

    // then
    assertThat(listed).extracting(StoredObject::key).containsExactlyElementsOf(SORTED_KEYS);
    assertThat(listed).allSatisfy(object -> {
      assertThat(object.size()).isEqualTo(object.key().length());
      assertThat(object.etag()).isEqualTo(hex(md5(object.key().getBytes())));
      assertThat(object.lastModified()).isNotNull();
    });
  }

  @Test
  void shouldListOnlyKeysStartingWithThePrefix() {
    // given
    SORTED_KEYS.forEach(key -> put(key, key.getBytes(), Map.of()));

    // then
    assertThat(keys(store.list("backup-1"))).containsExactly("backup-1", "backup-10");
    assertThat(keys(store.list("backup/"))).containsExactly("backup/1/manifest.json", "backup/1/part-0", "backup/2/manifest.json");
    assertThat(keys(store.list("backup/1/m"))).containsExactly("backup/1/manifest.json");
    assertThat(keys(store.list("backup"))).hasSize(7);
    assertThat(keys(store.list("c/d/"))).containsExactly("c/d/e/f");
    assertThat(keys(store.list("nothing"))).isEmpty();
    assertThat(keys(store.list("c/d/e/f/g"))).isEmpty();
  }

  @Test
  void shouldListMoreObjectsThanFitInOnePage() throws Exception {
    // given: S3 answers at most 1000 keys per request
    int count = 1_100;
    putConcurrently(IntStream.range(0, count).mapToObj("many/%05d"::formatted).toList(), 8);
    put("other", new byte[1], Map.of());

    // when
    List<StoredObject> listed = store.list("many/");

    // then
    assertThat(keys(listed))
        .hasSize(count)
        .containsExactlyElementsOf(IntStream.range(0, count).mapToObj("many/%05d"::formatted).toList());
  }

  // -------------------------------------------------------------------------------- metadata

  @Test
  void shouldKeepUserMetadata() {
    // given
    Map<String, String> metadata = Map.of("cluster", "prod-eu", "backup-id", "42", "empty", "");

    // when
    put("with-metadata", new byte[] {1, 2, 3}, metadata);

    // then
    assertThat(store.stat("with-metadata")).get().extracting(StoredObject::metadata).isEqualTo(metadata);
    assertThat(store.list("with-metadata")).singleElement().extracting(StoredObject::metadata).isEqualTo(Map.of());
  }

  @Test
  void shouldReplaceContentAndMetadataOnOverwrite() {
    // given
    put("key", randomBytes(5000, 7), Map.of("version", "1", "only-in-first", "x"));
    byte[] second = randomBytes(300, 8);

    // when
    StoredObject stored = put("key", second, Map.of("version", "2"));

    // then
    assertThat(read("key")).isEqualTo(second);
    assertThat(store.stat("key")).get().satisfies(found -> {
      assertThat(found.size()).isEqualTo(300);
      assertThat(found.etag()).isEqualTo(stored.etag()).isEqualTo(hex(md5(second)));
      assertThat(found.metadata()).isEqualTo(Map.of("version", "2"));
    });
    assertThat(keys(store.list(""))).containsExactly("key");
  }

  // ---------------------------------------------------------------------------------- delete

  @Test
  void shouldDeleteIdempotently() {
    // given
    put("dir/sub/doomed", new byte[] {1}, Map.of());
    put("dir/kept", new byte[] {2}, Map.of());

    // when
    store.delete("dir/sub/doomed");
    store.delete("dir/sub/doomed");
    store.delete("never/existed");

    // then
    assertThat(store.stat("dir/sub/doomed")).isEmpty();
    assertThat(keys(store.list(""))).containsExactly("dir/kept");
    assertThatThrownBy(() -> store.get("dir/sub/doomed")).isInstanceOf(ObjectNotFoundException.class);
  }

  // -------------------------------------------------------------------------- failed puts

  @Test
  void shouldLeaveNoObjectWhenTheStreamIsShorterThanTheLength() {
    assertThatThrownBy(() -> store.put("short", 100, new ByteArrayInputStream(new byte[50]), Map.of()))
        .isInstanceOf(ObjectStoreException.class)
        .hasMessageContaining("short")
        .hasMessageContaining(store.describe());

    assertThat(store.stat("short")).isEmpty();
    assertThat(store.list("")).isEmpty();
  }

  @Test
  void shouldLeaveNoObjectWhenTheStreamOfALargeObjectEndsInItsLastPart() {
    int length = Math.toIntExact(multipartObjectSize());
    byte[] almost = randomBytes(length - 10, 9);

    assertThatThrownBy(() -> store.put("large-short", length, new ByteArrayInputStream(almost), Map.of()))
        .isInstanceOf(ObjectStoreException.class)
        .hasMessageContaining("large-short");

    assertThat(store.stat("large-short")).isEmpty();
    assertThat(store.list("")).isEmpty();
  }

  @Test
  void shouldLeaveNoObjectWhenReadingTheStreamFails() {
    InputStream failing =
        new InputStream() {
          private int left = 1000;

          @Override
          public int read() throws IOException {
            if (left-- <= 0) {
              throw new IOException("disk gone");
            }
            return 7;
          }
        };

    assertThatThrownBy(() -> store.put("failing", 5000, failing, Map.of()))
        .isInstanceOf(ObjectStoreException.class)
        .hasMessageContaining("failing");

    assertThat(store.stat("failing")).isEmpty();
  }

  @Test
  void shouldKeepThePreviousObjectWhenAnOverwriteFails() {
    // given
    byte[] first = randomBytes(2000, 10);
    StoredObject stored = put("kept", first, Map.of("version", "1"));

    // when
    assertThatThrownBy(() -> store.put("kept", 4000, new ByteArrayInputStream(new byte[10]), Map.of("version", "2")))
        .isInstanceOf(ObjectStoreException.class);

    // then
    assertThat(read("kept")).isEqualTo(first);
    assertThat(store.stat("kept")).get().satisfies(found -> {
      assertThat(found.etag()).isEqualTo(stored.etag());
      assertThat(found.metadata()).isEqualTo(Map.of("version", "1"));
    });
  }

  // ----------------------------------------------------------------------------- concurrency

  @Test
  void shouldPutFromManyThreadsAtOnce() throws Exception {
    // given
    List<String> keys = IntStream.range(0, 48).mapToObj("concurrent/%02d"::formatted).toList();

    // when
    putConcurrently(keys, 16);

    // then
    assertThat(keys(store.list("concurrent/"))).containsExactlyElementsOf(keys);
    for (String key : keys) {
      assertThat(read(key)).isEqualTo(contentOf(key));
    }
  }

  @Test
  void shouldEndWithOneWholeObjectWhenManyThreadsWriteTheSameKey() throws Exception {
    // given
    List<byte[]> versions = IntStream.range(0, 12).mapToObj(i -> randomBytes(40_000 + i, 100 + i)).toList();

    // when
    try (ExecutorService threads = Executors.newFixedThreadPool(12)) {
      List<Future<StoredObject>> puts = new ArrayList<>();
      for (byte[] version : versions) {
        puts.add(threads.submit(() -> put("contended", version, Map.of())));
      }
      for (Future<StoredObject> put : puts) {
        put.get(2, TimeUnit.MINUTES);
      }
    }

    // then
    byte[] content = read("contended");
    assertThat(versions).anySatisfy(version -> assertThat(version).isEqualTo(content));
    assertThat(store.stat("contended")).get().extracting(StoredObject::etag).isEqualTo(hex(md5(content)));
  }

  // ------------------------------------------------------------------------------------ copy

  @Test
  void shouldCopyFromAStoreOfTheSameAccountOnTheServer() {
    Optional<ObjectStore> maybeSource = createCopySource();
    if (maybeSource.isEmpty()) {
      try (ObjectStore other = createStore()) {
        other.put("copied", 1, new ByteArrayInputStream(new byte[] {1}), Map.of());
        assertThat(store.copyFrom(other, "copied", Map.of())).as("a store that does not copy by itself").isEmpty();
      }
      return;
    }
    try (ObjectStore source = maybeSource.get()) {
      // given
      byte[] content = randomBytes(200_000, 11);
      StoredObject original =
          source.put("backup/7/manifest.json", content.length, new ByteArrayInputStream(content), Map.of("from", "a"));

      // when
      Optional<StoredObject> copy = store.copyFrom(source, "backup/7/manifest.json", Map.of("replicated", "yes"));

      // then
      assertThat(copy).get().satisfies(copied -> {
        assertThat(copied.key()).isEqualTo("backup/7/manifest.json");
        assertThat(copied.size()).isEqualTo(content.length);
        assertThat(copied.etag()).isEqualTo(original.etag());
        assertThat(copied.metadata()).isEqualTo(Map.of("replicated", "yes"));
      });
      assertThat(read("backup/7/manifest.json")).isEqualTo(content);
      assertThat(store.stat("backup/7/manifest.json")).get().extracting(StoredObject::metadata)
          .isEqualTo(Map.of("replicated", "yes"));
      assertThatThrownBy(() -> store.copyFrom(source, "backup/8/absent", Map.of()))
          .isInstanceOf(ObjectNotFoundException.class)
          .hasMessageContaining("backup/8/absent");
    }
  }

  @Test
  void shouldNotCopyFromAStoreOfAnotherKind() {
    try (ObjectStore foreign = new InMemoryObjectStore()) {
      foreign.put("x", 1, new ByteArrayInputStream(new byte[] {1}), Map.of());
      assertThat(store.copyFrom(foreign, "x", Map.of())).isEmpty();
    }
  }

  // --------------------------------------------------------------------------------- secrets

  @Test
  void shouldNeverShowTheSecret() {
    Optional<String> secret = secret();
    assertThat(store.describe()).isNotBlank();
    secret.ifPresent(s -> {
      assertThat(store.describe()).doesNotContain(s);
      assertThat(store.toString()).doesNotContain(s);
      assertThatThrownBy(() -> store.get("absent")).message().doesNotContain(s);
      assertThatThrownBy(() -> store.put("short", 10, new ByteArrayInputStream(new byte[1]), Map.of()))
          .message()
          .doesNotContain(s);
    });
  }

  // ---------------------------------------------------------------------------------- helpers

  /** Puts {@code content} and checks that it reads back whole, with its size and ETag. */
  protected void assertRoundTrip(String key, byte[] content) {
    StoredObject stored = put(key, content, Map.of());

    assertThat(read(key)).isEqualTo(content);
    assertThat(stored.size()).isEqualTo(content.length);
    assertThat(stored.etag()).isEqualTo(expectedEtag(content));
    assertThat(store.stat(key)).get().extracting(StoredObject::size).isEqualTo((long) content.length);
  }

  protected StoredObject put(String key, byte[] content, Map<String, String> metadata) {
    return store.put(key, content.length, new ByteArrayInputStream(content), metadata);
  }

  protected byte[] read(String key) {
    try (InputStream in = store.get(key)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The ETag the rule on {@link StoredObject} gives {@code content} as {@link #parts()} splits it. */
  protected String expectedEtag(byte[] content) {
    Optional<Parts> split = parts().filter(p -> content.length > p.threshold());
    if (split.isEmpty()) {
      return hex(md5(content));
    }
    int partSize = Math.toIntExact(split.get().partSize());
    MessageDigest ofParts = newMd5();
    int count = 0;
    for (int offset = 0; offset < content.length; offset += partSize) {
      ofParts.update(md5(Arrays.copyOfRange(content, offset, Math.min(content.length, offset + partSize))));
      count++;
    }
    return hex(ofParts.digest()) + "-" + count;
  }

  private void putConcurrently(List<String> keys, int threadCount) throws Exception {
    try (ExecutorService threads = Executors.newFixedThreadPool(threadCount)) {
      List<Future<StoredObject>> puts = new ArrayList<>();
      for (String key : keys) {
        puts.add(threads.submit(() -> put(key, contentOf(key), Map.of("key", key))));
      }
      for (Future<StoredObject> put : puts) {
        put.get(2, TimeUnit.MINUTES);
      }
    }
  }

  private static byte[] contentOf(String key) {
    return randomBytes(100 + Math.floorMod(key.hashCode(), 5000), key.hashCode());
  }

  protected static byte[] randomBytes(int length, long seed) {
    byte[] bytes = new byte[length];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  private static List<String> keys(List<StoredObject> objects) {
    return objects.stream().map(StoredObject::key).toList();
  }

  protected static byte[] md5(byte[] content) {
    return newMd5().digest(content);
  }

  protected static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  private static MessageDigest newMd5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
