package dev.backstop.core.operation;

/**
 * The thread running an operation was interrupted (Backstop is shutting down): the subject stays
 * where it is, saved, for the next run to carry on.
 */
public final class Interrupted extends Halt {
  public Interrupted(InterruptedException cause) {
    super("run interrupted", cause);
  }
}
