package dev.backstop.core.notification;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstop.core.event.Event;
import dev.backstop.core.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OverdueBackupsTest {

  private static final Instant REGISTERED = Instant.parse("2026-11-20T08:00:00Z");

  private final SettableClock clock = new SettableClock(REGISTERED);
  private final List<OverdueBackups.Watch> watches = new ArrayList<>();
  private final List<Event> told = new ArrayList<>();
  private final OverdueBackups check = new OverdueBackups(() -> watches, told::add, clock);

  @Test
  void shouldCountANeverBackedUpClusterFromItsRegistration() {
    // given
    watches.add(new OverdueBackups.Watch("c1", REGISTERED, Optional.empty(), 24));

    // when: exactly 24 h later, then a second more
    clock.set(REGISTERED.plus(Duration.ofHours(24)));
    check.check();
    assertThat(told).isEmpty();
    clock.advance(Duration.ofSeconds(1));
    check.check();

    // then
    assertThat(told).singleElement().isInstanceOfSatisfying(Event.NoRecentBackup.class, event -> {
      assertThat(event.clusterId()).isEqualTo("c1");
      assertThat(event.lastCompletedAt()).isEmpty();
      assertThat(event.thresholdHours()).isEqualTo(24);
      assertThat(event.at()).isEqualTo(clock.instant());
      assertThat(event.key()).isEqualTo("no-recent-backup/c1/24/never");
    });
  }

  @Test
  void shouldCountFromTheNewestCompletedBackup() {
    Instant completed = REGISTERED.plus(Duration.ofDays(1));
    OverdueBackups.Watch watch = new OverdueBackups.Watch("c1", REGISTERED, Optional.of(completed), 6);

    assertThat(OverdueBackups.decide(watch, completed.plus(Duration.ofHours(6)))).isEmpty();
    assertThat(OverdueBackups.decide(watch, completed.plus(Duration.ofHours(6)).plusMillis(1)))
        .hasValueSatisfying(event -> assertThat(event.lastCompletedAt()).contains(completed));
  }

  @Test
  void shouldTellTheSameKeyAtEveryCheckUntilABackupCompletes() {
    // given: overdue
    Instant completed = REGISTERED.plus(Duration.ofHours(1));
    OverdueBackups.Watch before = new OverdueBackups.Watch("c1", REGISTERED, Optional.of(completed), 2);
    Instant now = completed.plus(Duration.ofHours(3));

    // when: checked twice, then after a newer backup completed and that one is overdue too
    String first = OverdueBackups.decide(before, now).orElseThrow().key();
    String again = OverdueBackups.decide(before, now.plus(Duration.ofMinutes(5))).orElseThrow().key();
    Instant newer = now.plus(Duration.ofMinutes(10));
    OverdueBackups.Watch after = new OverdueBackups.Watch("c1", REGISTERED, Optional.of(newer), 2);

    // then: one key until the new backup, which is not overdue at once, and overdue later with a new key
    assertThat(again).isEqualTo(first);
    assertThat(OverdueBackups.decide(after, newer.plus(Duration.ofHours(1)))).isEmpty();
    assertThat(OverdueBackups.decide(after, newer.plus(Duration.ofHours(3))).orElseThrow().key()).isNotEqualTo(first);
  }

  @Test
  void shouldJudgeEachThresholdOfAClusterOnItsOwn() {
    watches.add(new OverdueBackups.Watch("c1", REGISTERED, Optional.empty(), 24));
    watches.add(new OverdueBackups.Watch("c1", REGISTERED, Optional.empty(), 48));
    clock.set(REGISTERED.plus(Duration.ofHours(30)));

    assertThat(check.check()).isEqualTo(1);
    assertThat(told).extracting(event -> ((Event.NoRecentBackup) event).thresholdHours()).containsExactly(24L);
  }
}
