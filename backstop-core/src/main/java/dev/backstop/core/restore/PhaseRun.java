package dev.backstop.core.restore;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One phase of a restore as it ran.
 *
 * @param phase which
 * @param state PENDING, RUNNING, WAITING (for the operator), CONFIRMED (by the operator),
 *     COMPLETED or FAILED
 * @param startedAt when it last started
 * @param endedAt when it ended
 * @param detail what it did, or why it failed
 */
public record PhaseRun(RestorePhase phase, State state, Optional<Instant> startedAt, Optional<Instant> endedAt, Optional<String> detail) {

  public enum State {
    PENDING,
    RUNNING,
    WAITING,
    CONFIRMED,
    COMPLETED,
    FAILED
  }

  public PhaseRun {
    Objects.requireNonNull(phase);
    Objects.requireNonNull(state);
  }

  static PhaseRun pending(RestorePhase phase) {
    return new PhaseRun(phase, State.PENDING, Optional.empty(), Optional.empty(), Optional.empty());
  }

  PhaseRun with(State newState, Instant now, String newDetail) {
    Optional<Instant> started = startedAt.isPresent() && state != State.PENDING ? startedAt : Optional.of(now);
    boolean ends = newState == State.COMPLETED || newState == State.FAILED;
    return new PhaseRun(phase, newState, started, ends ? Optional.of(now) : Optional.empty(), Optional.ofNullable(newDetail));
  }
}
