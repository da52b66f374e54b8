package dev.backstop.server.schedule;

import dev.backstop.core.schedule.BackupSchedule;
import dev.backstop.core.schedule.ScheduleRun;
import dev.backstop.core.schedule.ScheduleStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import dev.backstop.server.persistence.SqlStates;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Schedules and their run history in PostgreSQL. */
@Repository
public class JdbcSchedules implements ScheduleStore {

  private final JdbcClient jdbc;

  public JdbcSchedules(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public Optional<BackupSchedule> find(String clusterId) {
    return jdbc.sql("select frequency, day_of_week, local_time, time_zone, enabled from backup_schedules where cluster_id = :id")
        .param("id", clusterId)
        .query(JdbcSchedules::map)
        .optional();
  }

  @Override
  public boolean save(String clusterId, BackupSchedule schedule, Instant now) {
    try {
      jdbc.sql(
            "insert into backup_schedules (cluster_id, frequency, day_of_week, local_time, time_zone, enabled, updated_at)"
                + " values (:id, :frequency, :day, :time, :zone, :enabled, :now) on conflict (cluster_id) do update set"
                + " frequency = excluded.frequency, day_of_week = excluded.day_of_week, local_time = excluded.local_time,"
                + " time_zone = excluded.time_zone, enabled = excluded.enabled, updated_at = excluded.updated_at")
        .param("id", clusterId)
        .param("frequency", schedule.frequency().name())
        .param("day", schedule.dayOfWeek().map(DayOfWeek::name).orElse(null))
        .param("time", schedule.timeText())
        .param("zone", schedule.zone().getId())
        .param("enabled", schedule.enabled())
        .param("now", Timestamp.from(now))
        .update();
      return true;
    } catch (DataIntegrityViolationException e) {
      if (SqlStates.isForeignKeyViolation(e)) {
        return false;
      }
      throw e;
    }
  }

  @Override
  public boolean delete(String clusterId) {
    return jdbc.sql("delete from backup_schedules where cluster_id = :id").param("id", clusterId).update() == 1;
  }

  public void recordRun(String clusterId, Instant dueAt, Instant ranAt, String outcome, Optional<Long> backupId, Optional<String> reason) {
    jdbc.sql(
            "insert into schedule_runs (cluster_id, due_at, ran_at, outcome, backup_id, reason)"
                + " values (:id, :due, :ran, :outcome, :backup, :reason)")
        .param("id", clusterId)
        .param("due", Timestamp.from(dueAt))
        .param("ran", Timestamp.from(ranAt))
        .param("outcome", outcome)
        .param("backup", backupId.orElse(null))
        .param("reason", reason.orElse(null))
        .update();
  }

  /** A started run's outcome follows its backup: COMPLETED or FAILED with the reason. */
  public void recordBackupEnded(String clusterId, long backupId, String outcome, Optional<String> reason) {
    jdbc.sql("update schedule_runs set outcome = :outcome, reason = :reason where cluster_id = :id and backup_id = :backup")
        .param("id", clusterId)
        .param("backup", backupId)
        .param("outcome", outcome)
        .param("reason", reason.orElse(null))
        .update();
  }

  @Override
  public List<ScheduleRun> runs(String clusterId, int limit) {
    return jdbc.sql("select id, due_at, ran_at, outcome, backup_id, reason from schedule_runs where cluster_id = :id order by id desc limit :limit")
        .param("id", clusterId)
        .param("limit", limit)
        .query(
            (rs, row) ->
                new ScheduleRun(
                    rs.getLong("id"),
                    rs.getTimestamp("due_at").toInstant(),
                    rs.getTimestamp("ran_at").toInstant(),
                    rs.getString("outcome"),
                    Optional.ofNullable((Long) rs.getObject("backup_id")),
                    Optional.ofNullable(rs.getString("reason"))))
        .list();
  }

  private static BackupSchedule map(ResultSet rs, int row) throws SQLException {
    return new BackupSchedule(
        BackupSchedule.Frequency.valueOf(rs.getString("frequency")),
        Optional.ofNullable(rs.getString("day_of_week")).map(DayOfWeek::valueOf),
        LocalTime.parse(rs.getString("local_time")),
        ZoneId.of(rs.getString("time_zone")),
        rs.getBoolean("enabled"));
  }
}
