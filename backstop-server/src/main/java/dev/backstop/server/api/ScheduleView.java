package dev.backstop.server.api;

import dev.backstop.core.schedule.ScheduleService;
import java.time.DayOfWeek;
import java.time.Instant;

/**
 * A cluster's backup schedule as the API shows it.
 *
 * @param frequency {@code DAILY} or {@code WEEKLY}
 * @param dayOfWeek the day of a weekly schedule, else null
 * @param time local time, {@code HH:mm}
 * @param timeZone IANA time zone
 * @param nextRunAt the next due time; null when disabled
 */
public record ScheduleView(String frequency, String dayOfWeek, String time, String timeZone, boolean enabled, Instant nextRunAt) {

  static ScheduleView of(ScheduleService.Planned planned) {
    var schedule = planned.schedule();
    return new ScheduleView(
        schedule.frequency().name(),
        schedule.dayOfWeek().map(DayOfWeek::name).orElse(null),
        schedule.timeText(),
        schedule.zone().getId(),
        schedule.enabled(),
        planned.nextRunAt().orElse(null));
  }
}
