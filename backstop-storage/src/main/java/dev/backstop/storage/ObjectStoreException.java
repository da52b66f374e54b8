package dev.backstop.storage;

/** A store failed, after its own retries; the message names the store, the operation and the key. */
public class ObjectStoreException extends RuntimeException {

  public ObjectStoreException(String message, Throwable cause) {
    super(message, cause);
  }

  public ObjectStoreException(String message) {
    super(message);
  }
}
