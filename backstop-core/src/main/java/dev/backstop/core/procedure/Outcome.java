package dev.backstop.core.procedure;

/**
 * The outcome of one call to a component, as a value: it answered as hoped ({@link Ok}), it
 * answered with a refusal ({@link Refused}: asking again the same way will not help), or it did
 * not answer usefully ({@link Unreachable}: down, timing out or failing internally; asking again
 * later may help).
 */
public sealed interface Outcome<T> {

  record Ok<T>(T value) implements Outcome<T> {}

  /**
   * @param status the HTTP status the component answered with
   * @param message what it said
   */
  record Refused<T>(int status, String message) implements Outcome<T> {}

  record Unreachable<T>(String message) implements Outcome<T> {}

  static <T> Outcome<T> ok(T value) {
    return new Ok<>(value);
  }

  static Outcome<Void> done() {
    return new Ok<>(null);
  }

  /** A short description for failure reasons and logs. */
  default String describe() {
    return switch (this) {
      case Ok<T> ok -> "ok";
      case Refused<T> refused -> "refused (HTTP " + refused.status() + "): " + refused.message();
      case Unreachable<T> unreachable -> "unreachable: " + unreachable.message();
    };
  }
}
