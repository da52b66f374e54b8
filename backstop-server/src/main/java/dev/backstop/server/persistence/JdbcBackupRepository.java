package dev.backstop.server.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backstop.core.backup.Backup;
import dev.backstop.core.backup.BackupId;
import dev.backstop.core.backup.BackupRepository;
import dev.backstop.core.backup.BackupState;
import dev.backstop.core.backup.BackupStep;
import dev.backstop.core.backup.BackupType;
import dev.backstop.core.backup.Component;
import dev.backstop.core.backup.ComponentPart;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/** Backups in PostgreSQL: one row each, the component parts as JSON, leases for takeover. */
@Repository
public class JdbcBackupRepository implements BackupRepository {

  private static final TypeReference<Map<Component, ComponentPart>> PARTS = new TypeReference<>() {};
  private static final String COLUMNS =
      "cluster_id, backup_id, name, type, state, step, step_started_at, exporting_paused, parts, created_at, completed_at, failure_reason";

  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;
  private final ObjectMapper json;

  public JdbcBackupRepository(JdbcClient jdbc, TransactionTemplate transactions, ObjectMapper json) {
    this.jdbc = jdbc;
    this.transactions = transactions;
    this.json = json;
  }

  @Override
  public <T> T inClusterTransaction(String clusterId, Supplier<T> work) {
    return transactions.execute(
        status -> {
          // The row lock serializes admissions of one cluster across all instances.
          Optional<String> locked =
              jdbc.sql("select id from clusters where id = :id for update").param("id", clusterId).query(String.class).optional();
          if (locked.isEmpty()) {
            throw new NoSuchElementException("no cluster " + clusterId);
          }
          return work.get();
        });
  }

  @Override
  public Optional<BackupId> lastAllocatedId(String clusterId) {
    long last = jdbc.sql("select last_backup_id from clusters where id = :id").param("id", clusterId).query(Long.class).single();
    return last > 0 ? Optional.of(new BackupId(last)) : Optional.empty();
  }

  @Override
  public void recordAllocatedId(String clusterId, BackupId id) {
    int updated =
        jdbc.sql("update clusters set last_backup_id = :id where id = :cluster and last_backup_id < :id")
            .param("id", id.value())
            .param("cluster", clusterId)
            .update();
    if (updated != 1) {
      throw new IllegalStateException("backup id " + id + " is not above the last one of " + clusterId);
    }
  }

  @Override
  public void insert(Backup backup, String owner, Instant leaseUntil) {
    try {
      jdbc.sql(
              "insert into backups (" + COLUMNS + ", lease_owner, lease_expires_at) values (:cluster, :id, :name, :type, :state, :step,"
                  + " :stepStartedAt, :paused, cast(:parts as jsonb), :createdAt, :completedAt, :failureReason, :owner, :leaseUntil)")
          .paramSource(params(backup).addValue("owner", owner).addValue("leaseUntil", Timestamp.from(leaseUntil)))
          .update();
    } catch (DuplicateKeyException e) {
      throw new OperationRunningException("another backup of cluster " + backup.clusterId() + " is in progress");
    }
  }

  @Override
  public void update(Backup backup) {
    jdbc.sql(
            "update backups set state = :state, step = :step, step_started_at = :stepStartedAt, exporting_paused = :paused,"
                + " parts = cast(:parts as jsonb), completed_at = :completedAt, failure_reason = :failureReason"
                + " where cluster_id = :cluster and backup_id = :id")
        .paramSource(params(backup))
        .update();
  }

  @Override
  public Optional<Backup> find(String clusterId, BackupId id) {
    return jdbc.sql("select " + COLUMNS + " from backups where cluster_id = :cluster and backup_id = :id")
        .param("cluster", clusterId)
        .param("id", id.value())
        .query(this::map)
        .optional();
  }

  @Override
  public List<Backup> list(String clusterId) {
    return jdbc.sql("select " + COLUMNS + " from backups where cluster_id = :cluster order by backup_id desc")
        .param("cluster", clusterId)
        .query(this::map)
        .list();
  }

  @Override
  public void remove(String clusterId, BackupId id) {
    jdbc.sql("delete from backups where cluster_id = :cluster and backup_id = :id").param("cluster", clusterId).param("id", id.value()).update();
  }

  @Override
  public List<Backup> claimAbandoned(String owner, Instant now, Instant leaseUntil) {
    return jdbc.sql(
            "update backups set lease_owner = :owner, lease_expires_at = :leaseUntil"
                + " where (state = 'IN_PROGRESS' or state = 'DELETING' or step = 'CLEAN_UP' or exporting_paused)"
                + " and (lease_expires_at is null or lease_expires_at < :now)"
                + " returning " + COLUMNS)
        .param("owner", owner)
        .param("leaseUntil", Timestamp.from(leaseUntil))
        .param("now", Timestamp.from(now))
        .query(this::map)
        .list();
  }

  @Override
  public void lease(String clusterId, BackupId id, String owner, Instant leaseUntil) {
    jdbc.sql("update backups set lease_owner = :owner, lease_expires_at = :leaseUntil where cluster_id = :cluster and backup_id = :id")
        .param("owner", owner)
        .param("leaseUntil", Timestamp.from(leaseUntil))
        .param("cluster", clusterId)
        .param("id", id.value())
        .update();
  }

  @Override
  public void renewLeases(String owner, Instant leaseUntil) {
    jdbc.sql("update backups set lease_expires_at = :leaseUntil where lease_owner = :owner")
        .param("owner", owner)
        .param("leaseUntil", Timestamp.from(leaseUntil))
        .update();
  }

  @Override
  public void release(String clusterId, BackupId id) {
    jdbc.sql("update backups set lease_owner = null, lease_expires_at = null where cluster_id = :cluster and backup_id = :id")
        .param("cluster", clusterId)
        .param("id", id.value())
        .update();
  }

  private org.springframework.jdbc.core.namedparam.MapSqlParameterSource params(Backup backup) {
    try {
      return new org.springframework.jdbc.core.namedparam.MapSqlParameterSource()
          .addValue("cluster", backup.clusterId())
          .addValue("id", backup.id().value())
          .addValue("name", backup.name())
          .addValue("type", backup.type().name())
          .addValue("state", backup.state().name())
          .addValue("step", backup.step().name())
          .addValue("stepStartedAt", Timestamp.from(backup.stepStartedAt()))
          .addValue("paused", backup.exportingPaused())
          .addValue("parts", json.writeValueAsString(backup.parts()))
          .addValue("createdAt", Timestamp.from(backup.createdAt()))
          .addValue("completedAt", backup.completedAt().map(Timestamp::from).orElse(null))
          .addValue("failureReason", backup.failureReason().orElse(null));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private Backup map(ResultSet rs, int row) throws SQLException {
    Map<Component, ComponentPart> parts;
    try {
      parts = new EnumMap<>(json.readValue(rs.getString("parts"), PARTS));
    } catch (JsonProcessingException e) {
      throw new SQLException("unreadable parts of backup " + rs.getLong("backup_id"), e);
    }
    return new Backup(
        rs.getString("cluster_id"),
        new BackupId(rs.getLong("backup_id")),
        rs.getString("name"),
        BackupType.valueOf(rs.getString("type")),
        BackupState.valueOf(rs.getString("state")),
        BackupStep.valueOf(rs.getString("step")),
        rs.getTimestamp("step_started_at").toInstant(),
        rs.getBoolean("exporting_paused"),
        parts,
        rs.getTimestamp("created_at").toInstant(),
        Optional.ofNullable(rs.getTimestamp("completed_at")).map(Timestamp::toInstant),
        Optional.ofNullable(rs.getString("failure_reason")));
  }
}
