package dev.backstop.core.procedure;

import dev.backstop.core.backup.Component;

/**
 * A step of a procedure failed because of a component; the message names both, and for a part
 * that lives in another component (the records snapshot, in the search engine) that one too.
 */
final class StepFailure extends RuntimeException {

  final Component component;

  StepFailure(Component component, String step, String message) {
    super(component + " failed at step '" + step + "'" + heldBy(component) + ": " + message);
    this.component = component;
  }

  /** Where a part lives when its name does not say it: an operator looks there. */
  private static String heldBy(Component component) {
    return component == Component.ZEEBE_RECORDS ? " in the search engine" : "";
  }
}
