package dev.backstop.core.procedure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstop.core.backup.Component;
import dev.backstop.core.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WaitsTest {

  private final SettableClock clock = new SettableClock(Instant.parse("2026-11-23T10:00:00Z"));
  private final List<Duration> pauses = new ArrayList<>();
  private final Waits waits =
      new Waits(clock, Duration.ofMillis(25), Duration.ofSeconds(1), Duration.ofSeconds(30), pause -> {
        pauses.add(pause);
        clock.advance(pause);
      });

  @Test
  void shouldPollFastFirstThenBackOffByHalfUpToTheLongestPause() {
    // given: a component that completes at its 14th poll
    AtomicInteger polls = new AtomicInteger();

    // when
    waits.awaitCompleted(Component.ZEEBE, "await zeebe backup", waits.deadlineFromNow(Duration.ofMinutes(1)),
        () -> polls.incrementAndGet() < 14 ? new Observation.InProgress("running") : new Observation.Completed("done"));

    // then: 25 ms, each pause half again as long, never above 1 s
    assertThat(polls).hasValue(14);
    assertThat(pauses.subList(0, 5)).containsExactly(
        Duration.ofMillis(25), Duration.ofMillis(37).plusNanos(500_000), Duration.ofMillis(56).plusNanos(250_000),
        Duration.ofMillis(84).plusNanos(375_000), Duration.ofMillis(126).plusNanos(562_500));
    assertThat(pauses).isSorted().allMatch(pause -> pause.compareTo(Duration.ofSeconds(1)) <= 0);
    assertThat(pauses.getLast()).isEqualTo(Duration.ofSeconds(1));
    // a backup that takes about a second is seen completed within a few hundred ms of it
    assertThat(pauses.stream().limit(8).reduce(Duration.ZERO, Duration::plus)).isLessThan(Duration.ofMillis(1300));
  }

  @Test
  void shouldStartEachWaitWithAFastPollAgain() {
    // given: one wait that backed off to its longest pause
    Waits.Poll first = waits.poll();
    for (int i = 0; i < 20; i++) {
      first.pause();
    }
    assertThat(pauses.getLast()).isEqualTo(Duration.ofSeconds(1));

    // when: the next wait begins
    waits.poll().pause();

    // then
    assertThat(pauses.getLast()).isEqualTo(Duration.ofMillis(25));
  }

  @Test
  void shouldFailAWaitWhoseDeadlinePassed() {
    // given / when
    Waits.Deadline deadline = waits.deadlineFromNow(Duration.ofSeconds(3));
    Throwable failure = org.assertj.core.api.Assertions.catchThrowable(() ->
        waits.awaitCompleted(Component.OPERATE, "await web-app backups", deadline, () -> new Observation.InProgress("part 1 of 6")));

    // then: it gave up at the deadline, having polled at growing pauses
    assertThat(failure).isInstanceOf(StepFailure.class).hasMessageContaining("OPERATE").hasMessageContaining("not completed within PT3S");
    assertThat(pauses.size()).isBetween(8, 15);
  }
}
