package dev.backstop.core.replication;

/** Replication could not go on this time; the message says where and why. Transient: retried. */
public class ReplicationException extends RuntimeException {

  public ReplicationException(String message, Throwable cause) {
    super(message, cause);
  }

  public ReplicationException(String message) {
    super(message);
  }
}
