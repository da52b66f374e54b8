package dev.backstop.core.operation;

/**
 * One run of an operation as the engine handed it out: which operation, and the engine's version of
 * that run. A later run of the same operation (after a takeover) has a higher version, so a claim
 * made with this ticket fails once the operation was taken over.
 *
 * @param operation the operation's key
 * @param version the engine's version of this run
 */
public record Ticket(String operation, long version) {}
