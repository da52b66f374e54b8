package dev.backstop.testbed;

/** A component of the test bed could not be started, stopped or used; the message says which and why. */
public final class TestbedException extends RuntimeException {
  public TestbedException(String message) {
    super(message);
  }

  public TestbedException(String message, Throwable cause) {
    super(message, cause);
  }
}
