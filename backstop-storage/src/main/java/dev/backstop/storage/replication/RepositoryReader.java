package dev.backstop.storage.replication;

import dev.backstop.storage.ObjectStore;

/** Reads the committed generation of a search snapshot repository kept in a store. */
@FunctionalInterface
interface RepositoryReader {

  /**
   * @throws dev.backstop.storage.ObjectStoreException when the store failed
   * @throws IllegalStateException when a file is not in a format understood: nothing may be
   *     removed on the strength of a misread
   */
  RepositoryGeneration read(ObjectStore store, String basePath);
}
