package dev.backstop.core.usecase;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** Collects every error in a request's input, so that the caller learns them all at once. */
public final class Validation {

  private final List<FieldError> errors = new ArrayList<>();

  public void add(String field, String message) {
    errors.add(new FieldError(field, message));
  }

  public void addAll(List<FieldError> more) {
    errors.addAll(more);
  }

  /** Adds the problem a rule found, if any (rules answer {@code Optional<String>} messages). */
  public void check(String field, Optional<String> problem) {
    problem.ifPresent(message -> add(field, message));
  }

  /** Adds "is required" unless the value is present (and, for text, not blank). */
  public boolean required(String field, Object value) {
    if (value == null || (value instanceof String text && text.isBlank())) {
      add(field, "is required");
      return false;
    }
    return true;
  }

  /**
   * Parses a present value, recording the parser's {@link IllegalArgumentException} message as
   * the field's error; null for an absent or unparsable value.
   */
  public <T> T parse(String field, String value, Function<String, T> parser) {
    if (value == null) {
      return null;
    }
    try {
      return parser.apply(value);
    } catch (IllegalArgumentException e) {
      add(field, e.getMessage() == null ? "is invalid" : e.getMessage());
      return null;
    }
  }

  public boolean hasErrors() {
    return !errors.isEmpty();
  }

  public List<FieldError> errors() {
    return List.copyOf(errors);
  }

  /** {@link Result.Invalid} with every error when there is any; else the value the supplier makes. */
  public <T> Result<T> orElse(java.util.function.Supplier<Result<T>> valid) {
    return hasErrors() ? Result.invalid(errors()) : valid.get();
  }
}
