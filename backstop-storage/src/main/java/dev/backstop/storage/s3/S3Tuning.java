package dev.backstop.storage.s3;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How an {@link S3ObjectStore} uses the network and memory. {@link #defaults()} suits a backup
 * server that writes a few large objects and many small ones at once.
 *
 * <p>Every byte a put sends is first held in memory, so that each request can be retried by the
 * SDK (an {@code InputStream} cannot be replayed): a whole object up to {@link
 * #multipartThreshold}, else one buffer of {@link #partSize} per part in flight. {@link
 * #memoryBudget} bounds all of these buffers of one store together; puts wait for room.
 *
 * @param maxConcurrency the most HTTP connections the store's client opens at once
 * @param partSize the size of each part of a multipart upload, at least 5 MiB (S3's minimum);
 *     raised for an object that would otherwise need more than 10,000 parts
 * @param multipartThreshold objects longer than this are uploaded in parts; at most 5 GiB
 * @param partsInFlight the most parts of one upload sent at once
 * @param memoryBudget the most bytes all puts of the store buffer together; at least {@link
 *     #partSize} and {@link #multipartThreshold}
 * @param maxAttempts how often the SDK tries a request, the first attempt included, before a
 *     transient failure (throttling, 5xx, a refused or reset connection, a timeout) is given up on
 * @param acquisitionTimeout how long one attempt may wait for its connection, the connect included;
 *     an attempt that got none is retried (see {@link S3ObjectStore})
 */
public record S3Tuning(
    int maxConcurrency,
    int partSize,
    int multipartThreshold,
    int partsInFlight,
    long memoryBudget,
    int maxAttempts,
    Duration acquisitionTimeout) {

  /** S3's smallest part (but the last). */
  public static final int MIN_PART_SIZE = 5 * 1024 * 1024;

  /** S3's largest number of parts in one upload. */
  public static final int MAX_PARTS = 10_000;

  private static final int MIB = 1024 * 1024;

  public S3Tuning {
    List<String> errors = new ArrayList<>();
    if (maxConcurrency < 1) {
      errors.add("maxConcurrency must be at least 1, not " + maxConcurrency);
    }
    if (partSize < MIN_PART_SIZE) {
      errors.add("partSize must be at least 5 MiB (" + MIN_PART_SIZE + " bytes), not " + partSize);
    }
    if (multipartThreshold < 0) {
      errors.add("multipartThreshold must not be negative, not " + multipartThreshold);
    }
    if (partsInFlight < 1) {
      errors.add("partsInFlight must be at least 1, not " + partsInFlight);
    }
    if (memoryBudget < Math.max(partSize, multipartThreshold) || memoryBudget > Integer.MAX_VALUE) {
      errors.add(
          "memoryBudget must be at least partSize and multipartThreshold, and at most 2 GiB, not " + memoryBudget);
    }
    if (maxAttempts < 1) {
      errors.add("maxAttempts must be at least 1, not " + maxAttempts);
    }
    if (acquisitionTimeout == null || acquisitionTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
      errors.add("acquisitionTimeout must be at least 1 s, not " + acquisitionTimeout);
    }
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException("Invalid S3 tuning: " + String.join("; ", errors));
    }
  }

  /**
   * 32 connections, 8 MiB parts above 16 MiB, 4 parts in flight per upload, 128 MiB of buffers
   * per store, 5 attempts per request, 20 s for an attempt's connection.
   */
  public static S3Tuning defaults() {
    return new S3Tuning(32, 8 * MIB, 16 * MIB, 4, 128L * MIB, 5, Duration.ofSeconds(20));
  }

  /** The same, with another part size and multipart threshold (tests use small ones). */
  public S3Tuning withMultipart(int newPartSize, int newMultipartThreshold) {
    return new S3Tuning(
        maxConcurrency,
        newPartSize,
        newMultipartThreshold,
        partsInFlight,
        Math.max(memoryBudget, Math.max(newPartSize, newMultipartThreshold)),
        maxAttempts,
        acquisitionTimeout);
  }

  /** The same, with another number of attempts per request. */
  public S3Tuning withMaxAttempts(int newMaxAttempts) {
    return new S3Tuning(maxConcurrency, partSize, multipartThreshold, partsInFlight, memoryBudget, newMaxAttempts, acquisitionTimeout);
  }

  /** The same, with another wait for an attempt's connection (tests use a short one). */
  public S3Tuning withAcquisitionTimeout(Duration newAcquisitionTimeout) {
    return new S3Tuning(maxConcurrency, partSize, multipartThreshold, partsInFlight, memoryBudget, maxAttempts, newAcquisitionTimeout);
  }

  /**
   * The part size for an object of {@code length} bytes: {@link #partSize}, or more (whole MiB)
   * when the object would otherwise need more than {@value #MAX_PARTS} parts.
   */
  long partSizeFor(long length) {
    long needed = (length + MAX_PARTS - 1) / MAX_PARTS;
    long roundedUp = (needed + MIB - 1) / MIB * MIB;
    return Math.max(partSize, roundedUp);
  }
}
