package dev.backstop.storage;

/** There is no object of that key. */
public class ObjectNotFoundException extends ObjectStoreException {

  public ObjectNotFoundException(String store, String key) {
    super("No object " + key + " in " + store);
  }
}
