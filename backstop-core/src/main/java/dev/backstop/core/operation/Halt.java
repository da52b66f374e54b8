package dev.backstop.core.operation;

/**
 * A run stopped without deciding its subject's fate: interrupted, or its progress could not be
 * saved (the database is away), or a listener stopped it. What was saved stands; the engine runs
 * the operation again later and it carries on from there.
 */
public class Halt extends RuntimeException {
  public Halt(String message, Throwable cause) {
    super(message, cause);
  }
}
