package dev.backstop.core.notification;

import java.time.Instant;
import java.util.Objects;

/** How one attempt to deliver went. Only a 2xx answer delivers. */
public sealed interface Attempt {

  /** When it was made. */
  Instant at();

  /** The receiver answered with this HTTP status (redirects are answers too, and are not followed). */
  record Answered(Instant at, int status) implements Attempt {
    public Answered {
      Objects.requireNonNull(at, "at");
      if (status < 100 || status > 999) {
        throw new IllegalArgumentException("not an HTTP status: " + status);
      }
    }
  }

  /**
   * Nothing was answered: the destination is not allowed (any more), its name did not resolve, the
   * connection was refused or timed out, no answer came in time.
   *
   * @param error in words, never with the secret or the signature
   */
  record NotSent(Instant at, String error) implements Attempt {
    public NotSent {
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(error, "error");
    }
  }

  default boolean delivered() {
    return this instanceof Answered answered && answered.status() >= 200 && answered.status() < 300;
  }
}
