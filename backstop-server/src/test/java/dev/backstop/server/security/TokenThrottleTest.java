package dev.backstop.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class TokenThrottleTest {

  private Instant now = Instant.parse("2026-11-23T12:00:00Z");
  private final Clock clock = new Clock() {
    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  };
  private final TokenThrottle throttle = new TokenThrottle(3, Duration.ofMinutes(1), clock);

  @Test
  void shouldRefuseAKeyWhoseAttemptsAreSpentUntilTheOldestLeavesTheWindow() {
    for (int i = 0; i < 3; i++) {
      assertThat(throttle.reserve("id@1.2.3.4")).isEmpty();
      now = now.plusSeconds(10);
    }
    // the fourth within the minute waits until the first (30 s ago) is a minute old
    assertThat(throttle.reserve("id@1.2.3.4")).contains(Duration.ofSeconds(30));
    assertThat(throttle.reserve("id@5.6.7.8")).as("another key is not held up").isEmpty();
    now = now.plusSeconds(30);
    assertThat(throttle.reserve("id@1.2.3.4")).isEmpty();
  }

  @Test
  void shouldCountReservedAttemptsBeforeTheyAreCheckedAndForgetThemOnSuccess() {
    // three requests in flight at once: the fourth is refused though none has been answered yet
    throttle.reserve("id");
    throttle.reserve("id");
    throttle.reserve("id");
    assertThat(throttle.reserve("id")).isPresent();
    // a right secret starts the key afresh
    throttle.succeeded("id");
    assertThat(throttle.reserve("id")).isEmpty();
  }
}
