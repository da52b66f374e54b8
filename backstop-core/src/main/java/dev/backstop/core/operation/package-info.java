/**
 * The durable operation engine's contract, shared by every kind of long-running work (a backup's
 * procedure, its cleanup, a deletion; replication and restore next).
 *
 * <p>An operation is identified by a key and queued in the database ({@link OperationQueue}); one
 * instance at a time runs it, heartbeating while it does, and any instance takes it over when its
 * runner stopped or stalled. Whoever runs it first claims it ({@link Ticket} → {@link Ownership}),
 * and every write of the operation's state is fenced by that ownership: a runner that was taken
 * over writes nothing ({@link OwnershipLost}). Work that must be repeated (a resume, a deletion a
 * component refused) ends a run with {@link RunOutcome.RetryAt}, its attempts recorded as a {@link
 * RetryState} that the API shows; {@link Backoff} spaces the attempts. {@link StepRunner} runs any
 * procedure's named steps durably (saved before and after each, one failure path); each procedure
 * has its own step type, which the runner does not know. A run that stops without deciding throws
 * {@link Halt} ({@link Interrupted} when Backstop is stopping).
 */
package dev.backstop.core.operation;
