package dev.backstop.server.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backstop.core.backup.BackupId;
import dev.backstop.core.operation.Ownership;
import dev.backstop.core.operation.OwnershipLost;
import dev.backstop.core.operation.Ticket;
import dev.backstop.core.restore.PhaseRun;
import dev.backstop.core.restore.Restore;
import dev.backstop.core.restore.RestorePhase;
import dev.backstop.core.restore.RestoreRepository;
import dev.backstop.core.restore.RestoreState;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Restores in PostgreSQL: one row each, the phases as JSON. As with backups, a claim raises
 * {@code fence} and every write of a run carries the value it claimed; a partial unique index
 * admits one active restore per cluster.
 */
@Repository
public class JdbcRestoreRepository implements RestoreRepository {

  private static final TypeReference<List<PhaseRun>> PHASES = new TypeReference<>() {};
  private static final String COLUMNS =
      "cluster_id, id, backup_id, source_region, state, phase, phases, failure_reason, waiting_for, requested_at, ended_at";
  private static final String ACTIVE = "state in ('REQUESTED', 'RUNNING', 'WAITING')";

  private final JdbcClient jdbc;
  private final ObjectMapper json;

  public JdbcRestoreRepository(JdbcClient jdbc, ObjectMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  @Override
  public void insert(Restore restore) {
    try {
      jdbc.sql("insert into restores (" + COLUMNS + ") values (:cluster, :id, :backup, :region, :state, :phase, cast(:phases as jsonb),"
              + " :failureReason, :waitingFor, :requestedAt, :endedAt)")
          .paramSource(params(restore))
          .update();
    } catch (DuplicateKeyException e) {
      throw new RestoreRunningException("another restore of cluster " + restore.clusterId() + " is active");
    }
  }

  @Override
  public Optional<Restore> find(String clusterId, String restoreId) {
    return jdbc.sql("select " + COLUMNS + " from restores where cluster_id = :cluster and id = :id")
        .param("cluster", clusterId)
        .param("id", restoreId)
        .query(this::map)
        .optional();
  }

  @Override
  public List<Restore> list(String clusterId) {
    return jdbc.sql("select " + COLUMNS + " from restores where cluster_id = :cluster order by requested_at desc, id")
        .param("cluster", clusterId)
        .query(this::map)
        .list();
  }

  @Override
  public Optional<Restore> active(String clusterId) {
    return jdbc.sql("select " + COLUMNS + " from restores where cluster_id = :cluster and " + ACTIVE)
        .param("cluster", clusterId)
        .query(this::map)
        .optional();
  }

  @Override
  public List<Restore> withWork() {
    return jdbc.sql("select " + COLUMNS + " from restores where state in ('REQUESTED', 'RUNNING')").query(this::map).list();
  }

  @Override
  public Ownership claim(String clusterId, String restoreId, Ticket ticket) {
    Optional<Long> token =
        FencedClaim.claim(jdbc, "restores", "cluster_id = :cluster and id = :id", Map.of("cluster", clusterId, "id", restoreId), ticket);
    return token
        .map(fence -> new Ownership(ticket.operation(), fence))
        .orElseThrow(() -> new OwnershipLost("restore " + restoreId + " of " + clusterId + ": run " + ticket.version() + " of its operation is not the current one"));
  }

  @Override
  public void update(Restore restore, Ownership owner) {
    int updated =
        jdbc.sql("update restores set state = :state, phase = :phase, phases = cast(:phases as jsonb), failure_reason = :failureReason,"
                + " waiting_for = :waitingFor, ended_at = :endedAt where cluster_id = :cluster and id = :id and fence = :fence")
            .paramSource(params(restore).addValue("fence", owner.token()))
            .update();
    if (updated != 1) {
      throw new OwnershipLost("restore " + restore.id() + " of " + restore.clusterId() + " was claimed by another run (or removed)");
    }
  }

  @Override
  public void reopen(Restore restore) {
    jdbc.sql("update restores set state = :state, phase = :phase, phases = cast(:phases as jsonb), failure_reason = :failureReason,"
            + " waiting_for = :waitingFor, ended_at = :endedAt, fence = fence + 1 where cluster_id = :cluster and id = :id")
        .paramSource(params(restore))
        .update();
  }

  private MapSqlParameterSource params(Restore restore) {
    try {
      return new MapSqlParameterSource()
          .addValue("cluster", restore.clusterId())
          .addValue("id", restore.id())
          .addValue("backup", restore.backupId().value())
          .addValue("region", restore.sourceRegion())
          .addValue("state", restore.state().name())
          .addValue("phase", restore.phase().name())
          .addValue("phases", json.writeValueAsString(restore.phases()))
          .addValue("failureReason", restore.failureReason().orElse(null))
          .addValue("waitingFor", restore.waitingFor().orElse(null))
          .addValue("requestedAt", Timestamp.from(restore.requestedAt()))
          .addValue("endedAt", restore.endedAt().map(Timestamp::from).orElse(null));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private Restore map(ResultSet rs, int row) throws SQLException {
    List<PhaseRun> phases;
    try {
      phases = json.readValue(rs.getString("phases"), PHASES);
    } catch (JsonProcessingException e) {
      throw new SQLException("unreadable phases of restore " + rs.getString("id"), e);
    }
    return new Restore(
        rs.getString("id"),
        rs.getString("cluster_id"),
        new BackupId(rs.getLong("backup_id")),
        rs.getString("source_region"),
        RestoreState.valueOf(rs.getString("state")),
        RestorePhase.valueOf(rs.getString("phase")),
        phases,
        Optional.ofNullable(rs.getString("failure_reason")),
        Optional.ofNullable(rs.getString("waiting_for")),
        rs.getTimestamp("requested_at").toInstant(),
        Optional.ofNullable(rs.getTimestamp("ended_at")).map(Timestamp::toInstant));
  }
}
