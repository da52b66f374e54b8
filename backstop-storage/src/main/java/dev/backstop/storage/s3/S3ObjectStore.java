package dev.backstop.storage.s3;

import dev.backstop.storage.ObjectNotFoundException;
import dev.backstop.storage.ObjectStore;
import dev.backstop.storage.ObjectStoreException;
import dev.backstop.storage.StoredObject;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * A bucket of an S3-compatible server (AWS S3, Ceph radosgw, S3Proxy, MinIO) as an {@link
 * ObjectStore}, on the AWS SDK's asynchronous client over Netty NIO. One client per store; {@link
 * #close()} releases it.
 *
 * <p><b>Retries.</b> The SDK's standard retry strategy, with backoff, retries throttling, 5xx
 * answers, refused or reset connections and timeouts, {@link S3Tuning#maxAttempts()} times per
 * request; this class adds no loop of its own. A put reads its stream into memory (the whole
 * object up to the multipart threshold, else one part at a time, bounded by {@link
 * S3Tuning#memoryBudget()}) so that every request it sends can be replayed by the SDK. A get is
 * retried until the answer's headers have arrived; a connection lost while the caller reads the
 * body surfaces as an {@link IOException} from the stream.
 *
 * <p><b>Verification.</b> Every put and every part carries the {@code Content-MD5} of its bytes
 * (the server refuses bytes that do not match); the ETag the server answers is checked against the
 * one expected by the rule documented on {@link StoredObject}, and a mismatch fails the put (the
 * object written is deleted again).
 *
 * <p><b>Atomicity.</b> A single PUT is atomic on the server. A multipart upload is invisible until
 * it is completed, and is aborted on any failure before that, so a failed put leaves no part
 * behind; only a JVM that dies mid-upload leaves an incomplete upload, which takes space but is no
 * object (a bucket lifecycle rule {@code AbortIncompleteMultipartUpload} removes those).
 *
 * <p><b>Compatibility.</b> Path-style addressing when {@link S3Location#pathStyle()}, signature
 * v4, {@code ListObjectsV2}, {@code Content-MD5} only: no flexible (CRC) checksums, which Ceph
 * radosgw 16 does not know. Keep it that way if the SDK is upgraded to 2.30 or later: that needs
 * {@code requestChecksumCalculation(WHEN_REQUIRED)} and {@code
 * responseChecksumValidation(WHEN_REQUIRED)} on the client builder.
 */
public final class S3ObjectStore implements ObjectStore {

  /** The largest object a single CopyObject request copies. */
  static final long MAX_SINGLE_COPY_SIZE = 5L * 1024 * 1024 * 1024;

  private static final System.Logger LOG = System.getLogger(S3ObjectStore.class.getName());

  private final S3Location location;
  private final S3Tuning tuning;
  private final S3AsyncClient client;
  /** Owned here rather than by the HTTP client, whose close waits a quiet period of 2 s. */
  private final SdkEventLoopGroup eventLoops;
  /** Bytes of put buffers that may still be taken; fair, so that a large request is not starved. */
  private final Semaphore memory;

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  /**
   * An attempt that got no connection within {@link S3Tuning#acquisitionTimeout} sent nothing: it
   * is safe to retry, whatever the request. The SDK does not retry it by itself, and with SDK 2.29
   * on Netty an attempt retried while the server refused connections was seen to never get its
   * connection (against a closed port on loopback, about one put in five waited out the timeout):
   * bounded and retried, the next attempt connects normally.
   */
  private static boolean connectionNotAcquired(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof java.util.concurrent.TimeoutException) {
        return true;
      }
    }
    return false;
  }

  public S3ObjectStore(S3Location location) {
    this(location, S3Tuning.defaults());
  }

  public S3ObjectStore(S3Location location, S3Tuning tuning) {
    this.location = location;
    this.tuning = tuning;
    this.memory = new Semaphore((int) tuning.memoryBudget(), true);
    this.eventLoops = SdkEventLoopGroup.builder().build();
    this.client =
        S3AsyncClient.builder()
            .endpointOverride(location.endpoint())
            .region(Region.of(location.signingRegion()))
            .forcePathStyle(location.pathStyle())
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(location.accessKey(), location.secretKey())))
            .httpClientBuilder(
                NettyNioAsyncHttpClient.builder()
                    .eventLoopGroup(eventLoops)
                    .maxConcurrency(tuning.maxConcurrency())
                    .connectionTimeout(CONNECT_TIMEOUT)
                    .connectionAcquisitionTimeout(tuning.acquisitionTimeout())
                    .readTimeout(Duration.ofSeconds(60))
                    .writeTimeout(Duration.ofSeconds(60)))
            .overrideConfiguration(
                o ->
                    o.retryStrategy(
                        AwsRetryStrategy.standardRetryStrategy().toBuilder()
                            .maxAttempts(tuning.maxAttempts())
                            .retryOnException(S3ObjectStore::connectionNotAcquired)
                            .build()))
            .build();
  }

  /** Where this store is. */
  public S3Location location() {
    return location;
  }

  public S3Tuning tuning() {
    return tuning;
  }

  @Override
  public String describe() {
    return location.describe();
  }

  @Override
  public List<StoredObject> list(String prefix) {
    String effectivePrefix = prefix == null ? "" : prefix;
    List<StoredObject> objects = new ArrayList<>();
    String continuation = null;
    do {
      ListObjectsV2Request request =
          ListObjectsV2Request.builder()
              .bucket(location.bucket())
              .prefix(effectivePrefix)
              .continuationToken(continuation)
              .build();
      ListObjectsV2Response page = await(client.listObjectsV2(request), "list", effectivePrefix + "*");
      for (S3Object object : page.contents()) {
        objects.add(
            new StoredObject(object.key(), object.size(), unquote(object.eTag()), object.lastModified(), Map.of()));
      }
      continuation = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
    } while (continuation != null);
    return objects;
  }

  @Override
  public Optional<StoredObject> stat(String key) {
    checkKey(key);
    try {
      HeadObjectResponse head = client.headObject(b -> b.bucket(location.bucket()).key(key)).join();
      return Optional.of(
          new StoredObject(key, head.contentLength(), unquote(head.eTag()), head.lastModified(), head.metadata()));
    } catch (CompletionException e) {
      if (isNotFound(e.getCause())) {
        return Optional.empty();
      }
      throw failure("stat", key, e);
    }
  }

  @Override
  public InputStream get(String key) {
    checkKey(key);
    try {
      return client
          .getObject(b -> b.bucket(location.bucket()).key(key), AsyncResponseTransformer.toBlockingInputStream())
          .join();
    } catch (CompletionException e) {
      if (isNotFound(e.getCause())) {
        throw new ObjectNotFoundException(describe(), key);
      }
      throw failure("get", key, e);
    }
  }

  @Override
  public StoredObject put(String key, long length, InputStream content, Map<String, String> metadata) {
    checkKey(key);
    if (length < 0) {
      throw new IllegalArgumentException("length must not be negative: " + length);
    }
    return length <= tuning.multipartThreshold()
        ? putWhole(key, (int) length, content, metadata)
        : putInParts(key, length, content, metadata);
  }

  private StoredObject putWhole(String key, int length, InputStream content, Map<String, String> metadata) {
    acquireMemory(length, key);
    try {
      byte[] bytes = readExactly(content, length, 0, length, key);
      byte[] md5 = md5(bytes);
      PutObjectResponse response =
          await(
              client.putObject(
                  b ->
                      b.bucket(location.bucket())
                          .key(key)
                          .contentLength((long) length)
                          .contentMD5(Base64.getEncoder().encodeToString(md5))
                          .metadata(metadata),
                  AsyncRequestBody.fromBytesUnsafe(bytes)),
              "put",
              key);
      String etag = unquote(response.eTag());
      verifyWritten(key, HexFormat.of().formatHex(md5), etag);
      return new StoredObject(key, length, etag, serverTime(response.sdkHttpResponse()), metadata);
    } finally {
      memory.release(length);
    }
  }

  private StoredObject putInParts(String key, long length, InputStream content, Map<String, String> metadata) {
    long partSize = tuning.partSizeFor(length);
    int partCount = (int) ((length + partSize - 1) / partSize);
    if (partSize > tuning.memoryBudget()) {
      throw new ObjectStoreException(
          "Could not put %s in %s: %d bytes need parts of %d bytes, more than the memory budget of %d"
              .formatted(key, describe(), length, partSize, tuning.memoryBudget()));
    }
    String uploadId =
        await(
                client.createMultipartUpload(b -> b.bucket(location.bucket()).key(key).metadata(metadata)),
                "start the multipart upload of",
                key)
            .uploadId();
    Semaphore inFlight = new Semaphore(tuning.partsInFlight());
    byte[][] partMd5s = new byte[partCount][];
    String[] partEtags = new String[partCount];
    List<CompletableFuture<UploadPartResponse>> requests = new ArrayList<>(partCount);
    List<CompletableFuture<?>> sent = new ArrayList<>(partCount);
    AtomicReference<Throwable> partFailure = new AtomicReference<>();
    boolean completed = false;
    try {
      for (int index = 0; index < partCount && partFailure.get() == null; index++) {
        int partNumber = index + 1;
        int size = (int) Math.min(partSize, length - index * partSize);
        acquire(inFlight, 1, key);
        byte[] bytes;
        try {
          acquireMemory(size, key);
          try {
            bytes = readExactly(content, size, index * partSize, length, key);
          } catch (RuntimeException e) {
            memory.release(size);
            throw e;
          }
        } catch (RuntimeException e) {
          inFlight.release();
          throw e;
        }
        byte[] md5 = md5(bytes);
        partMd5s[index] = md5;
        int partIndex = index;
        CompletableFuture<UploadPartResponse> request =
            client.uploadPart(
                b ->
                    b.bucket(location.bucket())
                        .key(key)
                        .uploadId(uploadId)
                        .partNumber(partNumber)
                        .contentLength((long) size)
                        .contentMD5(Base64.getEncoder().encodeToString(md5)),
                AsyncRequestBody.fromBytesUnsafe(bytes));
        requests.add(request);
        sent.add(
            request.whenComplete(
                (response, error) -> {
                  memory.release(size);
                  inFlight.release();
                  if (error != null) {
                    partFailure.compareAndSet(null, error);
                  } else {
                    partEtags[partIndex] = unquote(response.eTag());
                  }
                }));
      }
      awaitAll(sent, key);
      if (partFailure.get() != null) {
        throw failure("put a part of", key, partFailure.get());
      }
      List<CompletedPart> parts = new ArrayList<>(partCount);
      for (int index = 0; index < partCount; index++) {
        String expected = HexFormat.of().formatHex(partMd5s[index]);
        if (!expected.equals(partEtags[index])) {
          throw new ObjectStoreException(
              "Could not put %s in %s: part %d came back with ETag %s, not the MD5 %s of its bytes"
                  .formatted(key, describe(), index + 1, partEtags[index], expected));
        }
        parts.add(CompletedPart.builder().partNumber(index + 1).eTag(partEtags[index]).build());
      }
      var response =
          await(
              client.completeMultipartUpload(
                  b ->
                      b.bucket(location.bucket())
                          .key(key)
                          .uploadId(uploadId)
                          .multipartUpload(m -> m.parts(parts))),
              "complete the multipart upload of",
              key);
      completed = true;
      String etag = unquote(response.eTag());
      if (etag == null || etag.isEmpty()) {
        // Ceph radosgw 16 answers CompleteMultipartUpload without an ETag: ask for the object's.
        etag = stat(key).map(StoredObject::etag).orElse("");
      }
      verifyWritten(key, multipartEtag(partMd5s), etag);
      return new StoredObject(key, length, etag, serverTime(response.sdkHttpResponse()), metadata);
    } finally {
      if (!completed) {
        // A part still being sent could outlive the abort and leave a part behind: let the
        // parts end first (cancelled, when this thread was interrupted; they are bounded by
        // the client's timeouts otherwise).
        if (Thread.currentThread().isInterrupted()) {
          requests.forEach(request -> request.cancel(true));
        }
        sent.forEach(future -> future.handle((ok, error) -> null).join());
        abort(key, uploadId);
      }
    }
  }

  /** The ETag S3 gives an object uploaded in parts: MD5 of the parts' binary MD5s, "-", count. */
  static String multipartEtag(byte[][] partMd5s) {
    MessageDigest digest = newMd5();
    for (byte[] partMd5 : partMd5s) {
      digest.update(partMd5);
    }
    return HexFormat.of().formatHex(digest.digest()) + "-" + partMd5s.length;
  }

  private void abort(String key, String uploadId) {
    try {
      client.abortMultipartUpload(b -> b.bucket(location.bucket()).key(key).uploadId(uploadId)).join();
    } catch (RuntimeException e) {
      LOG.log(
          System.Logger.Level.WARNING,
          "Could not abort the failed multipart upload {0} of {1} in {2} (it is no object, but takes space): {3}",
          uploadId,
          key,
          describe(),
          rootMessage(e));
    }
  }

  private void verifyWritten(String key, String expectedEtag, String etag) {
    if (!expectedEtag.equals(etag)) {
      deleteQuietly(key);
      throw new ObjectStoreException(
          "Could not put %s in %s: the server answered ETag %s, expected %s; the object was deleted again"
              .formatted(key, describe(), etag, expectedEtag));
    }
  }

  @Override
  public void delete(String key) {
    checkKey(key);
    try {
      client.deleteObject(b -> b.bucket(location.bucket()).key(key)).join();
    } catch (CompletionException e) {
      if (!isNotFound(e.getCause())) {
        throw failure("delete", key, e);
      }
    }
  }

  private void deleteQuietly(String key) {
    try {
      delete(key);
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "Could not delete {0} in {1}: {2}", key, describe(), rootMessage(e));
    }
  }

  /**
   * Copies with one server-side CopyObject when {@code source} is an {@code S3ObjectStore} of the
   * same endpoint and account; empty for any other store and for objects above 5 GiB (those would
   * need UploadPartCopy). The copy gets {@code metadata}, not the source's. It copies only the
   * object the source had when this began ({@code x-amz-copy-source-if-match}); for a source
   * written whole, the copy's ETag is checked to equal the source's.
   *
   * @throws ObjectNotFoundException when the source has no such object
   */
  @Override
  public Optional<StoredObject> copyFrom(ObjectStore source, String key, Map<String, String> metadata) {
    checkKey(key);
    if (!(source instanceof S3ObjectStore other) || !other.location.sameAccountAs(location)) {
      return Optional.empty();
    }
    StoredObject original = other.stat(key).orElseThrow(() -> new ObjectNotFoundException(other.describe(), key));
    if (original.size() > MAX_SINGLE_COPY_SIZE) {
      return Optional.empty();
    }
    CopyObjectResponse response =
        await(
            client.copyObject(
                b ->
                    b.sourceBucket(other.location.bucket())
                        .sourceKey(key)
                        .destinationBucket(location.bucket())
                        .destinationKey(key)
                        .copySourceIfMatch("\"" + original.etag() + "\"")
                        .metadataDirective(MetadataDirective.REPLACE)
                        .metadata(metadata)),
            "copy from " + other.describe() + " the object",
            key);
    String etag = unquote(response.copyObjectResult().eTag());
    if (!original.etag().contains("-")) {
      verifyWritten(key, original.etag(), etag);
    }
    Instant written =
        Optional.ofNullable(response.copyObjectResult().lastModified())
            .orElseGet(() -> serverTime(response.sdkHttpResponse()));
    return Optional.of(new StoredObject(key, original.size(), etag, written, metadata));
  }

  @Override
  public void close() {
    client.close();
    // Calls are over when close() is called: no quiet period to wait for.
    eventLoops.eventLoopGroup().shutdownGracefully(0, 10, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
  }

  @Override
  public String toString() {
    return "S3ObjectStore[" + describe() + "]";
  }

  // ----------------------------------------------------------------------------------- helpers

  private static void checkKey(String key) {
    if (key == null || key.isEmpty() || key.startsWith("/")) {
      throw new IllegalArgumentException("A key must be non-empty and relative, not " + key);
    }
  }

  private byte[] readExactly(InputStream content, int size, long offset, long length, String key) {
    try {
      byte[] bytes = content.readNBytes(size);
      if (bytes.length < size) {
        throw new ObjectStoreException(
            "Could not put %s in %s: the stream ended after %d of %d bytes"
                .formatted(key, describe(), offset + bytes.length, length));
      }
      return bytes;
    } catch (IOException e) {
      throw new ObjectStoreException(
          "Could not put %s in %s: reading the content failed after at least %d bytes: %s"
              .formatted(key, describe(), offset, e.getMessage()),
          e);
    }
  }

  private void acquireMemory(int bytes, String key) {
    acquire(memory, bytes, key);
  }

  private void acquire(Semaphore semaphore, int permits, String key) {
    try {
      semaphore.acquire(permits);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ObjectStoreException("Interrupted while putting " + key + " in " + describe(), e);
    }
  }

  private void awaitAll(List<CompletableFuture<?>> futures, String key) {
    try {
      CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ObjectStoreException("Interrupted while putting " + key + " in " + describe(), e);
    } catch (ExecutionException e) {
      // Recorded as the part failure by the part's own callback.
    }
  }

  private <T> T await(CompletableFuture<T> future, String operation, String key) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw new ObjectStoreException("Interrupted while trying to " + operation + " " + key + " in " + describe(), e);
    } catch (ExecutionException e) {
      throw failure(operation, key, e.getCause());
    }
  }

  private ObjectStoreException failure(String operation, String key, Throwable error) {
    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof ObjectStoreException storeException) {
      return storeException;
    }
    return new ObjectStoreException(
        "Could not %s %s in %s: %s".formatted(operation, key, describe(), rootMessage(cause)), cause);
  }

  private static boolean isNotFound(Throwable error) {
    return error instanceof S3Exception s3 && s3.statusCode() == 404;
  }

  private static String rootMessage(Throwable error) {
    Throwable cause = error;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    String message = cause.getMessage();
    if (cause instanceof SdkException && cause.getCause() != null && cause.getCause() != cause) {
      message = message + " (" + cause.getCause() + ")";
    }
    return message == null ? cause.toString() : message;
  }

  private static String unquote(String etag) {
    if (etag == null) {
      return "";
    }
    return etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"")
        ? etag.substring(1, etag.length() - 1)
        : etag;
  }

  /** The server's clock when it answered (its Date header), else this machine's. */
  private static Instant serverTime(SdkHttpResponse response) {
    return response
        .firstMatchingHeader("Date")
        .flatMap(
            date -> {
              try {
                return Optional.of(ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
              } catch (DateTimeParseException e) {
                return Optional.empty();
              }
            })
        .orElseGet(Instant::now);
  }

  static byte[] md5(byte[] bytes) {
    return newMd5().digest(bytes);
  }

  private static MessageDigest newMd5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has MD5", e);
    }
  }
}
