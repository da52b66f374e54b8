package dev.backstop.core.testing;

import dev.backstop.core.operation.OperationHandler;
import dev.backstop.core.operation.OperationQueue;
import dev.backstop.core.operation.RunOutcome;
import dev.backstop.core.operation.Ticket;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A hand-written stand-in for the engine (db-scheduler in the server): operations wait in a map with
 * their due time and run when the test says so ({@link #runDue}), on the calling thread. Each run
 * gets a new version, as db-scheduler's picks do; a run that throws is retried after {@link
 * #FAILURE_RETRY}.
 */
public final class InMemoryOperationEngine implements OperationQueue {

  public static final Duration FAILURE_RETRY = Duration.ofSeconds(1);

  private record Queued(Instant due, long version) {}

  private final Map<String, Queued> queued = new LinkedHashMap<>();
  private final SettableClock clock;
  private OperationHandler handler;
  private boolean running;

  public InMemoryOperationEngine(SettableClock clock) {
    this.clock = clock;
  }

  public void handledBy(OperationHandler handler) {
    this.handler = handler;
  }

  @Override
  public synchronized void submit(String operation) {
    queued.putIfAbsent(operation, new Queued(clock.instant(), 0));
  }

  /** The version of the operation's current run (what a claim must present). */
  public synchronized long currentRun(String operation) {
    Queued q = queued.get(operation);
    return q == null ? -1 : q.version();
  }

  public synchronized boolean isQueued(String operation) {
    return queued.containsKey(operation);
  }

  public synchronized Instant dueAt(String operation) {
    return queued.get(operation).due();
  }

  /**
   * Runs every operation due now, and those its runs queue, until none is due (at most 100 runs,
   * against a run that never ends).
   */
  public void runDue() {
    if (running) {
      return; // called from inside a run (e.g. a use case that queued more work): the outer loop picks it up
    }
    running = true;
    try {
      for (int runs = 0; runs < 100; runs++) {
        String next = nextDue();
        if (next == null) {
          return;
        }
        runOnce(next);
      }
      throw new IllegalStateException("operations keep coming due: " + queued);
    } finally {
      running = false;
    }
  }

  /** Hands out the next run of an operation without running it (a run that then stalls). */
  public synchronized Ticket pick(String operation) {
    Queued q = queued.get(operation);
    Queued picked = new Queued(q.due(), q.version() + 1);
    queued.put(operation, picked);
    return new Ticket(operation, picked.version());
  }

  private synchronized String nextDue() {
    Instant now = clock.instant();
    return queued.entrySet().stream().filter(e -> !e.getValue().due().isAfter(now)).map(Map.Entry::getKey).findFirst().orElse(null);
  }

  private void runOnce(String operation) {
    Ticket ticket = pick(operation);
    RunOutcome outcome;
    try {
      outcome = handler.run(ticket);
    } catch (RuntimeException e) {
      reschedule(ticket, clock.instant().plus(FAILURE_RETRY));
      return;
    }
    switch (outcome) {
      case RunOutcome.Finished finished -> remove(ticket);
      case RunOutcome.RetryAt retry -> reschedule(ticket, retry.at());
    }
  }

  private synchronized void reschedule(Ticket ticket, Instant at) {
    Queued q = queued.get(ticket.operation());
    if (q != null && q.version() == ticket.version()) {
      queued.put(ticket.operation(), new Queued(at, q.version() + 1));
    }
  }

  private synchronized void remove(Ticket ticket) {
    Queued q = queued.get(ticket.operation());
    if (q != null && q.version() == ticket.version()) {
      queued.remove(ticket.operation());
    }
  }

  public synchronized List<String> queued() {
    return List.copyOf(queued.keySet());
  }
}
