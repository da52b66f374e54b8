package dev.backstop.core.operation;

import java.time.Instant;

/** How one run of an operation ended. */
public sealed interface RunOutcome {

  /** Nothing is left to do: the engine forgets the operation. */
  record Finished() implements RunOutcome {}

  /**
   * Work is left that must be tried again (a resume Zeebe refused, a deletion that could not
   * finish): the engine runs the operation again at {@code at}, on whichever instance is free.
   */
  record RetryAt(Instant at, String reason) implements RunOutcome {}

  static RunOutcome finished() {
    return new Finished();
  }
}
