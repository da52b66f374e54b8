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
import dev.backstop.core.operation.Ownership;
import dev.backstop.core.operation.OwnershipLost;
import dev.backstop.core.operation.RetryState;
import dev.backstop.core.operation.Ticket;
import dev.backstop.core.replication.Replication;
import dev.backstop.core.verification.Verification;
import dev.backstop.core.verification.VerificationState;
import dev.backstop.core.verification.VerificationStore;
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

/**
 * Backups in PostgreSQL: one row each, the component parts as JSON. The writes of a backup's
 * operation are fenced: a claim raises {@code fence}, and a write carries the value its run
 * claimed. A backup's verification is kept on its row too, but written only by {@link #record}
 * (never by the operation's writes), and the sizes verification remembers in {@code
 * backup_object_sizes}.
 */
@Repository
public class JdbcBackupRepository implements BackupRepository, VerificationStore {

  private static final TypeReference<Map<Component, ComponentPart>> PARTS = new TypeReference<>() {};
  private static final String COLUMNS =
      "cluster_id, backup_id, name, type, state, step, step_started_at, exporting_paused, parts, created_at, completed_at, failure_reason,"
          + " retry, replication";
  /** What is read: the columns written by the backup's operation, and its verification, written apart. */
  private static final String READ_COLUMNS = COLUMNS + ", verification_state, verification_at, verification_detail";

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

  /**
   * The cluster's own last id, or the last id allocated for its Zeebe (the same management URL)
   * under any cluster, deleted ones included, if that is higher: Zeebe refuses ids at or below
   * its latest checkpoint, even when that backup was deleted and is no longer listed. Two
   * clusters of one Zeebe admitted at the same instant may still get the same id (their locks
   * differ); Zeebe then refuses the second, which fails naming Zeebe's answer.
   */
  @Override
  public Optional<BackupId> lastAllocatedId(String clusterId) {
    long last =
        jdbc.sql(
                "select greatest(c.last_backup_id, coalesce(z.last_backup_id, 0)) from clusters c"
                    + " left join zeebe_backup_ids z on z.zeebe_management_url = c.components->>'zeebeManagementUrl'"
                    + " where c.id = :id")
            .param("id", clusterId)
            .query(Long.class)
            .single();
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
    jdbc.sql(
            "insert into zeebe_backup_ids (zeebe_management_url, last_backup_id)"
                + " select components->>'zeebeManagementUrl', :id from clusters where id = :cluster and components->>'zeebeManagementUrl' is not null"
                + " on conflict (zeebe_management_url) do update set last_backup_id = greatest(zeebe_backup_ids.last_backup_id, excluded.last_backup_id)")
        .param("id", id.value())
        .param("cluster", clusterId)
        .update();
  }

  @Override
  public void insert(Backup backup) {
    try {
      jdbc.sql(
              "insert into backups (" + COLUMNS + ", has_work, occupies_cluster) values (:cluster, :id, :name, :type, :state, :step,"
                  + " :stepStartedAt, :paused, cast(:parts as jsonb), :createdAt, :completedAt, :failureReason, cast(:retry as jsonb),"
                  + " cast(:replication as jsonb), :hasWork, :occupies)")
          .paramSource(params(backup))
          .update();
    } catch (DuplicateKeyException e) {
      throw new OperationRunningException("another backup of cluster " + backup.clusterId() + " is running or still cleaning up");
    }
  }

  @Override
  public Ownership claim(String clusterId, BackupId id, Ticket ticket) {
    Optional<Long> token =
        FencedClaim.claim(jdbc, "backups", "cluster_id = :cluster and backup_id = :id", Map.of("cluster", clusterId, "id", id.value()), ticket);
    return token
        .map(fence -> new Ownership(ticket.operation(), fence))
        .orElseThrow(() -> new OwnershipLost("backup " + id + " of " + clusterId + ": run " + ticket.version() + " of its operation is not the current one"));
  }

  @Override
  public void update(Backup backup, Ownership owner) {
    int updated =
        jdbc.sql(
                "update backups set state = :state, step = :step, step_started_at = :stepStartedAt, exporting_paused = :paused,"
                    + " parts = cast(:parts as jsonb), completed_at = :completedAt, failure_reason = :failureReason,"
                    + " retry = cast(:retry as jsonb), replication = cast(:replication as jsonb), has_work = :hasWork, occupies_cluster = :occupies"
                    + " where cluster_id = :cluster and backup_id = :id and fence = :fence")
            .paramSource(params(backup).addValue("fence", owner.token()))
            .update();
    if (updated != 1) {
      throw new OwnershipLost("backup " + backup.id() + " of " + backup.clusterId() + " was claimed by another run (or removed)");
    }
  }

  @Override
  public void startDeleting(Backup deleting) {
    jdbc.sql(
            "update backups set state = :state, step_started_at = :stepStartedAt, retry = cast(:retry as jsonb),"
                + " has_work = :hasWork, occupies_cluster = :occupies, fence = fence + 1"
                + " where cluster_id = :cluster and backup_id = :id")
        .paramSource(params(deleting))
        .update();
  }

  @Override
  public void reopen(Backup changed) {
    jdbc.sql(
            "update backups set state = :state, step = :step, step_started_at = :stepStartedAt, exporting_paused = :paused,"
                + " parts = cast(:parts as jsonb), completed_at = :completedAt, failure_reason = :failureReason,"
                + " retry = cast(:retry as jsonb), replication = cast(:replication as jsonb), has_work = :hasWork,"
                + " occupies_cluster = :occupies, fence = fence + 1"
                + " where cluster_id = :cluster and backup_id = :id")
        .paramSource(params(changed))
        .update();
  }

  @Override
  public Optional<Backup> find(String clusterId, BackupId id) {
    return jdbc.sql("select " + READ_COLUMNS + " from backups where cluster_id = :cluster and backup_id = :id")
        .param("cluster", clusterId)
        .param("id", id.value())
        .query(this::map)
        .optional();
  }

  @Override
  public List<Backup> list(String clusterId) {
    return jdbc.sql("select " + READ_COLUMNS + " from backups where cluster_id = :cluster order by backup_id desc")
        .param("cluster", clusterId)
        .query(this::map)
        .list();
  }

  @Override
  public List<Backup> withWork() {
    return jdbc.sql("select " + READ_COLUMNS + " from backups where has_work order by cluster_id, backup_id").query(this::map).list();
  }

  @Override
  public boolean record(String clusterId, BackupId id, Verification verification) {
    Timestamp at = Timestamp.from(verification.at().orElseThrow(() -> new IllegalArgumentException("a recorded verification has a time")));
    return jdbc.sql(
                "update backups set verification_state = :state, verification_at = :at, verification_detail = :detail"
                    + " where cluster_id = :cluster and backup_id = :id and state = 'COMPLETED'"
                    + " and (verification_at is null or verification_at <= :at)")
            .param("state", verification.state().name())
            .param("at", at)
            .param("detail", verification.detail().orElse(null))
            .param("cluster", clusterId)
            .param("id", id.value())
            .update()
        == 1;
  }

  @Override
  public Map<String, Long> rememberedSizes(String clusterId, BackupId id) {
    Map<String, Long> sizes = new java.util.HashMap<>();
    jdbc.sql("select object_key, size from backup_object_sizes where cluster_id = :cluster and backup_id = :id")
        .param("cluster", clusterId)
        .param("id", id.value())
        .query(rs -> {
          sizes.put(rs.getString("object_key"), rs.getLong("size"));
        });
    return sizes;
  }

  @Override
  public void remember(String clusterId, BackupId id, Map<String, Long> sizes) {
    sizes.forEach((key, size) ->
        jdbc.sql(
                "insert into backup_object_sizes (cluster_id, backup_id, object_key, size)"
                    + " select :cluster, :id, :key, :size where exists (select 1 from backups where cluster_id = :cluster and backup_id = :id)"
                    + " on conflict do nothing")
            .param("cluster", clusterId)
            .param("id", id.value())
            .param("key", key)
            .param("size", size)
            .update());
  }

  /**
   * When the replication ended, as a timestamp: its JSON holds an ISO-8601 text, or epoch seconds
   * where the writing mapper wrote dates as numbers.
   */
  private static final String REPLICATION_ENDED_AT =
      "(case when replication ->> 'endedAt' ~ '^[0-9]+(\\.[0-9]+)?$' then to_timestamp(cast(replication ->> 'endedAt' as numeric))"
          + " else cast(replication ->> 'endedAt' as timestamptz) end)";

  @Override
  public List<Backup> dueForVerification(Instant checkedBefore, int limit) {
    // Served by backups_verification_due (V13): the completed backups by their last check.
    return jdbc.sql(
            "select " + READ_COLUMNS + " from backups where state = 'COMPLETED'"
                + " and (verification_at is null or verification_at < :checkedBefore"
                + " or (replication ->> 'state' = 'COMPLETED' and " + REPLICATION_ENDED_AT + " > verification_at))"
                + " and cluster_id in (select id from clusters where state <> 'DELETING')"
                + " order by verification_at nulls first, cluster_id, backup_id limit :limit")
        .param("checkedBefore", Timestamp.from(checkedBefore))
        .param("limit", limit)
        .query(this::map)
        .list();
  }

  @Override
  public void remove(String clusterId, BackupId id, Ownership owner) {
    int removed =
        jdbc.sql("delete from backups where cluster_id = :cluster and backup_id = :id and fence = :fence")
            .param("cluster", clusterId)
            .param("id", id.value())
            .param("fence", owner.token())
            .update();
    if (removed != 1) {
      throw new OwnershipLost("backup " + id + " of " + clusterId + " was claimed by another run (or removed)");
    }
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
          .addValue("failureReason", backup.failureReason().orElse(null))
          .addValue("retry", backup.retry().isEmpty() ? null : json.writeValueAsString(backup.retry().get()))
          .addValue("replication", json.writeValueAsString(backup.replication()))
          .addValue("hasWork", backup.hasWork())
          .addValue("occupies", backup.occupiesCluster());
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
    Optional<RetryState> retry;
    try {
      String stored = rs.getString("retry");
      retry = stored == null ? Optional.empty() : Optional.of(json.readValue(stored, RetryState.class));
    } catch (JsonProcessingException e) {
      throw new SQLException("unreadable retry state of backup " + rs.getLong("backup_id"), e);
    }
    Replication replication;
    try {
      replication = json.readValue(rs.getString("replication"), Replication.class);
    } catch (JsonProcessingException e) {
      throw new SQLException("unreadable replication of backup " + rs.getLong("backup_id"), e);
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
        Optional.ofNullable(rs.getString("failure_reason")),
        retry,
        replication,
        verification(rs));
  }

  private static Verification verification(ResultSet rs) throws SQLException {
    String state = rs.getString("verification_state");
    if (state == null) {
      return Verification.pending();
    }
    return new Verification(
        VerificationState.valueOf(state),
        Optional.ofNullable(rs.getTimestamp("verification_at")).map(Timestamp::toInstant),
        Optional.ofNullable(rs.getString("verification_detail")));
  }
}
