package dev.backstop.storage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * An {@link ObjectStore} in memory, for unit tests of code that uses one (it passes {@link
 * ObjectStoreContract}). Objects are written whole: the ETag is always the hex MD5. Keys sort by
 * UTF-16 code units, which equals S3's order for keys without characters above U+FFFF.
 */
public final class InMemoryObjectStore implements ObjectStore {

  private record Entry(byte[] content, StoredObject object) {}

  private final ConcurrentSkipListMap<String, Entry> objects = new ConcurrentSkipListMap<>();
  private final Clock clock;

  public InMemoryObjectStore() {
    this(Clock.systemUTC());
  }

  public InMemoryObjectStore(Clock clock) {
    this.clock = clock;
  }

  @Override
  public String describe() {
    return "memory " + Integer.toHexString(System.identityHashCode(this));
  }

  @Override
  public List<StoredObject> list(String prefix) {
    return objects.tailMap(prefix).entrySet().stream()
        .takeWhile(e -> e.getKey().startsWith(prefix))
        .map(e -> new StoredObject(e.getKey(), e.getValue().object().size(), e.getValue().object().etag(),
            e.getValue().object().lastModified(), Map.of()))
        .toList();
  }

  @Override
  public Optional<StoredObject> stat(String key) {
    return Optional.ofNullable(objects.get(key)).map(Entry::object);
  }

  @Override
  public InputStream get(String key) {
    Entry entry = objects.get(key);
    if (entry == null) {
      throw new ObjectNotFoundException(describe(), key);
    }
    return new ByteArrayInputStream(entry.content());
  }

  @Override
  public StoredObject put(String key, long length, InputStream content, Map<String, String> metadata) {
    byte[] bytes;
    try {
      bytes = content.readNBytes(Math.toIntExact(length));
    } catch (IOException e) {
      throw new ObjectStoreException("Could not put " + key + " in " + describe() + ": " + e.getMessage(), e);
    }
    if (bytes.length < length) {
      throw new ObjectStoreException(
          "Could not put %s in %s: the stream ended after %d of %d bytes".formatted(key, describe(), bytes.length, length));
    }
    StoredObject object = new StoredObject(key, length, hexMd5(bytes), clock.instant(), metadata);
    objects.put(key, new Entry(bytes, object));
    return object;
  }

  @Override
  public void delete(String key) {
    objects.remove(key);
  }

  @Override
  public void close() {}

  private static String hexMd5(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
