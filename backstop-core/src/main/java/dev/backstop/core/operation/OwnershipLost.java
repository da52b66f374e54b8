package dev.backstop.core.operation;

/**
 * A write was rejected because another run took the operation over (this runner stalled or was
 * thought dead). Permanent for this run: it must stop at once and touch nothing more.
 */
public final class OwnershipLost extends RuntimeException {
  public OwnershipLost(String message) {
    super(message);
  }
}
