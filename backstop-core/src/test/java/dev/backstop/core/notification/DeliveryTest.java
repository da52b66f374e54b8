package dev.backstop.core.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class DeliveryTest {

  private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
  private static final RetrySchedule THREE_ATTEMPTS = new RetrySchedule(Duration.ofSeconds(10), 3, Duration.ofMinutes(1), 3);

  private final Delivery due = Delivery.due(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), EventType.BACKUP_FAILED, NOW);

  @Test
  void shouldBeDueAtOnceWhenNew() {
    assertThat(due.state()).isEqualTo(Delivery.State.PENDING);
    assertThat(due.attempts()).isZero();
    assertThat(due.nextAttemptAt()).contains(NOW);
  }

  @Test
  void shouldBeDeliveredByA2xxAnswer() {
    Delivery delivered = due.after(new Attempt.Answered(NOW.plusSeconds(1), 204), THREE_ATTEMPTS);

    assertThat(delivered.state()).isEqualTo(Delivery.State.DELIVERED);
    assertThat(delivered.attempts()).isEqualTo(1);
    assertThat(delivered.lastStatus()).contains(204);
    assertThat(delivered.lastError()).isEmpty();
    assertThat(delivered.deliveredAt()).contains(NOW.plusSeconds(1));
    assertThat(delivered.nextAttemptAt()).isEmpty();
  }

  @Test
  void shouldBeRetriedAfterAnErrorAnswerOrNoAnswerAsTheScheduleSays() {
    Delivery once = due.after(new Attempt.Answered(NOW, 500), THREE_ATTEMPTS);
    Delivery twice = once.after(new Attempt.NotSent(NOW.plusSeconds(10), "connection refused"), THREE_ATTEMPTS);

    assertThat(once.state()).isEqualTo(Delivery.State.PENDING);
    assertThat(once.lastStatus()).contains(500);
    assertThat(once.lastError()).contains("HTTP 500");
    assertThat(once.nextAttemptAt()).contains(NOW.plusSeconds(10));
    assertThat(twice.state()).isEqualTo(Delivery.State.PENDING);
    assertThat(twice.attempts()).isEqualTo(2);
    assertThat(twice.lastStatus()).isEmpty();
    assertThat(twice.lastError()).contains("connection refused");
    assertThat(twice.nextAttemptAt()).contains(NOW.plusSeconds(40));
  }

  @Test
  void shouldNotFollowARedirectButSaySo() {
    Delivery redirected = due.after(new Attempt.Answered(NOW, 302), THREE_ATTEMPTS);

    assertThat(redirected.state()).isEqualTo(Delivery.State.PENDING);
    assertThat(redirected.lastError()).contains("HTTP 302 (redirects are not followed)");
  }

  @Test
  void shouldFailAfterTheLastAttemptAndMoveNoMore() {
    Delivery failed = due;
    for (int i = 0; i < 3; i++) {
      failed = failed.after(new Attempt.Answered(NOW.plusSeconds(i), 503), THREE_ATTEMPTS);
    }

    assertThat(failed.state()).isEqualTo(Delivery.State.FAILED);
    assertThat(failed.attempts()).isEqualTo(3);
    assertThat(failed.nextAttemptAt()).isEmpty();
    Delivery last = failed;
    assertThatThrownBy(() -> last.after(new Attempt.Answered(NOW, 200), THREE_ATTEMPTS)).isInstanceOf(IllegalStateException.class);
  }
}
