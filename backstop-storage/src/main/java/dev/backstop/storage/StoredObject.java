package dev.backstop.storage;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * An object as a store holds it.
 *
 * @param key its key in the store
 * @param size its length in bytes
 * @param etag the store's entity tag without quotes: the hex MD5 of the content for an object
 *     written whole, {@code md5-of-part-md5s-N} for one written in N parts
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
