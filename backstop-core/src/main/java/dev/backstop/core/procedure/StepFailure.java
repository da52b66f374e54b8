package dev.backstop.core.procedure;

import dev.backstop.core.backup.Component;

/** A step of a procedure failed because of a component; the message names both. */
final class StepFailure extends RuntimeException {

  final Component component;

  StepFailure(Component component, String step, String message) {
    super(component + " failed at step '" + step + "': " + message);
    this.component = component;
  }
}
