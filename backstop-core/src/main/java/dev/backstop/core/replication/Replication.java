package dev.backstop.core.replication;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A backup's copy in its cluster's secondary region. Immutable; the changes of state are checked
 * by {@link ReplicationState}.
 *
 * @param state where it stands
 * @param objects objects copied so far (those the secondary already held are not counted)
 * @param bytes bytes copied so far
 * @param startedAt when copying first started
 * @param endedAt when it completed or failed
 * @param failureReason why it failed, once the retries were spent
 */
public record Replication(
    ReplicationState state,
    long objects,
    long bytes,
    Optional<Instant> startedAt,
    Optional<Instant> endedAt,
    Optional<String> failureReason) {

  public Replication {
    Objects.requireNonNull(state);
    Objects.requireNonNull(startedAt);
    Objects.requireNonNull(endedAt);
    Objects.requireNonNull(failureReason);
  }

  public static Replication notRequired() {
    return new Replication(ReplicationState.NOT_REQUIRED, 0, 0, Optional.empty(), Optional.empty(), Optional.empty());
  }

  public static Replication pending() {
    return new Replication(ReplicationState.PENDING, 0, 0, Optional.empty(), Optional.empty(), Optional.empty());
  }

  /** Copying starts, or carries on where an earlier attempt left it. */
  public Replication inProgress(Instant now) {
    if (state == ReplicationState.IN_PROGRESS) {
      return this;
    }
    state.requireChangeTo(ReplicationState.IN_PROGRESS);
    return new Replication(ReplicationState.IN_PROGRESS, objects, bytes, Optional.of(startedAt.orElse(now)), Optional.empty(), Optional.empty());
  }

  /** More was copied. */
  public Replication copied(long moreObjects, long moreBytes) {
    return new Replication(state, objects + moreObjects, bytes + moreBytes, startedAt, endedAt, failureReason);
  }

  public Replication completed(Instant now) {
    state.requireChangeTo(ReplicationState.COMPLETED);
    return new Replication(ReplicationState.COMPLETED, objects, bytes, startedAt, Optional.of(now), Optional.empty());
  }

  /** Failed for good: the retries are spent. A later trigger may {@link #retried} it. */
  public Replication failed(String reason, Instant now) {
    state.requireChangeTo(ReplicationState.FAILED);
    return new Replication(ReplicationState.FAILED, objects, bytes, startedAt, Optional.of(now), Optional.of(reason));
  }

  /** A failed replication asked for again: pending, its counts kept. */
  public Replication retried() {
    state.requireChangeTo(ReplicationState.PENDING);
    return new Replication(ReplicationState.PENDING, objects, bytes, startedAt, Optional.empty(), Optional.empty());
  }

  /** The backup failed: there is nothing to copy. */
  public Replication notNeeded() {
    if (state == ReplicationState.NOT_REQUIRED) {
      return this;
    }
    state.requireChangeTo(ReplicationState.NOT_REQUIRED);
    return notRequired();
  }
}
