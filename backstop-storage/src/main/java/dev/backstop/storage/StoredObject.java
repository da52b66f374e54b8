package dev.backstop.storage;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * An object as a store holds it.
 *
 * @param key its key in the store
 * @param size its length in bytes
 * @param etag the store's entity tag without quotes, by this rule (S3's, for objects without
 *     SSE-KMS or SSE-C): for an object written whole, the lower-case hex MD5 of its content; for
 *     one written in N parts, the hex MD5 of the concatenated binary (16-byte) MD5s of its parts,
 *     then {@code -N} ({@code 3858f62230ac3c915f300c664312c11f-3}). The same content has another
 *     ETag when split differently, so compare ETags only between objects written alike; a
 *     server-side copy of a multipart object may get a whole-object ETag. Stores that have no
 *     parts (a directory) always give the hex MD5.
 * @param lastModified when it was last written
 * @param metadata its user metadata (empty in listings, which do not carry it)
 */
public record StoredObject(String key, long size, String etag, Instant lastModified, Map<String, String> metadata) {

  public StoredObject {
    Objects.requireNonNull(key);
    Objects.requireNonNull(etag);
    metadata = Map.copyOf(metadata);
  }
}
