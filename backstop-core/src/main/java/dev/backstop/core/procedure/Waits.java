package dev.backstop.core.procedure;

import dev.backstop.core.operation.Interrupted;
import dev.backstop.core.backup.Component;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The waiting the procedures share: deadlines, pauses between polls that grow by half up to a
 * maximum, and a tolerance for a component that does not answer for a while. Time comes from the
 * clock and pauses from the {@link Sleeper}, so tests play hours out without waiting.
 */
public final class Waits {

  /** Pauses between polls; tests pass one that does not really sleep. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  private final Clock clock;
  private final Duration firstPoll;
  private final Duration maxPoll;
  private final Duration unreachableTolerance;
  private final Sleeper sleeper;

  /**
   * @param firstPoll the first pause between polls; it grows by half each time …
   * @param maxPoll … up to this
   * @param unreachableTolerance how long a component may not answer during a wait before the wait fails
   */
  public Waits(Clock clock, Duration firstPoll, Duration maxPoll, Duration unreachableTolerance, Sleeper sleeper) {
    this.clock = clock;
    this.firstPoll = firstPoll;
    this.maxPoll = maxPoll;
    this.unreachableTolerance = unreachableTolerance;
    this.sleeper = sleeper;
  }

  /** A deadline {@code length} after {@code start}. */
  public Deadline deadline(Instant start, Duration length) {
    return new Deadline(start.plus(length), length);
  }

  /** A deadline {@code length} from now. */
  public Deadline deadlineFromNow(Duration length) {
    return deadline(clock.instant(), length);
  }

  public Duration unreachableTolerance() {
    return unreachableTolerance;
  }

  /** A wait in progress: the pause before the next poll grows each time. */
  public Poll poll() {
    return new Poll(maxPoll);
  }

  /**
   * A wait whose pauses grow to at most {@code max} (if that is below the usual maximum): for
   * polls that cost the components little, or that are made while the cluster pays for the wait.
   */
  public Poll poll(Duration max) {
    return new Poll(max.compareTo(maxPoll) < 0 ? max : maxPoll);
  }

  /**
   * Calls an idempotent {@code call} until it is {@link Outcome.Ok} or {@code timeout} has passed.
   *
   * @return the last outcome
   */
  public Outcome<Void> repeatUntilOk(Duration timeout, Supplier<Outcome<Void>> call) {
    Deadline deadline = deadlineFromNow(timeout);
    Poll poll = poll();
    Outcome<Void> outcome = call.get();
    while (!(outcome instanceof Outcome.Ok) && !deadline.passed()) {
      poll.pause();
      outcome = call.get();
    }
    return outcome;
  }

  /** Waits while {@code stillWaiting}, for at most {@code timeout}. */
  public void awaitWhile(Duration timeout, BooleanSupplier stillWaiting) {
    Deadline deadline = deadlineFromNow(timeout);
    Poll poll = poll();
    while (stillWaiting.getAsBoolean() && !deadline.passed()) {
      poll.pause();
    }
  }

  /**
   * Polls one component until it reports COMPLETED.
   *
   * @throws StepFailure when it reports a failure, does not answer for longer than tolerated, or the deadline passes
   */
  public void awaitCompleted(Component component, String step, Deadline deadline, Supplier<Observation> status) {
    awaitCompleted(component, step, deadline, status, poll());
  }

  /**
   * {@link #awaitCompleted(Component, String, Deadline, Supplier)}, paced by {@code poll}.
   *
   * @throws StepFailure when it reports a failure, does not answer for longer than tolerated, or the deadline passes
   */
  public void awaitCompleted(Component component, String step, Deadline deadline, Supplier<Observation> status, Poll poll) {
    Unanswered unanswered = new Unanswered();
    while (true) {
      Optional<String> progress = judge(component, step, status.get(), unanswered);
      if (progress.isEmpty()) {
        return;
      }
      if (deadline.passed()) {
        throw new StepFailure(component, step, "not completed within " + deadline.length() + " (last: " + progress.get() + ")");
      }
      poll.pause();
    }
  }

  /**
   * Judges one observation during a wait: empty when completed, the progress text while it runs.
   *
   * @param unanswered since when each component has not answered, kept across the polls of one wait
   * @throws StepFailure when it failed, or the component has not answered for longer than tolerated
   */
  public Optional<String> judge(Component component, String step, Observation observation, Unanswered unanswered) {
    if (!(observation instanceof Observation.Unreachable)) {
      unanswered.since.remove(component);
    }
    return switch (observation) {
      case Observation.Completed completed -> Optional.empty();
      case Observation.InProgress inProgress -> Optional.of(inProgress.detail());
      case Observation.NotFound notFound -> Optional.of("not visible yet");
      case Observation.Failed failed -> throw new StepFailure(component, step, "backup failed: " + failed.reason());
      case Observation.Unreachable unreachable -> {
        Instant since = unanswered.since.computeIfAbsent(component, c -> clock.instant());
        if (Duration.between(since, clock.instant()).compareTo(unreachableTolerance) >= 0) {
          throw new StepFailure(component, step, "no answer for " + unreachableTolerance.toSeconds() + " s: " + unreachable.reason());
        }
        yield Optional.of("no answer: " + unreachable.reason());
      }
    };
  }

  /** Since when each component has not answered, during one wait. */
  public static final class Unanswered {
    private final Map<Component, Instant> since = new java.util.EnumMap<>(Component.class);
  }

  /** A point in time a wait must not pass. */
  public final class Deadline {
    private final Instant end;
    private final Duration length;

    private Deadline(Instant end, Duration length) {
      this.end = end;
      this.length = length;
    }

    public boolean passed() {
      return !clock.instant().isBefore(end);
    }

    public Duration length() {
      return length;
    }
  }

  /** The pauses of one wait. */
  public final class Poll {
    private final Duration max;
    private Duration next;

    private Poll(Duration max) {
      this.max = max;
      this.next = firstPoll.compareTo(max) > 0 ? max : firstPoll;
    }

    /**
     * Sleeps before the next poll.
     *
     * @throws Interrupted when the thread is interrupted (Backstop is stopping)
     */
    public void pause() {
      try {
        sleeper.sleep(next);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new Interrupted(e);
      }
      Duration grown = next.plus(next.dividedBy(2));
      next = grown.compareTo(max) > 0 ? max : grown;
    }
  }
}
