package dev.backstop.storage.replication;

import dev.backstop.storage.InMemoryObjectStore;
import dev.backstop.storage.ObjectStore;
import dev.backstop.storage.ObjectStoreException;
import dev.backstop.storage.StoredObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * An in-memory store for the replication's unit tests that records every write in order, and can
 * be told to refuse writes of some keys or to serve other bytes than it holds (a corrupted read).
 */
final class ScriptedObjectStore implements ObjectStore {

  private final String name;
  private final InMemoryObjectStore objects = new InMemoryObjectStore();
  private final List<String> writes = new ArrayList<>();
  private final Set<String> failingWrites = ConcurrentHashMap.newKeySet();
  private final Set<String> corruptReads = ConcurrentHashMap.newKeySet();

  ScriptedObjectStore(String name) {
    this.name = name;
  }

  @Override
  public String describe() {
    return "memory " + name;
  }

  @Override
  public List<StoredObject> list(String prefix) {
    return objects.list(prefix);
  }

  @Override
  public Optional<StoredObject> stat(String key) {
    return objects.stat(key);
  }

  @Override
  public InputStream get(String key) {
    byte[] content = readAll(objects.get(key));
    if (corruptReads.contains(key) && content.length > 0) {
      content[0] ^= 1;
    }
    return new ByteArrayInputStream(content);
  }

  @Override
  public StoredObject put(String key, long length, InputStream content, Map<String, String> metadata) {
    if (failingWrites.contains(key)) {
      throw new ObjectStoreException("write of " + key + " refused (as told) by " + describe());
    }
    StoredObject stored = objects.put(key, length, content, metadata);
    synchronized (writes) {
      writes.add(key);
    }
    return stored;
  }

  @Override
  public void delete(String key) {
    objects.delete(key);
  }

  @Override
  public void close() {}

  // ------------------------------------------------------------------------------- for tests

  void put(String key, String content) {
    putBytes(key, content.getBytes(StandardCharsets.UTF_8));
  }

  void putBytes(String key, byte[] bytes) {
    put(key, bytes.length, new ByteArrayInputStream(bytes), Map.of());
  }

  String read(String key) {
    return new String(bytes(key), StandardCharsets.UTF_8);
  }

  byte[] bytes(String key) {
    return readAll(objects.get(key));
  }

  Set<String> keys() {
    return objects.list("").stream().map(StoredObject::key).collect(Collectors.toSet());
  }

  List<String> writes() {
    synchronized (writes) {
      return List.copyOf(writes);
    }
  }

  void forgetWrites() {
    synchronized (writes) {
      writes.clear();
    }
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

  private static byte[] readAll(InputStream in) {
    try (in) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
