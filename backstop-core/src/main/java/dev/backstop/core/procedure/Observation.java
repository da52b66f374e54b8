package dev.backstop.core.procedure;

/**
 * What a component says about a backup or snapshot being taken. Only {@link Completed} and {@link
 * Failed} end a wait; {@link NotFound} right after a start only means "not visible yet".
 */
public sealed interface Observation {

  record Completed(String detail) implements Observation {}

  record InProgress(String detail) implements Observation {}

  record Failed(String reason) implements Observation {}

  record NotFound(String detail) implements Observation {}

  /** No useful answer (connection refused, timeout, 5xx, an answer that cannot be read). */
  record Unreachable(String reason) implements Observation {}
}
