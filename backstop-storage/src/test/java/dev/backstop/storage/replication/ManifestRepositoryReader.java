package dev.backstop.storage.replication;

import dev.backstop.storage.ObjectStore;
import dev.backstop.storage.replication.RepositoryGeneration.Stage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A stand-in for the search repository's format in the mirror's unit tests: {@code index.latest}
 * holds the generation as 8 bytes like the real one, and {@code index-N} is a text manifest, one
 * line per snapshot ({@code SNAPSHOT name}) and per referenced key ({@code STAGE key}). The real
 * format's reader is tested against files OpenSearch wrote.
 */
final class ManifestRepositoryReader implements RepositoryReader {

  @Override
  public long generation(ObjectStore store, String basePath) {
    String latest = basePath + "/index.latest";
    if (store.stat(latest).isEmpty()) {
      return -1;
    }
    try (InputStream in = store.get(latest)) {
      return ByteBuffer.wrap(in.readAllBytes()).getLong();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public RepositoryGeneration read(ObjectStore store, String basePath) {
    String prefix = basePath + "/";
    long generation = generation(store, basePath);
    if (generation < 0) {
      return new RepositoryGeneration(-1, List.of(), Map.of());
    }
    String manifest;
    try (InputStream in = store.get(prefix + "index-" + generation)) {
      manifest = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> snapshots = new ArrayList<>();
    Map<Stage, Set<String>> keys = new EnumMap<>(Stage.class);
    for (String line : manifest.split("\n")) {
      String[] parts = line.split(" ", 2);
      if (parts[0].equals("SNAPSHOT")) {
        snapshots.add(parts[1]);
      } else if (!line.isBlank()) {
        keys.computeIfAbsent(Stage.valueOf(parts[0]), s -> new HashSet<>()).add(prefix + parts[1]);
      }
    }
    keys.computeIfAbsent(Stage.ROOT_INDEX, s -> new HashSet<>()).add(prefix + "index-" + generation);
    keys.computeIfAbsent(Stage.LATEST, s -> new HashSet<>()).add(prefix + "index.latest");
    return new RepositoryGeneration(generation, snapshots, keys);
  }

  /** Writes a generation the way a search engine does: data first, the root index, then the pointer. */
  static void writeGeneration(ScriptedObjectStore store, String basePath, long generation, Map<String, List<String>> snapshotsAndTheirFiles) {
    StringBuilder manifest = new StringBuilder();
    for (Map.Entry<String, List<String>> snapshot : snapshotsAndTheirFiles.entrySet()) {
      manifest.append("SNAPSHOT ").append(snapshot.getKey()).append('\n');
      for (String file : snapshot.getValue()) {
        String key = basePath + "/" + file;
        if (store.stat(key).isEmpty()) {
          store.put(key, "content of " + file);
        }
        manifest.append(stageOf(file)).append(' ').append(file).append('\n');
      }
    }
    store.put(basePath + "/index-" + generation, manifest.toString());
    store.putBytes(basePath + "/index.latest", ByteBuffer.allocate(8).putLong(generation).array());
  }

  static Stage stageOf(String file) {
    if (file.contains("/__")) {
      return Stage.DATA;
    }
    if (file.startsWith("indices/") && file.split("/").length == 4) {
      return Stage.SHARD;
    }
    if (file.startsWith("indices/")) {
      return Stage.INDEX;
    }
    return Stage.ROOT;
  }
}
