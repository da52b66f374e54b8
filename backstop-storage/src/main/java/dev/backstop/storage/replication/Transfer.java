package dev.backstop.storage.replication;

import dev.backstop.core.replication.ReplicationException;
import dev.backstop.core.replication.Replicator;
import dev.backstop.storage.ObjectStore;
import dev.backstop.storage.StoredObject;
import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Copies objects from one store to another, many at a time, each verified before it counts: a
 * stage of a replication. What the target already holds of the same source object is not copied
 * again.
 *
 * <p>An object counts as already there when the target holds it at the source's size with the
 * source's ETag, either as its own ETag or recorded in {@link #SOURCE_ETAG} by an earlier copy.
 * A copied object is verified before it counts: the bytes read from the source hash to the source's
 * ETag (where that ETag is a plain MD5, i.e. the source was written in one part), the store
 * answered the write with the size and, for an object written whole, the MD5 of exactly those
 * bytes (the S3 adapter also sends each request's MD5, which the server checks), and a server-side
 * copy answered with the source's size. No further request is made to check it.
 */
final class Transfer {

  /** User metadata on a copy: the ETag of the object it was copied from. */
  static final String SOURCE_ETAG = "backstop-source-etag";

  private final ObjectStore from;
  private final ObjectStore to;
  private final int parallelism;
  private final Replicator.Progress progress;
  private final AtomicLong objects = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicLong alreadyThere = new AtomicLong();

  Transfer(ObjectStore from, ObjectStore to, int parallelism, Replicator.Progress progress) {
    this.from = from;
    this.to = to;
    this.parallelism = parallelism;
    this.progress = progress;
  }

  /**
   * Copies every object of one stage the target lacks, at most {@code parallelism} at a time, and
   * returns once all are copied and verified.
   *
   * @param targetListing what a listing of the target showed: an object listed there at the
   *     source's size and ETag is not asked for again
   * @throws ReplicationException naming the first object that failed, after every copy of the
   *     stage started has ended (none is left running behind the caller's back)
   */
  void stage(String name, Collection<StoredObject> sources, Map<String, StoredObject> targetListing) {
    if (sources.isEmpty()) {
      return;
    }
    Semaphore slots = new Semaphore(parallelism);
    List<Future<?>> copies = new ArrayList<>(sources.size());
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (StoredObject source : sources) {
        slots.acquireUninterruptibly();
        copies.add(
            threads.submit(
                () -> {
                  try {
                    copy(source, Optional.ofNullable(targetListing.get(source.key())));
                  } finally {
                    slots.release();
                  }
                  return null;
                }));
      }
    } // waits for every copy
    for (Future<?> copy : copies) {
      try {
        copy.get();
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        throw cause instanceof ReplicationException failure
            ? failure
            : new ReplicationException("Copying " + name + " to " + to.describe() + " failed: " + cause.getMessage(), cause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ReplicationException("interrupted while copying " + name);
      }
    }
  }

  private void copy(StoredObject source, Optional<StoredObject> listed) {
    if (listed.isPresent() && holds(listed.get(), source)) {
      alreadyThere.incrementAndGet();
      return;
    }
    // A listing carries no metadata: only a stat shows the source ETag an earlier copy recorded.
    Optional<StoredObject> existing = listed.isPresent() ? to.stat(source.key()) : Optional.empty();
    if (existing.isPresent() && holds(existing.get(), source)) {
      alreadyThere.incrementAndGet();
      return;
    }
    Map<String, String> metadata = Map.of(SOURCE_ETAG, source.etag());
    StoredObject stored = to.copyFrom(from, source.key(), metadata).orElseGet(() -> streamCopy(source, metadata));
    if (stored.size() != source.size()) {
      to.delete(source.key());
      throw new ReplicationException(
          source.key() + " in " + to.describe() + " does not verify after the copy: " + stored.size() + " bytes, ETag " + stored.etag()
              + ", expected " + source.size() + " bytes of source ETag " + source.etag());
    }
    objects.incrementAndGet();
    bytes.addAndGet(source.size());
    progress.copied(source.key(), source.size());
  }

  private StoredObject streamCopy(StoredObject source, Map<String, String> metadata) {
    MessageDigest md5 = md5();
    StoredObject stored;
    try (InputStream in = new DigestInputStream(from.get(source.key()), md5)) {
      stored = to.put(source.key(), source.size(), in, metadata);
    } catch (IOException e) {
      throw new ReplicationException("reading " + source.key() + " from " + from.describe() + " failed: " + e.getMessage(), e);
    }
    String read = HexFormat.of().formatHex(md5.digest());
    if (isPlainMd5(source.etag()) && !read.equalsIgnoreCase(source.etag())) {
      to.delete(source.key());
      throw new ReplicationException(
          source.key() + " read from " + from.describe() + " hashes to " + read + ", not to its ETag " + source.etag() + " (changed while copied?)");
    }
    if (isPlainMd5(stored.etag()) && !read.equalsIgnoreCase(stored.etag())) {
      to.delete(source.key());
      throw new ReplicationException(
          source.key() + " was stored in " + to.describe() + " with ETag " + stored.etag() + ", not the MD5 " + read + " of the bytes sent");
    }
    return stored;
  }

  /** Whether {@code target} is a complete copy of {@code source}. */
  static boolean holds(StoredObject target, StoredObject source) {
    if (target.size() != source.size()) {
      return false;
    }
    String recorded = target.metadata().get(SOURCE_ETAG);
    return source.etag().equalsIgnoreCase(recorded != null ? recorded : target.etag());
  }

  private static boolean isPlainMd5(String etag) {
    return etag.length() == 32 && etag.chars().allMatch(c -> Character.digit(c, 16) >= 0);
  }

  private static MessageDigest md5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  long objects() {
    return objects.get();
  }

  long bytes() {
    return bytes.get();
  }

  long alreadyThere() {
    return alreadyThere.get();
  }
}
