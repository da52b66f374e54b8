package dev.backstop.core.usecase;

import java.util.List;
import java.util.function.Function;

/**
 * What a use case answers: its value, or why there is none. Expected outcomes, never thrown; the
 * edge maps each kind once (an exhaustive {@code switch}, no {@code default}). A use case that
 * answers anything but {@link Ok} has changed nothing.
 *
 * @param <T> the value of a success
 */
public sealed interface Result<T> {

  /** Done; here is the value. */
  record Ok<T>(T value) implements Result<T> {}

  /** The input is wrong, every error named; asking again with the same input fails again. */
  record Invalid<T>(List<FieldError> errors) implements Result<T> {
    public Invalid {
      if (errors.isEmpty()) {
        throw new IllegalArgumentException("an invalid input has at least one error");
      }
      errors = List.copyOf(errors);
    }
  }

  /** What the request is about does not exist, or the actor may not see it (indistinguishably). */
  record NotFound<T>(String detail) implements Result<T> {}

  /** The actor may see it but not do this. */
  record Forbidden<T>(String detail) implements Result<T> {}

  /** The input clashes with what exists (a name taken), naming the fields; other input may succeed. */
  record Conflict<T>(String detail, List<FieldError> errors) implements Result<T> {
    public Conflict {
      errors = List.copyOf(errors);
    }
  }

  static <T> Result<T> ok(T value) {
    return new Ok<>(value);
  }

  static <T> Result<T> invalid(List<FieldError> errors) {
    return new Invalid<>(errors);
  }

  static <T> Result<T> notFound(String detail) {
    return new NotFound<>(detail);
  }

  /** The same outcome with the success's value mapped. */
  default <U> Result<U> map(Function<? super T, ? extends U> mapper) {
    return switch (this) {
      case Ok<T> ok -> new Ok<>(mapper.apply(ok.value()));
      case Invalid<T> invalid -> new Invalid<>(invalid.errors());
      case NotFound<T> notFound -> new NotFound<>(notFound.detail());
      case Forbidden<T> forbidden -> new Forbidden<>(forbidden.detail());
      case Conflict<T> conflict -> new Conflict<>(conflict.detail(), conflict.errors());
    };
  }

  /** The outcome of the next step on success; this outcome otherwise. */
  default <U> Result<U> then(Function<? super T, Result<U>> next) {
    return switch (this) {
      case Ok<T> ok -> next.apply(ok.value());
      case Invalid<T> invalid -> new Invalid<>(invalid.errors());
      case NotFound<T> notFound -> new NotFound<>(notFound.detail());
      case Forbidden<T> forbidden -> new Forbidden<>(forbidden.detail());
      case Conflict<T> conflict -> new Conflict<>(conflict.detail(), conflict.errors());
    };
  }

  /** The success without a value of use cases that only do something. */
  enum Done {
    DONE
  }
}
