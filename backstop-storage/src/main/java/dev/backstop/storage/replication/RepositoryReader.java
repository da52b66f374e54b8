package dev.backstop.storage.replication;

import dev.backstop.storage.ObjectStore;

/** Reads the committed generation of a search snapshot repository kept in a store. */
interface RepositoryReader {

  /**
   * @throws dev.backstop.storage.ObjectStoreException when the store failed
   * @throws IllegalStateException when a file is not in a format understood: nothing may be
   *     removed on the strength of a misread
   */
  RepositoryGeneration read(ObjectStore store, String basePath);

  /**
   * Only the number of the committed generation ({@code index.latest}, else the highest {@code
   * index-N}); -1 for a repository nothing was written to. One small read, not the whole layout.
   */
  long generation(ObjectStore store, String basePath);
}
