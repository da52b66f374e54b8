package dev.backstop.storage;

import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One bucket (or directory) of objects: where a region keeps a cluster's backups.
 *
 * <p>Keys are relative to the store ({@code zeebe/1/42/0/manifest.json}), never starting with a
 * slash. Every adapter passes the contract kit {@code ObjectStoreContract} (test-jar of this
 * module). Implementations are thread-safe; calls block the calling thread (run many at once on
 * virtual threads) and retry transient failures themselves, with backoff, before they give up with
 * an {@link ObjectStoreException}.
 */
public interface ObjectStore extends AutoCloseable {

  /** What this store is, for logs and messages: kind, endpoint, bucket. Never a secret. */
  String describe();

  /**
   * Every object whose key starts with {@code prefix} ({@code ""} for all), in ascending key order
   * (by code point, which is S3's UTF-8 binary order), all pages of a paginated listing read.
   * Listed objects carry no metadata.
   */
  List<StoredObject> list(String prefix);

  /** The object's size, ETag and metadata, or empty when there is no such object. */
  Optional<StoredObject> stat(String key);

  /**
   * The object's content, streamed; the caller closes the stream.
   *
   * @throws ObjectNotFoundException when there is no such object
   */
  InputStream get(String key);

  /**
   * Writes an object of a known length from a stream, replacing any object of that key. The
   * object appears whole or not at all (readers never see part of it). Large objects go up in
   * parts.
   *
   * @param metadata user metadata stored with the object (lower-case names)
   * @return the object as stored, with the ETag the store computed, checked against the rule on
   *     {@link StoredObject#etag()}
   * @throws ObjectStoreException when the store failed, also when fewer than {@code length} bytes
   *     could be read from {@code content} (bytes past {@code length} are not read); a put that
   *     fails leaves the previous object of that key, or none
   */
  StoredObject put(String key, long length, InputStream content, Map<String, String> metadata);

  /** Removes the object; removing an absent object is not an error. */
  void delete(String key);

  /**
   * Copies an object from another store without the bytes passing through Backstop, where both
   * are one endpoint with one account (the server copies between its own buckets).
   *
   * @param metadata the copy's user metadata (it replaces the source's)
   * @return the copy as stored, or empty when this store cannot copy from {@code source} (the
   *     caller then streams the object itself)
   * @throws ObjectNotFoundException when this store could copy, but {@code source} has no such
   *     object
   */
  default Optional<StoredObject> copyFrom(ObjectStore source, String key, Map<String, String> metadata) {
    return Optional.empty();
  }

  @Override
  void close();
}
