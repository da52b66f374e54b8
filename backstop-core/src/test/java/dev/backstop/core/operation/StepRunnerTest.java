package dev.backstop.core.operation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The runner with a procedure of its own (three steps and a cleanup), as any family's would be. */
class StepRunnerTest {

  enum Step { FIRST, SECOND, THIRD, CLEAN_UP, DONE, FAILED }

  record Subject(Step step, String failure) {}

  private final List<Subject> saved = new ArrayList<>();
  private final List<Step> ran = new ArrayList<>();
  private RuntimeException failAt2;

  private final StepRunner.Procedure<Subject, Step> procedure =
      new StepRunner.Procedure<>() {
        @Override
        public Step stepOf(Subject subject) {
          return subject.step();
        }

        @Override
        public boolean finished(Subject subject) {
          return subject.step() == Step.DONE || subject.step() == Step.FAILED;
        }

        @Override
        public Subject run(Step step, Subject subject) {
          ran.add(step);
          if (step == Step.SECOND && failAt2 != null) {
            throw failAt2;
          }
          return subject;
        }

        @Override
        public Subject next(Subject subject, Step completed) {
          return new Subject(switch (completed) {
            case FIRST -> Step.SECOND;
            case SECOND -> Step.THIRD;
            case THIRD -> Step.DONE;
            case CLEAN_UP -> Step.FAILED;
            case DONE, FAILED -> throw new IllegalStateException();
          }, subject.failure());
        }

        @Override
        public Optional<Subject> failed(Subject subject, Step step, RuntimeException failure) {
          return Optional.of(new Subject(Step.CLEAN_UP, step + ": " + failure.getMessage()));
        }
      };

  private final StepRunner<Subject, Step> runner = new StepRunner<>(procedure, saved::add, (subject, step) -> {});

  @AfterEach
  void clearInterrupt() {
    Thread.interrupted();
  }

  @Test
  void shouldRunEveryStepAndSaveTheSubjectAfterEach() {
    Subject done = runner.run(new Subject(Step.FIRST, null));

    assertThat(done.step()).isEqualTo(Step.DONE);
    assertThat(ran).containsExactly(Step.FIRST, Step.SECOND, Step.THIRD);
    assertThat(saved).extracting(Subject::step).containsExactly(Step.SECOND, Step.THIRD, Step.DONE);
  }

  @Test
  void shouldCarryOnFromTheSavedStep() {
    runner.run(new Subject(Step.THIRD, null));

    assertThat(ran).containsExactly(Step.THIRD);
  }

  @Test
  void shouldHandAFailedStepToTheProcedureAndRunItsCleanup() {
    failAt2 = new IllegalStateException("component down");

    Subject ended = runner.run(new Subject(Step.FIRST, null));

    assertThat(ended).isEqualTo(new Subject(Step.FAILED, "SECOND: component down"));
    assertThat(ran).containsExactly(Step.FIRST, Step.SECOND, Step.CLEAN_UP);
  }

  @Test
  void shouldLetAHaltThroughUnrecorded() {
    failAt2 = new Halt("database away", null);

    assertThatThrownBy(() -> runner.run(new Subject(Step.FIRST, null))).isSameAs(failAt2);
    assertThat(saved).extracting(Subject::step).containsExactly(Step.SECOND);
  }

  @Test
  void shouldTreatAFailureWhileInterruptedAsTheInterrupt() {
    failAt2 = new IllegalStateException("call cut short");
    Thread.currentThread().interrupt();

    assertThatThrownBy(() -> runner.run(new Subject(Step.FIRST, null))).isInstanceOf(Interrupted.class);
    assertThat(saved).extracting(Subject::step).doesNotContain(Step.CLEAN_UP);
  }

  @Test
  void shouldHaltWhenItCannotSave() {
    StepRunner<Subject, Step> failing =
        new StepRunner<>(procedure, subject -> { throw new IllegalStateException("connection lost"); }, (subject, step) -> {});

    assertThatThrownBy(() -> failing.run(new Subject(Step.FIRST, null))).isInstanceOf(Halt.class).hasMessageContaining("could not save");
  }
}
