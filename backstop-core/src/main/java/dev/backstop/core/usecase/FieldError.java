package dev.backstop.core.usecase;

import java.util.Objects;

/**
 * One thing wrong with a request's input.
 *
 * @param field where: a JSON path ({@code components.search.repository}, {@code permissions[2]})
 *     or a parameter's name
 * @param message what, phrased to follow the field's name ({@code is required}, {@code must be …})
 */
public record FieldError(String field, String message) {

  public FieldError {
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(message, "message");
  }
}
