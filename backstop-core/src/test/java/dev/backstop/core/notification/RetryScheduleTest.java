package dev.backstop.core.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RetryScheduleTest {

  private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

  @Test
  void shouldWaitTenSecondsThenThreeTimesLongerEachTimeUpToAnHourByDefault() {
    assertThat(IntStream.rangeClosed(1, 9).mapToObj(RetrySchedule.DEFAULT::delayAfter))
        .containsExactly(
            Duration.ofSeconds(10),
            Duration.ofSeconds(30),
            Duration.ofSeconds(90),
            Duration.ofSeconds(270),
            Duration.ofSeconds(810),
            Duration.ofSeconds(2430),
            Duration.ofHours(1),
            Duration.ofHours(1),
            Duration.ofHours(1));
  }

  @Test
  void shouldGiveUpAfterTheLastAttempt() {
    RetrySchedule schedule = new RetrySchedule(Duration.ofSeconds(1), 2, Duration.ofSeconds(5), 3);

    assertThat(schedule.nextAttempt(1, NOW)).contains(NOW.plusSeconds(1));
    assertThat(schedule.nextAttempt(2, NOW)).contains(NOW.plusSeconds(2));
    assertThat(schedule.nextAttempt(3, NOW)).isEmpty();
  }

  @Test
  void shouldNeverOverflowOnManyAttempts() {
    RetrySchedule schedule = new RetrySchedule(Duration.ofSeconds(10), 10, Duration.ofDays(1), 1000);

    assertThat(schedule.delayAfter(999)).isEqualTo(Duration.ofDays(1));
  }

  @Test
  void shouldRefuseSchedulesThatCannotWork() {
    assertThatThrownBy(() -> new RetrySchedule(Duration.ZERO, 3, Duration.ofHours(1), 10)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RetrySchedule(Duration.ofHours(2), 3, Duration.ofHours(1), 10)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RetrySchedule(Duration.ofSeconds(1), 0, Duration.ofHours(1), 10)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RetrySchedule(Duration.ofSeconds(1), 3, Duration.ofHours(1), 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
