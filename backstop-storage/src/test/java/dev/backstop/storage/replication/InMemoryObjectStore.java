package dev.backstop.storage.replication;

import dev.backstop.storage.ObjectNotFoundException;
import dev.backstop.storage.ObjectStore;
import dev.backstop.storage.ObjectStoreException;
import dev.backstop.storage.StoredObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An object store in memory for the replication's unit tests: records every write in order, and
 * can be told to fail writes of some keys, or to serve other bytes than it holds (a corrupted read).
 */
final class InMemoryObjectStore implements ObjectStore {

  private record Entry(byte[] content, StoredObject object) {}

  private final String name;
  private final TreeMap<String, Entry> objects = new TreeMap<>();
  private final List<String> writes = new ArrayList<>();
  private final Set<String> failingWrites = ConcurrentHashMap.newKeySet();
  private final Set<String> corruptReads = ConcurrentHashMap.newKeySet();

  InMemoryObjectStore(String name) {
    this.name = name;
  }

  @Override
  public String describe() {
    return "memory " + name;
  }

  @Override
  public synchronized List<StoredObject> list(String prefix) {
    return objects.tailMap(prefix, true).values().stream()
        .map(Entry::object)
        .takeWhile(o -> o.key().startsWith(prefix))
        .map(o -> new StoredObject(o.key(), o.size(), o.etag(), o.lastModified(), Map.of()))
        .toList();
  }

  @Override
  public synchronized Optional<StoredObject> stat(String key) {
    return Optional.ofNullable(objects.get(key)).map(Entry::object);
  }

  @Override
  public synchronized InputStream get(String key) {
    Entry entry = objects.get(key);
    if (entry == null) {
      throw new ObjectNotFoundException(describe(), key);
    }
    byte[] content = entry.content().clone();
    if (corruptReads.contains(key) && content.length > 0) {
      content[0] ^= 1;
    }
    return new ByteArrayInputStream(content);
  }

  @Override
  public StoredObject put(String key, long length, InputStream content, Map<String, String> metadata) {
    byte[] bytes;
    try {
      bytes = content.readNBytes((int) length);
    } catch (IOException e) {
      throw new ObjectStoreException("reading the content of " + key + " failed", e);
    }
    if (bytes.length != length) {
      throw new ObjectStoreException("short content for " + key + ": " + bytes.length + " of " + length + " bytes");
    }
    synchronized (this) {
      if (failingWrites.contains(key)) {
        throw new ObjectStoreException("write of " + key + " refused (as told) by " + describe());
      }
      StoredObject object = new StoredObject(key, length, md5(bytes), Instant.now(), metadata);
      objects.put(key, new Entry(bytes, object));
      writes.add(key);
      return object;
    }
  }

  @Override
  public synchronized void delete(String key) {
    objects.remove(key);
  }

  @Override
  public void close() {}

  // ------------------------------------------------------------------------------- for tests

  void put(String key, String content) {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    put(key, bytes.length, new ByteArrayInputStream(bytes), Map.of());
  }

  synchronized void putBytes(String key, byte[] bytes) {
    put(key, bytes.length, new ByteArrayInputStream(bytes), Map.of());
  }

  synchronized String read(String key) {
    return new String(objects.get(key).content(), StandardCharsets.UTF_8);
  }

  synchronized byte[] bytes(String key) {
    return objects.get(key).content().clone();
  }

  synchronized Set<String> keys() {
    return Set.copyOf(objects.keySet());
  }

  synchronized List<String> writes() {
    return List.copyOf(writes);
  }

  synchronized void forgetWrites() {
    writes.clear();
  }

  void failWritesOf(String key) {
    failingWrites.add(key);
  }

  void allowWrites() {
    failingWrites.clear();
  }

  void corruptReadsOf(String key) {
    corruptReads.add(key);
  }

  static String md5(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
