package dev.backstop.core.operation;

/**
 * Runs one kind of operation. The engine calls it on one instance at a time per operation; it
 * claims the operation with the ticket before it writes anything.
 */
@FunctionalInterface
public interface OperationHandler {

  /**
   * Runs (or carries on) the operation from its saved state.
   *
   * @return whether work is left, and when to try it again
   * @throws OwnershipLost when the operation was taken over meanwhile: stop, write nothing
   * @throws RuntimeException when the run was cut short (the database away, an interrupt): the
   *     engine runs it again later, with backoff
   */
  RunOutcome run(Ticket ticket);
}
