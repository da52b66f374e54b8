package dev.backstop.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstop.core.usecase.FieldError;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BackupScheduleTest {

  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  @Test
  void shouldRunDailyAtTheLocalTime() {
    BackupSchedule daily = daily("02:30", "Europe/Berlin");

    assertThat(daily.nextRunAfter(Instant.parse("2026-11-22T00:00:00Z"))).contains(Instant.parse("2026-11-22T01:30:00Z"));
    assertThat(daily.nextRunAfter(Instant.parse("2026-11-22T01:30:00Z"))).contains(Instant.parse("2026-11-23T01:30:00Z"));
    assertThat(daily.nextRunAfter(Instant.parse("2026-11-22T01:29:59Z"))).contains(Instant.parse("2026-11-22T01:30:00Z"));
  }

  @Test
  void shouldRunWeeklyOnTheDay() {
    BackupSchedule weekly = new BackupSchedule(BackupSchedule.Frequency.WEEKLY, Optional.of(DayOfWeek.MONDAY), LocalTime.of(23, 0), ZoneId.of("America/New_York"), true);

    // Sunday 2026-11-22: the next Monday 23:00 in New York (UTC-5) is Tuesday 04:00 UTC
    assertThat(weekly.nextRunAfter(Instant.parse("2026-11-22T12:00:00Z"))).contains(Instant.parse("2026-11-24T04:00:00Z"));
    assertThat(weekly.nextRunAfter(Instant.parse("2026-11-24T04:00:00Z"))).contains(Instant.parse("2026-12-01T04:00:00Z"));
  }

  @Test
  void shouldUseTheZonesOffsetOnEachDay() {
    BackupSchedule tokyo = daily("09:00", "Asia/Tokyo");
    BackupSchedule kolkata = daily("09:00", "Asia/Kolkata");

    assertThat(tokyo.nextRunAfter(Instant.parse("2026-06-01T00:00:00Z"))).contains(Instant.parse("2026-06-02T00:00:00Z"));
    assertThat(kolkata.nextRunAfter(Instant.parse("2026-06-01T00:00:00Z"))).contains(Instant.parse("2026-06-01T03:30:00Z"));
    // Berlin in summer is UTC+2, in winter UTC+1
    assertThat(daily("09:00", "Europe/Berlin").nextRunAfter(Instant.parse("2026-07-01T00:00:00Z"))).contains(Instant.parse("2026-07-01T07:00:00Z"));
    assertThat(daily("09:00", "Europe/Berlin").nextRunAfter(Instant.parse("2026-12-01T00:00:00Z"))).contains(Instant.parse("2026-12-01T08:00:00Z"));
  }

  @Test
  void shouldRunASkippedTimeOnceWhenTheClocksJump() {
    // 2026-03-29 in Berlin: 02:00 jumps to 03:00, so 02:30 does not exist that day
    BackupSchedule daily = daily("02:30", "Europe/Berlin");

    Instant run = daily.nextRunAfter(Instant.parse("2026-03-28T12:00:00Z")).orElseThrow();

    assertThat(run).isEqualTo(Instant.parse("2026-03-29T01:00:00Z")); // 03:00 CEST, the first valid instant
    assertThat(run.atZone(BERLIN).toLocalTime()).isEqualTo(LocalTime.of(3, 0));
    // once: the next is the following day at 02:30 CEST
    assertThat(daily.nextRunAfter(run)).contains(Instant.parse("2026-03-30T00:30:00Z"));
  }

  @Test
  void shouldRunARepeatedTimeOnlyOnce() {
    // 2026-10-25 in Berlin: 03:00 goes back to 02:00, so 02:30 happens twice
    BackupSchedule daily = daily("02:30", "Europe/Berlin");

    Instant first = daily.nextRunAfter(Instant.parse("2026-10-24T12:00:00Z")).orElseThrow();

    assertThat(first).isEqualTo(Instant.parse("2026-10-25T00:30:00Z")); // 02:30 CEST, the first of the two
    // the second 02:30 (01:30 UTC) is not a run; the next is the next day at 02:30 CET
    assertThat(daily.nextRunAfter(first)).contains(Instant.parse("2026-10-26T01:30:00Z"));
    assertThat(daily.nextRunAfter(Instant.parse("2026-10-25T01:00:00Z"))).contains(Instant.parse("2026-10-26T01:30:00Z"));
  }

  @Test
  void shouldFindTheLastDueTime() {
    BackupSchedule daily = daily("02:30", "Europe/Berlin");

    assertThat(daily.lastRunAtOrBefore(Instant.parse("2026-11-22T01:30:00Z"))).contains(Instant.parse("2026-11-22T01:30:00Z"));
    assertThat(daily.lastRunAtOrBefore(Instant.parse("2026-11-22T01:29:00Z"))).contains(Instant.parse("2026-11-21T01:30:00Z"));
  }

  @Test
  void shouldHaveNoRunsWhenDisabled() {
    BackupSchedule disabled = new BackupSchedule(BackupSchedule.Frequency.DAILY, Optional.empty(), LocalTime.NOON, BERLIN, false);

    assertThat(disabled.nextRunAfter(Instant.parse("2026-11-22T00:00:00Z"))).isEmpty();
  }

  @Test
  void shouldReportEveryInvalidFieldAtOnce() {
    assertThat(BackupSchedule.parse("WEEKLY", null, "25:00", "Mars/Olympus", null).errors())
        .extracting(FieldError::field)
        .containsExactly("dayOfWeek", "time", "timeZone", "enabled");
    assertThat(BackupSchedule.parse("DAILY", "MONDAY", "12:00", "UTC", true).errors()).containsExactly(new FieldError("dayOfWeek", "must not be set for a DAILY schedule"));
    assertThat(BackupSchedule.parse("HOURLY", null, "7:5", "", true).errors())
        .extracting(FieldError::field)
        .containsExactly("frequency", "time", "timeZone");
    assertThat(BackupSchedule.parse("DAILY", null, "23:59", "Europe/Berlin", true).schedule()).isPresent();
  }

  @Test
  void shouldRunOnceForAllMissedRunsWithinTheGracePeriod() {
    BackupSchedule daily = daily("10:00", "UTC");
    Instant now = Instant.parse("2026-11-22T10:20:00Z");
    // planned three days ago; three due times have passed since
    MissedRuns.Decision decision = MissedRuns.decide(daily, Instant.parse("2026-11-19T10:00:00Z"), now, Duration.ofHours(1));

    assertThat(decision).isEqualTo(new MissedRuns.Run(Instant.parse("2026-11-22T10:00:00Z")));
  }

  @Test
  void shouldSkipARunThatIsLaterThanTheGracePeriod() {
    BackupSchedule daily = daily("10:00", "UTC");
    MissedRuns.Decision decision =
        MissedRuns.decide(daily, Instant.parse("2026-11-20T10:00:00Z"), Instant.parse("2026-11-22T12:00:00Z"), Duration.ofHours(1));

    assertThat(decision).isInstanceOf(MissedRuns.Skip.class);
    assertThat(((MissedRuns.Skip) decision).reason()).contains("120 min past").contains("grace period 60 min");
  }

  private static BackupSchedule daily(String time, String zone) {
    return BackupSchedule.parse("DAILY", null, time, zone, true).schedule().orElseThrow(() -> new AssertionError(List.of(time, zone)));
  }
}
