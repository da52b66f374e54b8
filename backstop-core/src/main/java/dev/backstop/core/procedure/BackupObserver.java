package dev.backstop.core.procedure;

import dev.backstop.core.backup.Backup;
import dev.backstop.core.backup.BackupStep;
import dev.backstop.core.backup.Component;
import java.time.Duration;

/**
 * Told how long the parts of a backup's procedure took: its steps, each component's backup, and
 * the time exporting was paused. For metrics; the procedure measures with its own clock, so an
 * observer only records what it is told.
 *
 * <p><b>At most once.</b> Each step, component and pause is told at most once, after the progress
 * it tells of was saved, never again when an operation is run again. What a run took over from an
 * earlier one (after a crash or a takeover) is told only where the backup itself records when it
 * started: a step is timed from the moment the backup was moved to it, by whichever run; a
 * component's backup and a pause are timed only by the Backstop instance that saw them start (that
 * instant is not saved), and not at all after a takeover by another instance.
 *
 * <p><b>Never in the way.</b> Called on the procedure's thread: must be quick and must not block or
 * call out over the network. Anything it throws is ignored: observing never changes the backup.
 */
public interface BackupObserver {

  /**
   * A step ran to its end and the backup was saved at the next one. Only steps that end this way
   * are told: a step that failed is not (the backup's outcome tells), but the cleanup after it is.
   *
   * @param took from the moment the backup was moved to the step until it was moved past it (for
   *     {@link BackupStep#REQUESTED}: from the request until a run picked the backup up)
   */
  default void stepCompleted(Backup backup, BackupStep step, Duration took) {}

  /**
   * A component's backup was confirmed completed.
   *
   * @param took from just before Backstop asked the component to start it until the component
   *     reported it completed
   */
  default void componentCompleted(Backup backup, Component component, Duration took) {}

  /**
   * Zeebe confirmed that exporting runs again, after the procedure had seen it confirm the pause,
   * on the successful path or in the cleanup after a failure (also in a later retried cleanup).
   *
   * @param pausedFor from the pause being confirmed to the resume being confirmed
   */
  default void exportingResumed(Backup backup, Duration pausedFor) {}

  /** Observes nothing. */
  BackupObserver NONE = new BackupObserver() {};
}
