package dev.backstop.storage.replication;

import dev.backstop.core.replication.ReplicationException;
import dev.backstop.storage.ObjectStore;
import dev.backstop.storage.StoredObject;
import dev.backstop.storage.replication.RepositoryGeneration.Stage;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Makes the secondary region's copy of a search snapshot repository a copy of the primary's
 * newest committed generation: what that generation references and the secondary lacks is copied
 * stage by stage ({@link Stage}), then the generation is made visible ({@code index-N}, then
 * {@code index.latest}), then what no listed snapshot uses any more is removed. A fresh search
 * cluster that registers the secondary copy (read-only) can restore every snapshot it lists, at
 * every moment.
 *
 * <p>Not safe to run twice at once for one repository: callers hold an exclusion.
 */
final class SearchRepositoryMirror {

  private static final Logger LOG = Logger.getLogger(SearchRepositoryMirror.class.getName());
  private static final String LATEST = "index.latest";
  /** How often the mirror follows a primary that moves on while it copies, before it stops for now. */
  private static final int ROUNDS = 3;

  private final RepositoryReader reader;

  SearchRepositoryMirror(RepositoryReader reader) {
    this.reader = reader;
  }

  /**
   * Mirrors the primary's newest generation to the secondary.
   *
   * @return the generation the secondary now shows
   * @throws ReplicationException when a copy failed, or when mirroring would lose what the
   *     secondary holds (the primary's repository is empty or older than the secondary's)
   */
  RepositoryGeneration mirror(ObjectStore primary, ObjectStore secondary, String basePath, Transfer transfer) {
    String prefix = basePath.isEmpty() ? "" : basePath + "/";
    for (int round = 1; ; round++) {
      RepositoryGeneration source = reader.read(primary, basePath);
      long target = reader.generation(secondary, basePath);
      if (source.number() < target) {
        throw new ReplicationException(
            "The search repository in " + primary.describe() + " is at generation " + source.number() + ", behind the copy in "
                + secondary.describe() + " at " + target + ": not mirroring it (was the primary's repository lost or re-created?)");
      }
      // The whole buckets: a shard's folder may sit behind a hash before the base path.
      Map<String, StoredObject> sourceListing = byKey(primary.list(""));
      Map<String, StoredObject> targetListing = byKey(secondary.list(""));
      for (Stage stage : List.of(Stage.DATA, Stage.SHARD, Stage.INDEX, Stage.ROOT, Stage.ROOT_INDEX)) {
        List<StoredObject> sources = new ArrayList<>();
        for (String key : source.keysOf(stage)) {
          StoredObject object = sourceListing.get(key);
          if (object == null) {
            throw new ReplicationException(
                "Generation " + source.number() + " of the search repository in " + primary.describe() + " references " + key
                    + ", which is not there (deleted meanwhile?)");
          }
          sources.add(object);
        }
        transfer.stage("search repository " + stage.name().toLowerCase(), sources, targetListing);
      }
      if (source.number() >= 0) {
        writeLatest(secondary, prefix + LATEST, source.number());
      }
      long now = reader.generation(primary, basePath);
      if (now != source.number() && round < ROUNDS) {
        LOG.info(() -> "The search repository in " + primary.describe() + " moved on to generation " + now + " while it was mirrored; following it");
        continue;
      }
      if (now != source.number()) {
        // Correct as it is, only not the newest: what is unused is removed by a later mirror.
        return source;
      }
      removeUnused(secondary, basePath, source);
      return source;
    }
  }

  /** {@code index.latest}: the generation as 8 bytes, big-endian; written last, in one request. */
  private static void writeLatest(ObjectStore secondary, String key, long generation) {
    byte[] content = ByteBuffer.allocate(Long.BYTES).putLong(generation).array();
    String md5 = HexFormat.of().formatHex(md5(content));
    Optional<StoredObject> existing = secondary.stat(key);
    if (existing.isPresent() && existing.get().etag().equalsIgnoreCase(md5)) {
      return;
    }
    StoredObject written = secondary.put(key, content.length, new ByteArrayInputStream(content), Map.of());
    if (written.size() != content.length || !written.etag().equalsIgnoreCase(md5)) {
      throw new ReplicationException(key + " in " + secondary.describe() + " does not verify after it was written");
    }
  }

  /**
   * Removes what the generation no longer references: snapshot and index metadata first, data
   * last, so that nothing left refers to something removed.
   */
  private static void removeUnused(ObjectStore secondary, String basePath, RepositoryGeneration kept) {
    String prefix = basePath.isEmpty() ? "" : basePath + "/";
    List<String> unused =
        secondary.list("").stream()
            .map(StoredObject::key)
            .filter(key -> BlobStoreRepositoryReader.belongsTo(key, basePath))
            .filter(key -> !key.equals(prefix + LATEST) && !kept.references(key))
            .sorted(Comparator.comparing((String key) -> key.contains("/__")).thenComparing(Comparator.naturalOrder()))
            .toList();
    unused.forEach(secondary::delete);
    if (!unused.isEmpty()) {
      LOG.info(() -> "Removed " + unused.size() + " objects no snapshot of generation " + kept.number() + " uses from " + secondary.describe());
    }
  }

  private static Map<String, StoredObject> byKey(List<StoredObject> listing) {
    return listing.stream().collect(Collectors.toMap(StoredObject::key, Function.identity()));
  }

  private static byte[] md5(byte[] content) {
    try {
      return MessageDigest.getInstance("MD5").digest(content);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
