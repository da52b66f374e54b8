package dev.backstop.server.operation;

import dev.backstop.server.persistence.AfterCommit;
import com.github.kagkarlsson.scheduler.CurrentlyExecuting;
import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.DeadExecutionHandler;
import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import com.github.kagkarlsson.scheduler.task.ExecutionOperations;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.Execution;
import dev.backstop.core.backup.BackupId;
import dev.backstop.core.event.Event;
import dev.backstop.core.event.EventSink;
import dev.backstop.core.operation.Backoff;
import dev.backstop.core.operation.OperationHandler;
import dev.backstop.core.operation.OperationQueue;
import dev.backstop.core.operation.OwnershipLost;
import dev.backstop.core.operation.RunOutcome;
import dev.backstop.core.operation.Ticket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import dev.backstop.core.restore.RestoreService;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Backups' operations as db-scheduler one-time tasks ({@value #BACKUP_OPERATION}, one instance per
 * backup): {@link OperationQueue} on one side, the task that runs an {@link OperationHandler} on
 * the other.
 *
 * <p>Why db-scheduler and not leases of our own: it already is the durable, multi-instance
 * executor Backstop needs — a picked execution is heartbeated, an execution whose heartbeat is
 * older than {@code missed-heartbeats-limit × heartbeat-interval} is revived for any instance to
 * pick, and each pick raises the execution's {@code version}, which is exactly the ticket a run
 * claims its backup with (see {@code JdbcBackupRepository#claim}). What it does not do is fence
 * the writes of a run that was taken over; the backup's own {@code fence} does that.
 */
public final class OperationEngine implements OperationQueue {

  public static final String BACKUP_OPERATION = "backup-operation";

  private static final Logger LOG = LoggerFactory.getLogger(OperationEngine.class);

  /**
   * How many times the dead limit (heartbeat interval × missed heartbeats) a run still running on
   * this instance may go without a heartbeat before it is revived all the same.
   */
  static final int HUNG_AFTER_DEAD_LIMITS = 3;

  private final ObjectProvider<Scheduler> scheduler;
  private final Clock clock;
  private final CustomTask<Void> task;
  private final Duration hungAfter;

  public OperationEngine(
      ObjectProvider<Scheduler> scheduler, Clock clock, Supplier<OperationHandler> handler, Backoff afterBrokenRuns, EventSink events,
      Duration deadLimit) {
    this(BACKUP_OPERATION, scheduler, clock, handler, afterBrokenRuns, events, deadLimit);
  }

  /**
   * An engine of another kind of operation, as its own db-scheduler task ({@code taskName}), with
   * the same durability, takeover and backoff.
   *
   * @param deadLimit how long an execution may go without a heartbeat before db-scheduler calls it
   *     dead (heartbeat interval × missed heartbeats limit)
   */
  public OperationEngine(
      String taskName, ObjectProvider<Scheduler> scheduler, Clock clock, Supplier<OperationHandler> handler, Backoff afterBrokenRuns,
      EventSink events, Duration deadLimit) {
    this.scheduler = scheduler;
    this.clock = clock;
    this.hungAfter = deadLimit.multipliedBy(HUNG_AFTER_DEAD_LIMITS);
    this.task =
        Tasks.custom(taskName, Void.class)
            .onFailure(new BackoffOnFailure(afterBrokenRuns))
            .onDeadExecution(new ReviveAndTell(events))
            .execute((instance, context) -> run(handler.get(), new Ticket(instance.getId(), context.getExecution().version)));
  }

  /** The db-scheduler task; register it with the scheduler. */
  public CustomTask<Void> task() {
    return task;
  }

  @Override
  public void submit(String operation) {
    scheduler.getObject().scheduleIfNotExists(task.instance(operation), clock.instant());
    // The due check must see the row: after the caller's transaction commits, not before.
    AfterCommit.run(() -> scheduler.getObject().triggerCheckForDueExecutions());
  }

  private CompletionHandler<Void> run(OperationHandler handler, Ticket ticket) {
    RunOutcome outcome;
    try {
      outcome = handler.run(ticket);
    } catch (OwnershipLost lost) {
      // Another run holds the operation now; this one touches nothing more, not even db-scheduler's
      // row (its version moved on). Were this run still the current one after all, its row, no
      // longer heartbeated, is revived as dead and run again.
      LOG.info("Operation {} (run {}) stops: {}", ticket.operation(), ticket.version(), lost.getMessage());
      return (complete, operations) -> {};
    }
    return switch (outcome) {
      case RunOutcome.Finished finished -> (complete, operations) -> operations.remove();
      case RunOutcome.RetryAt retry -> {
        LOG.info("Operation {} has work left ({}); next attempt at {}", ticket.operation(), retry.reason(), retry.at());
        yield (complete, operations) -> operations.reschedule(complete, retry.at());
      }
    };
  }

  /**
   * An execution whose instance stopped heartbeating is revived for any instance to pick (that is
   * the takeover), and told as an event. The revived run's ticket is one version on.
   */
  private final class ReviveAndTell implements DeadExecutionHandler<Void> {
    private final DeadExecutionHandler.ReviveDeadExecution<Void> revive = new DeadExecutionHandler.ReviveDeadExecution<>();
    private final EventSink events;

    ReviveAndTell(EventSink events) {
      this.events = events;
    }

    @Override
    public void deadExecution(ExecutionComplete complete, ExecutionOperations<Void> operations) {
      Execution execution = complete.getExecution();
      String operation = execution.taskInstance.getId();
      boolean hung = execution.lastHeartbeat == null || execution.lastHeartbeat.isBefore(clock.instant().minus(hungAfter));
      if (stillRunningHere(execution) && !hung) {
        // Its heartbeats are late (the database slow to take them, this instance starved of CPU),
        // but its run is alive in this JVM: reviving it would start a second run of the operation
        // beside the first. Left alone, the next heartbeat that gets through makes it live again.
        LOG.warn("Operation {} (run {}) is late heartbeating but still runs here: not taken over", operation, execution.version);
        return;
      }
      if (hung) {
        // Not for ever, though: a run here without a heartbeat for this long is taken to be stuck;
        // the revived run is one version on, so the stuck one is fenced at its next write.
        LOG.error("Operation {} (run {}) has had no heartbeat for over {} although it still runs here: taken over as stuck",
            operation, execution.version, hungAfter);
      }
      LOG.warn("Operation {} (run {}) stopped heartbeating on {}: taken over", operation, execution.version, execution.pickedBy);
      revive.deadExecution(complete, operations);
      events.publish(takeover(operation, execution.version, clock.instant()));
    }
  }

  private boolean stillRunningHere(Execution dead) {
    return scheduler.getObject().getCurrentlyExecuting().stream()
        .map(CurrentlyExecuting::getExecution)
        .anyMatch(running -> running.taskInstance.getTaskAndInstance().equals(dead.taskInstance.getTaskAndInstance()));
  }

  /** The event of a takeover of a backup's or restore's operation. */
  static Event.OperationTakenOver takeover(String operation, long run, Instant at) {
    if (RestoreService.isRestoreOperation(operation)) {
      String key = operation.substring(RestoreService.OPERATION_PREFIX.length());
      int slash = key.lastIndexOf('/');
      return new Event.OperationTakenOver(at, key.substring(0, slash), operation, run, Optional.empty(), Optional.of(key.substring(slash + 1)));
    }
    int slash = operation.lastIndexOf('/');
    return new Event.OperationTakenOver(
        at, operation.substring(0, slash), operation, run, Optional.of(new BackupId(Long.parseLong(operation.substring(slash + 1)))), Optional.empty());
  }

  /** A run that broke off (the database away, an interrupt, a defect) is run again, backing off. */
  private final class BackoffOnFailure implements FailureHandler<Void> {
    private final Backoff backoff;

    BackoffOnFailure(Backoff backoff) {
      this.backoff = backoff;
    }

    @Override
    public void onFailure(ExecutionComplete complete, ExecutionOperations<Void> operations) {
      int failures = complete.getExecution().consecutiveFailures + 1;
      Instant next = clock.instant().plus(backoff.delayAfter(failures));
      LOG.warn(
          "Operation {} broke off ({} in a row): {}; running it again at {}",
          complete.getExecution().taskInstance.getId(),
          failures,
          complete.getCause().map(Throwable::toString).orElse("no cause"),
          next);
      operations.reschedule(complete, next);
    }
  }
}
