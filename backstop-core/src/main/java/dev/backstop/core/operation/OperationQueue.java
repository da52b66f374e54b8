package dev.backstop.core.operation;

/**
 * Where operations wait to be run: durable, shared by every Backstop instance on the database.
 */
public interface OperationQueue {

  /**
   * Queues the operation to run as soon as an instance is free. Part of the caller's transaction
   * when one is open, so that the work and the state it acts on are recorded together.
   * Idempotent: an operation already queued or running is not queued a second time.
   */
  void submit(String operation);
}
