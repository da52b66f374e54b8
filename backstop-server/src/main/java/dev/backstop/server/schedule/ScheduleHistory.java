package dev.backstop.server.schedule;

import dev.backstop.core.backup.BackupService;
import dev.backstop.core.backup.BackupType;
import org.springframework.stereotype.Component;

/** Keeps a schedule's run history in step with the backups its runs started. */
@Component
public class ScheduleHistory {

  public ScheduleHistory(BackupService backups, JdbcSchedules schedules) {
    backups.onEnded(
        backup -> {
          if (backup.type() == BackupType.SCHEDULED) {
            schedules.recordBackupEnded(backup.clusterId(), backup.id().value(), backup.state().name(), backup.failureReason());
          }
        });
  }
}
