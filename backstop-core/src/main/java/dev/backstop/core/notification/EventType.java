package dev.backstop.core.notification;

import dev.backstop.core.event.Event;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The events a webhook may subscribe to, named as the audit trail names them ({@link
 * Event#action()}). Only failures and what someone waits for: a completed backup is not one.
 */
public enum EventType {
  BACKUP_FAILED("backup.failed"),
  SCHEDULE_RUN_SKIPPED("schedule.run-skipped"),
  REPLICATION_FAILED("replication.failed"),
  /** A check of a completed backup's objects found one missing or at another size. */
  BACKUP_DAMAGED("backup.damaged"),
  RESTORE_COMPLETED("restore.completed"),
  RESTORE_FAILED("restore.failed"),
  /** No backup of a cluster completed for longer than the webhook's {@code noCompletedBackupHours}. */
  BACKUP_OVERDUE("backup.overdue");

  /** Every name, for messages. */
  public static final String NAMES = Arrays.stream(values()).map(EventType::wireName).collect(Collectors.joining(", "));

  private final String wireName;

  EventType(String wireName) {
    this.wireName = wireName;
  }

  /** The name in the API and in the {@code Backstop-Event} header, e.g. {@code backup.failed}. */
  public String wireName() {
    return wireName;
  }

  public static Optional<EventType> fromWireName(String name) {
    return Arrays.stream(values()).filter(type -> type.wireName.equals(name)).findFirst();
  }

  /** The type of an event, if webhooks can subscribe to it. */
  public static Optional<EventType> of(Event event) {
    return fromWireName(event.action());
  }
}
