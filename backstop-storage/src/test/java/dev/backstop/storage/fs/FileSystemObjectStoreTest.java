package dev.backstop.storage.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backstop.storage.ObjectStore;
import dev.backstop.storage.ObjectStoreContract;
import dev.backstop.storage.ObjectStoreException;
import dev.backstop.storage.StoredObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSystemObjectStoreTest extends ObjectStoreContract {

  @TempDir Path temp;
  private final AtomicInteger stores = new AtomicInteger();

  @Override
  protected ObjectStore createStore() {
    return new FileSystemObjectStore(temp.resolve("store-" + stores.incrementAndGet()));
  }

  @Override
  protected Optional<Parts> parts() {
    return Optional.empty();
  }

  private Path root() {
    return ((FileSystemObjectStore) store).root();
  }

  @Test
  void shouldKeepObjectsAsPlainFilesUnderTheRoot() throws IOException {
    put("a/b/c.json", "{}".getBytes(), Map.of());

    assertThat(root().resolve("a/b/c.json")).hasContent("{}");
  }

  @Test
  void shouldHideSidecarsAndTemporaryFilesFromListings() throws IOException {
    // given
    put("x", new byte[] {1}, Map.of("m", "v"));
    Files.createDirectories(root().resolve("dir"));
    Files.writeString(root().resolve("dir").resolve(".backstop-tmp-left-over"), "");
    Files.writeString(root().resolve(".backstop-tmp-left-over"), "");

    // then
    assertThat(root().resolve(FileSystemObjectStore.META_DIR)).isDirectory();
    assertThat(store.list("")).extracting(StoredObject::key).containsExactly("x");
  }

  @Test
  void shouldRemoveDirectoriesThatADeleteLeavesEmpty() {
    // given
    put("a/b/c", new byte[] {1}, Map.of("m", "v"));
    put("a/d", new byte[] {1}, Map.of());

    // when
    store.delete("a/b/c");

    // then
    assertThat(root().resolve("a/b")).doesNotExist();
    assertThat(root().resolve(FileSystemObjectStore.META_DIR).resolve("a/b")).doesNotExist();
    assertThat(root().resolve("a")).isDirectory();
  }

  @Test
  void shouldComputeTheEtagAgainWhenTheSidecarDoesNotDescribeTheFile() throws IOException {
    // given: as after a crash between the sidecar's rename and the content's
    put("crashed", "old".getBytes(), Map.of("version", "1"));
    Path other = Files.writeString(temp.resolve("another-file"), "new!");
    Files.move(other, root().resolve("crashed"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);

    // when
    StoredObject found = store.stat("crashed").orElseThrow();

    // then
    assertThat(found.etag()).isEqualTo(hex(md5("new!".getBytes())));
    assertThat(found.size()).isEqualTo(4);
    assertThat(found.metadata()).isEmpty();
  }

  @Test
  void shouldRefuseKeysOutsideTheRootOrReservedForItself() {
    for (String key : new String[] {"../escape", "/absolute", "a//b", "a/./b", "dir/", ".backstop-meta/x"}) {
      assertThatThrownBy(() -> store.stat(key)).as(key).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void shouldRefuseAKeyThatIsAlsoADirectoryOfOthers() {
    put("a/b", new byte[] {1}, Map.of());

    assertThatThrownBy(() -> put("a", new byte[] {2}, Map.of()))
        .isInstanceOf(ObjectStoreException.class)
        .hasMessageContaining("both an object and a directory");
    assertThatThrownBy(() -> put("a/b/c", new byte[] {2}, Map.of())).isInstanceOf(ObjectStoreException.class);
    assertThat(store.list("")).extracting(StoredObject::key).containsExactly("a/b");
  }
}
