package dev.backstop.server.api;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Collects every error in a request before answering, so the caller sees them all at once. */
final class Validation {

  private final List<ApiProblem.FieldError> errors = new ArrayList<>();

  void add(String field, String message) {
    errors.add(new ApiProblem.FieldError(field, message));
  }

  /** Adds "is required" unless the value is present (and, for text, not blank). */
  boolean required(String field, Object value) {
    if (value == null || (value instanceof String text && text.isBlank())) {
      add(field, "is required");
      return false;
    }
    return true;
  }

  /** Parses a present value, recording the parser's message as the error. */
  <T> T parse(String field, String value, Function<String, T> parser) {
    if (value == null) {
      return null;
    }
    try {
      return parser.apply(value);
    } catch (RuntimeException e) {
      add(field, e.getMessage() == null ? "is invalid" : e.getMessage());
      return null;
    }
  }

  boolean hasErrors() {
    return !errors.isEmpty();
  }

  /** @throws ApiProblem 400 listing every error, if there is any */
  void throwIfInvalid() {
    if (!errors.isEmpty()) {
      throw ApiProblem.validation(errors);
    }
  }
}
