package dev.backstop.core.notification;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One event on its way to one webhook. Starts {@link State#PENDING}, due at once; each {@link
 * Attempt} moves it on through {@link #after}, the only transition: a 2xx answer makes it {@link
 * State#DELIVERED}, anything else leaves it PENDING until the next attempt the {@link
 * RetrySchedule} allows, or makes it {@link State#FAILED} when none is left. DELIVERED and FAILED
 * are final.
 *
 * @param id also the {@code Backstop-Delivery} header, the same for every attempt (receivers
 *     dedupe with it)
 * @param eventId the event's {@code id} in the body: the same in every webhook's delivery of it
 * @param attempts how many attempts were made
 * @param lastStatus the HTTP status of the last attempt, if it was answered
 * @param lastError why the last attempt did not deliver, if it did not
 * @param nextAttemptAt when PENDING: when it is due
 * @param deliveredAt when DELIVERED: when
 */
public record Delivery(
    UUID id,
    UUID webhookId,
    UUID eventId,
    EventType type,
    Instant createdAt,
    State state,
    int attempts,
    Optional<Instant> lastAttemptAt,
    Optional<Integer> lastStatus,
    Optional<String> lastError,
    Optional<Instant> nextAttemptAt,
    Optional<Instant> deliveredAt) {

  /** Where a delivery is. */
  public enum State {
    /** Due at {@code nextAttemptAt}. */
    PENDING,
    /** A 2xx answer came. Final. */
    DELIVERED,
    /** Every attempt failed. Final. */
    FAILED
  }

  public Delivery {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(webhookId, "webhookId");
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(state, "state");
    if ((state == State.PENDING) != nextAttemptAt.isPresent()) {
      throw new IllegalArgumentException("a delivery has a next attempt exactly while PENDING");
    }
    if ((state == State.DELIVERED) != deliveredAt.isPresent()) {
      throw new IllegalArgumentException("a delivery has a delivery time exactly when DELIVERED");
    }
  }

  /** A new delivery of an event, due at once. */
  public static Delivery due(UUID id, UUID webhookId, UUID eventId, EventType type, Instant now) {
    return new Delivery(
        id, webhookId, eventId, type, now, State.PENDING, 0, Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(now), Optional.empty());
  }

  /**
   * This delivery after one more attempt: DELIVERED on a 2xx answer; otherwise PENDING until the
   * schedule's next attempt, or FAILED when the schedule has none left.
   *
   * @throws IllegalStateException when it is not PENDING (final states do not move)
   */
  public Delivery after(Attempt attempt, RetrySchedule schedule) {
    if (state != State.PENDING) {
      throw new IllegalStateException("delivery " + id + " is " + state + ": no more attempts");
    }
    int made = attempts + 1;
    Optional<Integer> status = attempt instanceof Attempt.Answered answered ? Optional.of(answered.status()) : Optional.empty();
    if (attempt.delivered()) {
      return new Delivery(
          id, webhookId, eventId, type, createdAt, State.DELIVERED, made, Optional.of(attempt.at()), status, Optional.empty(), Optional.empty(),
          Optional.of(attempt.at()));
    }
    String error =
        switch (attempt) {
          case Attempt.Answered answered -> "HTTP " + answered.status() + (answered.status() / 100 == 3 ? " (redirects are not followed)" : "");
          case Attempt.NotSent notSent -> notSent.error();
        };
    Optional<Instant> next = schedule.nextAttempt(made, attempt.at());
    return new Delivery(
        id, webhookId, eventId, type, createdAt, next.isPresent() ? State.PENDING : State.FAILED, made, Optional.of(attempt.at()), status,
        Optional.of(error), next, Optional.empty());
  }
}
