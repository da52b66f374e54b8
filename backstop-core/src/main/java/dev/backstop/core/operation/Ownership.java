package dev.backstop.core.operation;

/**
 * The right to write an operation's state, won by claiming it with a {@link Ticket}. Every claim
 * gets a higher token than the one before, so the writes of a runner that was taken over are
 * rejected ({@link OwnershipLost}), whenever it wakes up.
 *
 * @param operation the operation's key
 * @param token the fencing token every write carries
 */
public record Ownership(String operation, long token) {}
