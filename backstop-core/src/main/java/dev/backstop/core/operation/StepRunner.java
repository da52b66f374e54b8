package dev.backstop.core.operation;

import java.util.Optional;

/**
 * Runs a durable procedure of named steps from wherever its subject was saved: each step is saved
 * before it runs (by the procedure moving the subject to it) and after (with the subject at the
 * next step), so a run that stops anywhere is carried on by the next. One failure path: a step
 * that fails is handed to the procedure, which records the failure and moves the subject to its
 * cleanup. It knows nothing of any procedure's steps: each procedure has its own step type.
 *
 * <p>What stops a run without deciding ({@link Halt}, {@link OwnershipLost}) goes through
 * unrecorded; a step that fails while the thread is interrupted is an {@link Interrupted} (the
 * failure was Backstop stopping, not the step's).
 *
 * @param <T> what the procedure works on (a backup; a restore, a replication)
 * @param <S> the procedure's step type
 */
public final class StepRunner<T, S> {

  /** What a procedure tells the runner. */
  public interface Procedure<T, S> {

    /** The step the subject is at. */
    S stepOf(T subject);

    /** Whether no step is left to run. */
    boolean finished(T subject);

    /**
     * Runs one step on the subject as last saved; it may save along the way ({@link #save}).
     *
     * @return the subject after the step ran to its end
     */
    T run(S step, T subject);

    /** The subject past a step that ran to its end: at the next step, or ended. */
    T next(T subject, S completed);

    /**
     * The subject after {@code step} failed (recorded as failed, at the step that cleans up); empty
     * when the failure must not be recorded but surface (e.g. a defect in the cleanup itself).
     */
    Optional<T> failed(T subject, S step, RuntimeException failure);
  }

  /** Saves the subject; throws {@link OwnershipLost} once the run was taken over. */
  @FunctionalInterface
  public interface Store<T> {
    void save(T subject);
  }

  /** Told after each step was saved (operators and tests observe the procedure with it). */
  @FunctionalInterface
  public interface StepListener<T, S> {
    void afterStep(T subject, S completed);
  }

  private final Procedure<T, S> procedure;
  private final Store<T> store;
  private final StepListener<T, S> listener;
  private T current;

  public StepRunner(Procedure<T, S> procedure, Store<T> store, StepListener<T, S> listener) {
    this.procedure = procedure;
    this.store = store;
    this.listener = listener;
  }

  /**
   * Runs the procedure from the step the subject is at until none is left.
   *
   * @return the subject as it ended
   * @throws Halt when the run stopped without deciding
   * @throws OwnershipLost when another run took the subject over: nothing more was done
   */
  public T run(T subject) {
    current = subject;
    while (!procedure.finished(current)) {
      S step = procedure.stepOf(current);
      T after;
      try {
        after = procedure.run(step, current);
      } catch (Halt | OwnershipLost stop) {
        throw stop;
      } catch (RuntimeException failure) {
        if (Thread.currentThread().isInterrupted()) {
          throw new Interrupted(new InterruptedException("interrupted at step " + step));
        }
        T failed = procedure.failed(current, step, failure).orElseThrow(() -> failure);
        save(failed);
        continue;
      }
      T next = save(procedure.next(after, step));
      try {
        listener.afterStep(next, step);
      } catch (RuntimeException e) {
        throw new Halt("stopped by a step listener after step " + step, e);
      }
    }
    return current;
  }

  /**
   * Saves the subject as the run's progress; procedures call it within a step too.
   *
   * @return the subject
   * @throws Halt when it could not be saved
   * @throws OwnershipLost when the run was taken over
   */
  public T save(T subject) {
    try {
      store.save(subject);
    } catch (OwnershipLost lost) {
      throw lost;
    } catch (RuntimeException e) {
      throw new Halt("could not save the progress", e);
    }
    current = subject;
    return subject;
  }
}
