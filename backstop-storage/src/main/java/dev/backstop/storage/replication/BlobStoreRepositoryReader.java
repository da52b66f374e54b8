package dev.backstop.storage.replication;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.smile.databind.SmileMapper;
import dev.backstop.storage.ObjectNotFoundException;
import dev.backstop.storage.ObjectStore;
import dev.backstop.storage.ObjectStoreException;
import dev.backstop.storage.StoredObject;
import dev.backstop.storage.replication.RepositoryGeneration.Stage;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.zip.CRC32;
import java.util.zip.InflaterInputStream;
import java.util.zip.Inflater;

/**
 * Reads the committed generation of an OpenSearch (or Elasticsearch) snapshot repository, the
 * "blob store repository" format, and names every file it references:
 *
 * <ul>
 *   <li>{@code index.latest}: the generation N, 8 bytes big-endian; {@code index-N}: the
 *       repository data, plain JSON — its snapshots (name, uuid, state, which index metadata blob
 *       each uses), its indices (id, the snapshots holding them, one shard generation per shard)
 *       and the index metadata identifiers.
 *   <li>per snapshot: {@code snap-<uuid>.dat} and {@code meta-<uuid>.dat} at the root;
 *       per index: {@code indices/<id>/meta-<blob>.dat};
 *   <li>per shard: the shard generation {@code indices/<id>/<shard>/index-<gen>}, and per snapshot
 *       holding the index {@code indices/<id>/<shard>/snap-<uuid>.dat}, which lists the shard's
 *       data blobs ({@code __<name>}, stored as {@code __<name>.part<i>} when split into parts;
 *       {@code v__} blobs are virtual, held inside the metadata, and have no file).
 * </ul>
 *
 * <p>Where a shard's folder is depends on the index's {@code shard_path_type}: under the base path
 * ({@code FIXED}, 0), or behind a hash placed before the base path ({@code HASHED_PREFIX}, 1 — what
 * OpenSearch 3.1 wrote on the test bed) or after it ({@code HASHED_INFIX}, 2); such indices also
 * have a {@code snapshot_shard_paths/<id>.…} file that says so. Rather than recompute OpenSearch's
 * hash, the reader finds each shard's folder in a listing of the whole bucket: index ids are
 * random, so {@code indices/<id>/<shard>/} names one folder of this repository.
 *
 * <p>The {@code .dat} files are Lucene-framed ({@code CodecUtil} header, x-content in SMILE,
 * optionally DEFLATE-compressed, then a footer with a CRC32 of all before it, all checked). A file
 * that does not read as expected throws {@link IllegalStateException}: nothing may be removed on
 * the strength of a misread.
 */
final class BlobStoreRepositoryReader implements RepositoryReader {

  private static final int CODEC_MAGIC = 0x3fd76c17;
  private static final int FOOTER_MAGIC = ~CODEC_MAGIC;
  private static final int FOOTER_LENGTH = 16;
  private static final byte[] DEFLATE_HEADER = {'D', 'F', 'L', 0};
  private static final Pattern ROOT_INDEX = Pattern.compile("index-(\\d+)");
  private static final int SUCCESS = 1;

  private final ObjectMapper json = new ObjectMapper();
  private final ObjectMapper smile = new SmileMapper();

  @Override
  public RepositoryGeneration read(ObjectStore store, String basePath) {
    String prefix = basePath.isEmpty() ? "" : basePath + "/";
    long generation = generation(store, basePath);
    if (generation < 0) {
      return new RepositoryGeneration(-1, List.of(), Map.of());
    }
    JsonNode data = parseJson(store, prefix + "index-" + generation);
    Map<String, String> shardFolders = shardFolders(store.list(""), basePath);
    Set<String> shardPathFiles =
        store.list(prefix + "snapshot_shard_paths/").stream().map(StoredObject::key).collect(Collectors.toSet());

    Map<Stage, Set<String>> keys = new EnumMap<>(Stage.class);
    for (Stage stage : Stage.values()) {
      keys.put(stage, new HashSet<>());
    }
    keys.get(Stage.ROOT_INDEX).add(prefix + "index-" + generation);
    keys.get(Stage.LATEST).add(prefix + "index.latest");

    List<String> names = new ArrayList<>();
    Map<String, Integer> states = new java.util.HashMap<>();
    JsonNode identifiers = data.path("index_metadata_identifiers");
    for (JsonNode snapshot : data.path("snapshots")) {
      String uuid = required(snapshot, "uuid", prefix + "index-" + generation);
      names.add(required(snapshot, "name", prefix + "index-" + generation));
      states.put(uuid, snapshot.path("state").asInt(SUCCESS));
      keys.get(Stage.ROOT).add(prefix + "snap-" + uuid + ".dat");
      keys.get(Stage.ROOT).add(prefix + "meta-" + uuid + ".dat");
      for (Iterator<Map.Entry<String, JsonNode>> it = snapshot.path("index_metadata_lookup").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> lookup = it.next();
        JsonNode blob = identifiers.get(lookup.getValue().asText());
        if (blob == null) {
          throw new IllegalStateException(prefix + "index-" + generation + ": no index metadata identifier " + lookup.getValue().asText());
        }
        keys.get(Stage.INDEX).add(prefix + "indices/" + lookup.getKey() + "/meta-" + blob.asText() + ".dat");
      }
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = data.path("indices").fields(); it.hasNext(); ) {
      JsonNode index = it.next().getValue();
      String indexId = required(index, "id", prefix + "index-" + generation);
      String indexPrefix = prefix + "indices/" + indexId + "/";
      if (identifiers.isMissingNode()) {
        // Repositories written before index metadata was deduplicated: one blob per snapshot.
        index.path("snapshots").forEach(uuid -> keys.get(Stage.INDEX).add(indexPrefix + "meta-" + uuid.asText() + ".dat"));
      }
      JsonNode shardGenerations = index.path("shard_generations");
      if (!shardGenerations.isArray()) {
        throw new IllegalStateException(prefix + "index-" + generation + ": index " + indexId + " has no shard_generations (repository format too old)");
      }
      shardPathFiles.stream()
          .filter(key -> key.substring(key.lastIndexOf('/') + 1).startsWith(indexId + "."))
          .forEach(keys.get(Stage.INDEX)::add);
      for (int shard = 0; shard < shardGenerations.size(); shard++) {
        String shardPrefix = shardFolders.get(indexId + "/" + shard);
        if (shardPrefix == null) {
          if (index.path("snapshots").isEmpty()) {
            continue;
          }
          throw new IllegalStateException(
              "Generation " + generation + " in " + store.describe() + " lists shard " + shard + " of index " + indexId
                  + ", whose folder (indices/" + indexId + "/" + shard + "/) is nowhere in the bucket");
        }
        String shardGeneration = shardGenerations.get(shard).asText(null);
        if (shardGeneration != null && !shardGeneration.startsWith("_")) {
          keys.get(Stage.SHARD).add(shardPrefix + "index-" + shardGeneration);
        }
        for (JsonNode uuidNode : index.path("snapshots")) {
          String uuid = uuidNode.asText();
          String shardSnapshot = shardPrefix + "snap-" + uuid + ".dat";
          if (!shardFolders.containsKey(shardSnapshot)) {
            if (states.getOrDefault(uuid, SUCCESS) == SUCCESS) {
              throw new IllegalStateException(
                  "Snapshot " + uuid + " of generation " + generation + " in " + store.describe() + " lacks " + shardSnapshot);
            }
            continue; // a partial snapshot's failed shard
          }
          keys.get(Stage.SHARD).add(shardSnapshot);
          for (JsonNode file : parseFramed(store, shardSnapshot).path("files")) {
            keys.get(Stage.DATA).addAll(blobsOf(file, shardPrefix, shardSnapshot));
          }
        }
      }
    }
    return new RepositoryGeneration(generation, names, keys);
  }

  /** OpenSearch's snapshot states, by the byte its repository data stores. */
  private static final List<String> SNAPSHOT_STATES = List.of("IN_PROGRESS", "SUCCESS", "FAILED", "PARTIAL", "INCOMPATIBLE");

  /**
   * Checks the snapshots of one backup in the committed generation of the repository, without
   * restoring them: each SUCCESS, its root and index metadata present, and in each shard of each
   * index it holds, the shard's snapshot file present and every data blob it lists present at the
   * length it records (a blob split into parts: each part at its share of it).
   *
   * @param ofBackup which snapshot names belong to the backup
   * @return what is missing or wrong, each naming the snapshot or the object; one problem when the
   *     repository lists no snapshot of the backup
   * @throws ObjectStoreException when the store could not be read
   */
  List<String> checkSnapshots(ObjectStore store, String basePath, java.util.function.Predicate<String> ofBackup) {
    String prefix = basePath.isEmpty() ? "" : basePath + "/";
    long generation = generation(store, basePath);
    if (generation < 0) {
      return List.of("the search repository under '" + prefix + "' holds nothing");
    }
    String rootIndex = prefix + "index-" + generation;
    JsonNode data = parseJson(store, rootIndex);
    List<StoredObject> bucket = store.list("");
    Map<String, Long> sizes = new java.util.HashMap<>();
    bucket.forEach(object -> sizes.put(object.key(), object.size()));
    Map<String, String> shardFolders = shardFolders(bucket, basePath);
    List<String> problems = new ArrayList<>();
    JsonNode identifiers = data.path("index_metadata_identifiers");
    List<String> selected = new ArrayList<>();
    for (JsonNode snapshot : data.path("snapshots")) {
      String name = required(snapshot, "name", rootIndex);
      if (!ofBackup.test(name)) {
        continue;
      }
      String uuid = required(snapshot, "uuid", rootIndex);
      selected.add(uuid);
      int state = snapshot.path("state").asInt(SUCCESS);
      if (state != SUCCESS) {
        problems.add("snapshot " + name + " is " + (state >= 0 && state < SNAPSHOT_STATES.size() ? SNAPSHOT_STATES.get(state) : "in state " + state));
      }
      for (String key : List.of(prefix + "snap-" + uuid + ".dat", prefix + "meta-" + uuid + ".dat")) {
        requirePresent(sizes, key, "snapshot " + name, problems);
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = snapshot.path("index_metadata_lookup").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> lookup = it.next();
        JsonNode blob = identifiers.get(lookup.getValue().asText());
        if (blob != null) {
          requirePresent(sizes, prefix + "indices/" + lookup.getKey() + "/meta-" + blob.asText() + ".dat", "snapshot " + name, problems);
        }
      }
    }
    if (selected.isEmpty()) {
      return List.of("generation " + generation + " of the search repository under '" + prefix + "' lists no snapshot of the backup");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = data.path("indices").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      JsonNode index = entry.getValue();
      String indexId = required(index, "id", rootIndex);
      List<String> holding = new ArrayList<>();
      index.path("snapshots").forEach(uuid -> {
        if (selected.contains(uuid.asText())) {
          holding.add(uuid.asText());
        }
      });
      int shards = index.path("shard_generations").size();
      for (String uuid : holding) {
        for (int shard = 0; shard < shards; shard++) {
          String shardPrefix = shardFolders.get(indexId + "/" + shard);
          String shardSnapshot = (shardPrefix == null ? prefix + "indices/" + indexId + "/" + shard + "/" : shardPrefix) + "snap-" + uuid + ".dat";
          if (shardPrefix == null || !sizes.containsKey(shardSnapshot)) {
            problems.add(shardSnapshot + " (shard " + shard + " of index " + entry.getKey() + ") is missing");
            continue;
          }
          JsonNode files;
          try {
            files = parseFramed(store, shardSnapshot).path("files");
          } catch (IllegalStateException unreadable) {
            problems.add(unreadable.getMessage());
            continue;
          }
          for (JsonNode file : files) {
            blobSizes(file, shardPrefix, shardSnapshot).forEach((key, expected) -> {
              Long found = sizes.get(key);
              if (found == null) {
                problems.add(key + " is missing (" + expected + " bytes expected)");
              } else if (found != expected.longValue()) {
                problems.add(key + " is " + found + " bytes, " + expected + " expected");
              }
            });
          }
        }
      }
    }
    return problems;
  }

  private static void requirePresent(Map<String, Long> sizes, String key, String of, List<String> problems) {
    if (!sizes.containsKey(key)) {
      problems.add(key + " (" + of + ") is missing");
    }
  }

  /** The stored objects of one file's data and the size each must have; none for a virtual blob. */
  private static Map<String, Long> blobSizes(JsonNode file, String shardPrefix, String source) {
    List<String> keys = blobsOf(file, shardPrefix, source);
    long length = file.path("length").asLong(-1);
    long partSize = file.path("part_size").asLong(0);
    Map<String, Long> sizes = new java.util.LinkedHashMap<>();
    for (int part = 0; part < keys.size(); part++) {
      sizes.put(keys.get(part), keys.size() == 1 ? length : Math.min(partSize, length - part * partSize));
    }
    return sizes;
  }

  /**
   * From a listing of the whole bucket: {@code "<indexId>/<shard>"} → the folder that holds that
   * shard's files ({@code …indices/<indexId>/<shard>/}), and every file in such a folder → itself.
   */
  static Map<String, String> shardFolders(List<StoredObject> bucket, String basePath) {
    Pattern shardFile = Pattern.compile("^(.*?)indices/([^/]+)/(\\d+)/[^/]+$");
    Map<String, String> folders = new java.util.HashMap<>();
    for (StoredObject object : bucket) {
      Matcher m = shardFile.matcher(object.key());
      if (m.matches() && ownedBy(m.group(1), basePath)) {
        String folder = m.group(1) + "indices/" + m.group(2) + "/" + m.group(3) + "/";
        folders.put(m.group(2) + "/" + m.group(3), folder);
        folders.put(object.key(), object.key());
      }
    }
    return folders;
  }

  /**
   * Whether what precedes {@code indices/} in a key is this repository's: its base path, with a
   * hash before it ({@code HASHED_PREFIX}) or after it ({@code HASHED_INFIX}).
   */
  static boolean ownedBy(String beforeIndices, String basePath) {
    if (basePath.isEmpty()) {
      return beforeIndices.isEmpty() || beforeIndices.matches("[^/]+/");
    }
    return beforeIndices.equals(basePath + "/")
        || beforeIndices.matches("[^/]+/" + Pattern.quote(basePath) + "/")
        || beforeIndices.matches(Pattern.quote(basePath) + "/[^/]+/");
  }

  /** Whether a key belongs to the repository at {@code basePath}: under it, or a shard file of its. */
  static boolean belongsTo(String key, String basePath) {
    if (!basePath.isEmpty() && key.startsWith(basePath + "/")) {
      return true;
    }
    int indices = key.indexOf("indices/");
    return indices >= 0 && key.indexOf('/', indices + "indices/".length()) > 0 && ownedBy(key.substring(0, indices), basePath);
  }

  @Override
  public long generation(ObjectStore store, String basePath) {
    String prefix = basePath.isEmpty() ? "" : basePath + "/";
    try (InputStream in = store.get(prefix + "index.latest")) {
      byte[] bytes = in.readAllBytes();
      if (bytes.length != Long.BYTES) {
        throw new IllegalStateException(prefix + "index.latest in " + store.describe() + " holds " + bytes.length + " bytes, not 8");
      }
      return ByteBuffer.wrap(bytes).getLong();
    } catch (ObjectNotFoundException absent) {
      return store.list(prefix + "index-").stream()
          .map(o -> ROOT_INDEX.matcher(o.key().substring(prefix.length())))
          .filter(Matcher::matches)
          .mapToLong(m -> Long.parseLong(m.group(1)))
          .max()
          .orElse(-1);
    } catch (IOException e) {
      throw new ObjectStoreException("reading " + prefix + "index.latest from " + store.describe() + " failed: " + e.getMessage(), e);
    }
  }

  /** The stored names of one file's data: none for a virtual blob, one per part for a split one. */
  private static List<String> blobsOf(JsonNode file, String shardPrefix, String source) {
    String name = required(file, "name", source);
    if (name.startsWith("v__")) {
      return List.of();
    }
    long length = file.path("length").asLong(-1);
    if (length < 0) {
      throw new IllegalStateException(source + ": file " + name + " has no length");
    }
    long partSize = file.path("part_size").asLong(0);
    long parts = partSize <= 0 || length == 0 ? 1 : 1 + (length - 1) / partSize;
    if (parts == 1) {
      return List.of(shardPrefix + name);
    }
    List<String> names = new ArrayList<>();
    for (long part = 0; part < parts; part++) {
      names.add(shardPrefix + name + ".part" + part);
    }
    return names;
  }

  private JsonNode parseJson(ObjectStore store, String key) {
    try (InputStream in = store.get(key)) {
      return json.readTree(in);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(key + " in " + store.describe() + " is not the JSON expected: " + e.getMessage(), e);
    } catch (IOException e) {
      // The download broke off: the store failed, not the repository (read again later)
      throw new ObjectStoreException("reading " + key + " from " + store.describe() + " failed: " + e.getMessage(), e);
    }
  }

  /** A Lucene-framed x-content file: header, content, footer with the CRC32 of all before it. */
  private JsonNode parseFramed(ObjectStore store, String key) {
    byte[] bytes;
    try (InputStream in = store.get(key)) {
      bytes = in.readAllBytes();
    } catch (IOException e) {
      throw new ObjectStoreException("reading " + key + " from " + store.describe() + " failed: " + e.getMessage(), e);
    }
    try {
      if (bytes.length < 8 + FOOTER_LENGTH) {
        throw new IllegalStateException("too short");
      }
      DataInputStream header = new DataInputStream(new ByteArrayInputStream(bytes));
      if (header.readInt() != CODEC_MAGIC) {
        throw new IllegalStateException("no codec header");
      }
      int nameLength = readVInt(header);
      header.skipNBytes(nameLength);
      header.readInt(); // the format's version
      int contentStart = 4 + vIntLength(nameLength) + nameLength + 4;
      ByteBuffer footer = ByteBuffer.wrap(bytes, bytes.length - FOOTER_LENGTH, FOOTER_LENGTH);
      if (footer.getInt() != FOOTER_MAGIC || footer.getInt() != 0) {
        throw new IllegalStateException("no codec footer");
      }
      CRC32 crc = new CRC32();
      crc.update(bytes, 0, bytes.length - Long.BYTES);
      if (crc.getValue() != footer.getLong()) {
        throw new IllegalStateException("checksum mismatch");
      }
      int contentLength = bytes.length - FOOTER_LENGTH - contentStart;
      InputStream content = new ByteArrayInputStream(bytes, contentStart, contentLength);
      if (contentLength >= 4 && java.util.Arrays.equals(bytes, contentStart, contentStart + 4, DEFLATE_HEADER, 0, 4)) {
        content = new InflaterInputStream(new ByteArrayInputStream(bytes, contentStart + 4, contentLength - 4), new Inflater(true));
      }
      byte[] xContent = content.readAllBytes();
      if (xContent.length > 0 && xContent[0] == '{') {
        return json.readTree(xContent);
      }
      if (xContent.length > 2 && xContent[0] == ':' && xContent[1] == ')') {
        return smile.readTree(xContent);
      }
      throw new IllegalStateException("content is neither SMILE nor JSON (compressed otherwise?)");
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException(key + " in " + store.describe() + " is not a snapshot metadata file as expected: " + e.getMessage(), e);
    }
  }

  private static int readVInt(DataInputStream in) throws IOException {
    int value = 0;
    for (int shift = 0; shift < 32; shift += 7) {
      int b = in.readUnsignedByte();
      value |= (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        return value;
      }
    }
    throw new IOException("malformed vInt");
  }

  private static int vIntLength(int value) {
    int length = 1;
    while ((value & ~0x7f) != 0) {
      value >>>= 7;
      length++;
    }
    return length;
  }

  private static String required(JsonNode node, String field, String source) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual()) {
      throw new IllegalStateException(source + ": expected a text field '" + field + "' in " + node);
    }
    return value.asText();
  }
}
