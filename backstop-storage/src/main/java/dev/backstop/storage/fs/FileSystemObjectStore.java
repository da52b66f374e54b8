package dev.backstop.storage.fs;

import dev.backstop.storage.ObjectNotFoundException;
import dev.backstop.storage.ObjectStore;
import dev.backstop.storage.ObjectStoreException;
import dev.backstop.storage.StoredObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A directory as an {@link ObjectStore}: a key is a relative path under it ({@code a/b/c} is the
 * file {@code ROOT/a/b/c}), for a mounted volume or NFS share and for tests.
 *
 * <p><b>Atomic puts.</b> A put writes a temporary file in the target's own directory, forces it to
 * disk and moves it over the target in one atomic rename, so readers see the old object or the new
 * one, never part of one. Temporary files ({@code .backstop-tmp-*}) are not objects.
 *
 * <p><b>ETag and metadata.</b> The ETag is the hex MD5 of the content, also for large objects (a
 * file has no parts). ETag and user metadata are kept in a sidecar file under {@value #META_DIR}
 * ({@code ROOT/.backstop-meta/a/b/c.properties}), which listings hide. The sidecar is moved into
 * place just before the content and names the file it describes (its file key, the inode on
 * Linux, and its size); when it does not match the content file, as after a crash between the two
 * renames or for a moment while another thread overwrites the object, the ETag is computed from
 * the content again and the metadata reads as empty.
 *
 * <p><b>Keys.</b> Segments separated by {@code /}; none empty, {@code .}, {@code ..} or starting
 * with {@code .backstop-}. Unlike S3, a key cannot also be a "directory" of other keys ({@code a}
 * and {@code a/b} cannot both exist): such a put fails.
 *
 * <p>Listing is in ascending order of code points, which is S3's UTF-8 binary order. Deleting an
 * object also removes the directories it leaves empty. Thread-safe; no retries (a local file system
 * has no transient failures worth retrying).
 */
public final class FileSystemObjectStore implements ObjectStore {

  /** The hidden directory of sidecar files, under the root. */
  public static final String META_DIR = ".backstop-meta";

  private static final String RESERVED_PREFIX = ".backstop-";
  private static final String TEMP_PREFIX = ".backstop-tmp-";
  private static final String ETAG = "backstop.etag";
  private static final String FILE_KEY = "backstop.file-key";
  private static final String SIZE = "backstop.size";
  private static final String META_PREFIX = "meta.";
  private static final Comparator<String> KEY_ORDER = FileSystemObjectStore::compareCodePoints;

  private final Path root;
  private final Path metaRoot;

  /** A store in {@code root}, which is created if it does not exist. */
  public FileSystemObjectStore(Path root) {
    this.root = root.toAbsolutePath().normalize();
    this.metaRoot = this.root.resolve(META_DIR);
    try {
      Files.createDirectories(this.root);
    } catch (IOException e) {
      throw new ObjectStoreException("Could not create the directory of " + describe() + ": " + e, e);
    }
  }

  public Path root() {
    return root;
  }

  @Override
  public String describe() {
    return "directory " + root;
  }

  @Override
  public List<StoredObject> list(String prefix) {
    // A directory removed by a concurrent delete while it is walked ends the walk: walk again.
    for (int attempt = 1; ; attempt++) {
      try {
        return listOnce(prefix);
      } catch (ObjectStoreException e) {
        if (attempt == 3 || !(e.getCause() instanceof NoSuchFileException)) {
          throw e;
        }
      }
    }
  }

  private List<StoredObject> listOnce(String prefix) {
    String effectivePrefix = prefix == null ? "" : prefix;
    // Walk only the deepest directory that the prefix names in full.
    int slash = effectivePrefix.lastIndexOf('/');
    Path start = slash < 0 ? root : root.resolve(effectivePrefix.substring(0, slash));
    if (!start.normalize().startsWith(root) || !Files.isDirectory(start)) {
      return List.of();
    }
    List<String> keys = new ArrayList<>();
    try (Stream<Path> files = Files.walk(start)) {
      files
          .filter(file -> !file.startsWith(metaRoot))
          .filter(file -> !file.getFileName().toString().startsWith(TEMP_PREFIX))
          .filter(Files::isRegularFile)
          .map(this::keyOf)
          .filter(key -> key.startsWith(effectivePrefix))
          .forEach(keys::add);
    } catch (IOException e) {
      throw failure("list", effectivePrefix + "*", e);
    } catch (UncheckedIOException e) {
      throw failure("list", effectivePrefix + "*", e.getCause());
    }
    keys.sort(KEY_ORDER);
    List<StoredObject> objects = new ArrayList<>(keys.size());
    for (String key : keys) {
      read(key, false).ifPresent(objects::add);
    }
    return objects;
  }

  @Override
  public Optional<StoredObject> stat(String key) {
    checkKey(key);
    return read(key, true);
  }

  private Optional<StoredObject> read(String key, boolean withMetadata) {
    Path file = fileOf(key);
    try {
      BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
      if (!attributes.isRegularFile()) {
        return Optional.empty();
      }
      Optional<Properties> sidecar = readSidecar(key);
      boolean matches =
          sidecar.isPresent()
              && String.valueOf(attributes.fileKey()).equals(sidecar.get().getProperty(FILE_KEY))
              && String.valueOf(attributes.size()).equals(sidecar.get().getProperty(SIZE));
      String etag = matches ? sidecar.get().getProperty(ETAG) : md5Of(file);
      Map<String, String> metadata = matches && withMetadata ? metadataOf(sidecar.get()) : Map.of();
      return Optional.of(
          new StoredObject(key, attributes.size(), etag, attributes.lastModifiedTime().toInstant(), metadata));
    } catch (NoSuchFileException | NotDirectoryException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw failure("stat", key, e);
    }
  }

  @Override
  public InputStream get(String key) {
    checkKey(key);
    Path file = fileOf(key);
    try {
      if (Files.isDirectory(file)) {
        throw new ObjectNotFoundException(describe(), key);
      }
      return Files.newInputStream(file);
    } catch (NoSuchFileException | NotDirectoryException e) {
      throw new ObjectNotFoundException(describe(), key);
    } catch (IOException e) {
      throw failure("get", key, e);
    }
  }

  @Override
  public StoredObject put(String key, long length, InputStream content, Map<String, String> metadata) {
    checkKey(key);
    if (length < 0) {
      throw new IllegalArgumentException("length must not be negative: " + length);
    }
    Path file = fileOf(key);
    Path sidecar = sidecarOf(key);
    Path temp = null;
    Path tempSidecar = null;
    try {
      if (Files.isDirectory(file)) {
        throw new ObjectStoreException(
            "Could not put %s in %s: a key cannot be both an object and a directory of others".formatted(key, describe()));
      }
      temp = createTempFileNextTo(file);
      MessageDigest md5 = newMd5();
      long copied;
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE);
          OutputStream out = java.nio.channels.Channels.newOutputStream(channel)) {
        copied = copy(content, out, length, md5);
        if (copied < length) {
          throw new ObjectStoreException(
              "Could not put %s in %s: the stream ended after %d of %d bytes".formatted(key, describe(), copied, length));
        }
        channel.force(true);
      }
      String etag = HexFormat.of().formatHex(md5.digest());
      Object fileKey = Files.readAttributes(temp, BasicFileAttributes.class).fileKey();

      Properties properties = new Properties();
      properties.setProperty(ETAG, etag);
      properties.setProperty(FILE_KEY, String.valueOf(fileKey));
      properties.setProperty(SIZE, String.valueOf(length));
      metadata.forEach((name, value) -> properties.setProperty(META_PREFIX + name, value));
      tempSidecar = createTempFileNextTo(sidecar);
      try (FileChannel channel = FileChannel.open(tempSidecar, StandardOpenOption.WRITE);
          Writer writer = java.nio.channels.Channels.newWriter(channel, StandardCharsets.UTF_8)) {
        properties.store(writer, null);
        writer.flush();
        channel.force(true);
      }
      Files.move(tempSidecar, sidecar, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      tempSidecar = null;
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      temp = null;
      forceDirectory(file.getParent());
      BasicFileAttributes written = Files.readAttributes(file, BasicFileAttributes.class);
      return new StoredObject(key, length, etag, written.lastModifiedTime().toInstant(), metadata);
    } catch (AtomicMoveNotSupportedException e) {
      throw new ObjectStoreException(
          "Could not put %s in %s: the file system cannot rename atomically".formatted(key, describe()), e);
    } catch (FileAlreadyExistsException | DirectoryNotEmptyException | NotDirectoryException e) {
      throw new ObjectStoreException(
          "Could not put %s in %s: a key cannot be both an object and a directory of others (%s)"
              .formatted(key, describe(), e.getMessage()),
          e);
    } catch (IOException e) {
      throw failure("put", key, e);
    } finally {
      deleteQuietly(temp);
      deleteQuietly(tempSidecar);
    }
  }

  @Override
  public void delete(String key) {
    checkKey(key);
    try {
      Path file = fileOf(key);
      if (Files.isDirectory(file)) {
        return;
      }
      Files.deleteIfExists(file);
      Files.deleteIfExists(sidecarOf(key));
      removeEmptyDirectories(file.getParent(), root);
      removeEmptyDirectories(sidecarOf(key).getParent(), metaRoot);
    } catch (IOException e) {
      throw failure("delete", key, e);
    }
  }

  @Override
  public void close() {
    // Nothing to release.
  }

  @Override
  public String toString() {
    return "FileSystemObjectStore[" + describe() + "]";
  }

  // ----------------------------------------------------------------------------------- helpers

  private void checkKey(String key) {
    if (key == null || key.isEmpty() || key.startsWith("/") || key.endsWith("/")) {
      throw new IllegalArgumentException("A key must be a non-empty relative path, not " + key);
    }
    for (String segment : key.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..") || segment.startsWith(RESERVED_PREFIX)
          || segment.indexOf('\0') >= 0) {
        throw new IllegalArgumentException(
            "A key's segments must be neither empty, '.', '..' nor start with " + RESERVED_PREFIX + ": " + key);
      }
    }
  }

  private Path fileOf(String key) {
    return root.resolve(key);
  }

  private Path sidecarOf(String key) {
    return metaRoot.resolve(key + ".properties");
  }

  private String keyOf(Path file) {
    return root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
  }

  private Optional<Properties> readSidecar(String key) throws IOException {
    try (Reader reader = Files.newBufferedReader(sidecarOf(key), StandardCharsets.UTF_8)) {
      Properties properties = new Properties();
      properties.load(reader);
      return Optional.of(properties);
    } catch (NoSuchFileException | NotDirectoryException e) {
      return Optional.empty();
    }
  }

  private static Map<String, String> metadataOf(Properties sidecar) {
    Map<String, String> metadata = new TreeMap<>();
    for (String name : sidecar.stringPropertyNames()) {
      if (name.startsWith(META_PREFIX)) {
        metadata.put(name.substring(META_PREFIX.length()), sidecar.getProperty(name));
      }
    }
    return metadata;
  }

  /**
   * A new empty temporary file in {@code target}'s directory, which is created as needed; again if
   * a concurrent delete removed the directory in between.
   */
  private static Path createTempFileNextTo(Path target) throws IOException {
    for (int attempt = 1; ; attempt++) {
      Files.createDirectories(target.getParent());
      try {
        return Files.createFile(target.resolveSibling(TEMP_PREFIX + UUID.randomUUID()));
      } catch (NoSuchFileException e) {
        if (attempt == 10) {
          throw e;
        }
      }
    }
  }

  private static void forceDirectory(Path directory) {
    // Makes the rename durable; not every platform can open a directory, which is fine.
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // best effort
    }
  }

  private static void removeEmptyDirectories(Path directory, Path top) throws IOException {
    for (Path dir = directory; dir != null && dir.startsWith(top) && !dir.equals(top); dir = dir.getParent()) {
      try {
        Files.delete(dir);
      } catch (DirectoryNotEmptyException | NoSuchFileException e) {
        return;
      }
    }
  }

  private static void deleteQuietly(Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        // A leftover temporary file is hidden from listings.
      }
    }
  }

  private static String md5Of(Path file) throws IOException {
    MessageDigest md5 = newMd5();
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), md5)) {
      in.transferTo(OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(md5.digest());
  }

  private static MessageDigest newMd5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has MD5", e);
    }
  }

  private ObjectStoreException failure(String operation, String key, IOException e) {
    return new ObjectStoreException("Could not %s %s in %s: %s".formatted(operation, key, describe(), e), e);
  }

  private static int compareCodePoints(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }

  /** Copies the first {@code length} bytes (no more: S3 also ignores what follows its length). */
  private static long copy(InputStream in, OutputStream out, long length, MessageDigest md5) throws IOException {
    byte[] buffer = new byte[64 * 1024];
    long copied = 0;
    while (copied < length) {
      int read = in.read(buffer, 0, (int) Math.min(buffer.length, length - copied));
      if (read < 0) {
        break;
      }
      md5.update(buffer, 0, read);
      out.write(buffer, 0, read);
      copied += read;
    }
    return copied;
  }
}
