package dev.backstop.storage;

import java.util.Optional;

/** The in-memory fake keeps the same contract as the real stores. */
class InMemoryObjectStoreTest extends ObjectStoreContract {

  @Override
  protected ObjectStore createStore() {
    return new InMemoryObjectStore();
  }

  @Override
  protected Optional<Parts> parts() {
    return Optional.empty();
  }
}
