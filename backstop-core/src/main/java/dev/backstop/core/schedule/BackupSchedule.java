package dev.backstop.core.schedule;

import dev.backstop.core.usecase.FieldError;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.zone.ZoneOffsetTransition;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * When a cluster's scheduled backups run: every day, or every week on one day, at a local time in
 * a time zone.
 *
 * <p>Daylight-saving rules, one run per scheduled day whatever the clocks do:
 *
 * <ul>
 *   <li>a time that does not exist that day (the clocks skip it) runs at the first instant after
 *       the gap, i.e. when the clocks jump;
 *   <li>a time that exists twice (the clocks repeat it) runs at the first of the two.
 * </ul>
 *
 * @param frequency daily or weekly
 * @param dayOfWeek the day of a weekly schedule; empty for a daily one
 * @param time the local time, to the minute
 * @param zone the IANA time zone the time is in
 * @param enabled whether runs are due at all
 */
public record BackupSchedule(Frequency frequency, Optional<DayOfWeek> dayOfWeek, LocalTime time, ZoneId zone, boolean enabled) {

  public enum Frequency {
    DAILY,
    WEEKLY
  }

  private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");

  public BackupSchedule {
    if ((frequency == Frequency.WEEKLY) != dayOfWeek.isPresent()) {
      throw new IllegalArgumentException("a day of the week goes with WEEKLY, and only with it");
    }
    time = time.withSecond(0).withNano(0);
  }

  /**
   * The first due instant strictly after {@code after}; empty when the schedule is disabled.
   * Pure: the same inputs give the same answer.
   */
  public Optional<Instant> nextRunAfter(Instant after) {
    if (!enabled) {
      return Optional.empty();
    }
    LocalDate date = after.atZone(zone).toLocalDate().minusDays(1);
    for (int i = 0; i < 16; i++, date = date.plusDays(1)) {
      if (frequency == Frequency.WEEKLY && date.getDayOfWeek() != dayOfWeek.orElseThrow()) {
        continue;
      }
      Instant due = dueOn(date);
      if (due.isAfter(after)) {
        return Optional.of(due);
      }
    }
    throw new IllegalStateException("no due time within two weeks of " + after); // cannot happen
  }

  /** The last due instant at or before {@code atOrBefore}; empty when the schedule is disabled. */
  public Optional<Instant> lastRunAtOrBefore(Instant atOrBefore) {
    if (!enabled) {
      return Optional.empty();
    }
    LocalDate date = atOrBefore.atZone(zone).toLocalDate().plusDays(1);
    for (int i = 0; i < 16; i++, date = date.minusDays(1)) {
      if (frequency == Frequency.WEEKLY && date.getDayOfWeek() != dayOfWeek.orElseThrow()) {
        continue;
      }
      Instant due = dueOn(date);
      if (!due.isAfter(atOrBefore)) {
        return Optional.of(due);
      }
    }
    throw new IllegalStateException("no due time within two weeks before " + atOrBefore);
  }

  /** The instant the schedule's time falls on, on a given local date. */
  Instant dueOn(LocalDate date) {
    LocalDateTime local = date.atTime(time);
    List<java.time.ZoneOffset> offsets = zone.getRules().getValidOffsets(local);
    if (offsets.isEmpty()) {
      // In a gap: run when the clocks jump, the first valid instant after the skipped time.
      ZoneOffsetTransition gap = zone.getRules().getTransition(local);
      return gap.getInstant();
    }
    // One offset, or two in an overlap: the first occurrence (the earlier offset is the larger one).
    return ZonedDateTime.ofLocal(local, zone, offsets.getFirst()).withEarlierOffsetAtOverlap().toInstant();
  }

  /** The time as {@code HH:mm}. */
  public String timeText() {
    return time.format(HH_MM);
  }

  /**
   * Builds a schedule from user input, checking everything and reporting every error at once.
   */
  public static Parsed parse(String frequency, String dayOfWeek, String time, String timeZone, Boolean enabled) {
    List<FieldError> errors = new ArrayList<>();
    Frequency parsedFrequency = null;
    if (frequency == null || frequency.isBlank()) {
      errors.add(new FieldError("frequency", "is required, DAILY or WEEKLY"));
    } else {
      try {
        parsedFrequency = Frequency.valueOf(frequency);
      } catch (IllegalArgumentException e) {
        errors.add(new FieldError("frequency", "must be DAILY or WEEKLY"));
      }
    }
    DayOfWeek day = null;
    if (dayOfWeek != null) {
      try {
        day = DayOfWeek.valueOf(dayOfWeek);
      } catch (IllegalArgumentException e) {
        errors.add(new FieldError("dayOfWeek", "must be one of MONDAY … SUNDAY"));
      }
    }
    if (parsedFrequency == Frequency.WEEKLY && dayOfWeek == null) {
      errors.add(new FieldError("dayOfWeek", "is required for a WEEKLY schedule"));
    }
    if (parsedFrequency == Frequency.DAILY && dayOfWeek != null) {
      errors.add(new FieldError("dayOfWeek", "must not be set for a DAILY schedule"));
    }
    LocalTime parsedTime = null;
    if (time == null || time.isBlank()) {
      errors.add(new FieldError("time", "is required, HH:mm"));
    } else if (!time.matches("\\d{2}:\\d{2}")) {
      errors.add(new FieldError("time", "must be HH:mm, 00:00 to 23:59"));
    } else {
      try {
        parsedTime = LocalTime.parse(time, HH_MM);
      } catch (DateTimeParseException e) {
        errors.add(new FieldError("time", "must be HH:mm, 00:00 to 23:59"));
      }
    }
    ZoneId zone = null;
    if (timeZone == null || timeZone.isBlank()) {
      errors.add(new FieldError("timeZone", "is required, an IANA time zone such as Europe/Berlin"));
    } else {
      try {
        zone = ZoneId.of(timeZone);
        if (!timeZone.contains("/") && !timeZone.equals("UTC")) {
          errors.add(new FieldError("timeZone", "must be an IANA time zone such as Europe/Berlin, or UTC"));
        }
      } catch (DateTimeException e) {
        errors.add(new FieldError("timeZone", "unknown time zone '" + timeZone + "'"));
      }
    }
    if (enabled == null) {
      errors.add(new FieldError("enabled", "is required, true or false"));
    }
    if (!errors.isEmpty()) {
      return new Parsed(Optional.empty(), errors);
    }
    return new Parsed(Optional.of(new BackupSchedule(parsedFrequency, Optional.ofNullable(day), parsedTime, zone, enabled)), List.of());
  }

  /** A parsed schedule, or the errors that prevented it. */
  public record Parsed(Optional<BackupSchedule> schedule, List<FieldError> errors) {}
}
