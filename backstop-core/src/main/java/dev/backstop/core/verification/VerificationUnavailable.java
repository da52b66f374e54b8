package dev.backstop.core.verification;

/**
 * A region's store could not be read this time (unreachable, refused, timed out after the
 * store's own retries). Transient: the check is repeated later, and says nothing about the backup.
 */
public class VerificationUnavailable extends RuntimeException {

  public VerificationUnavailable(String message, Throwable cause) {
    super(message, cause);
  }
}
