package dev.backstop.server.audit;

import dev.backstop.core.audit.AuditEntry;
import dev.backstop.core.audit.AuditTrail;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The audit trail in PostgreSQL: inserts and reads only (the table refuses updates and deletes). */
@Repository
public class JdbcAuditTrail implements AuditTrail {

  private static final String COLUMNS = "sequence, at, actor, organization_id, action, cluster_id, backup_id, restore_id, outcome, detail";

  private final JdbcClient jdbc;

  public JdbcAuditTrail(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public AuditEntry append(AuditEntry entry) {
    return insert(null, entry).orElseThrow();
  }

  @Override
  public Optional<AuditEntry> appendOnce(String key, AuditEntry entry) {
    return insert(key, entry);
  }

  private Optional<AuditEntry> insert(String key, AuditEntry entry) {
    return jdbc.sql(
            "insert into audit_entries (at, actor, organization_id, action, cluster_id, backup_id, restore_id, outcome, detail, once_key)"
                + " values (:at, :actor, :org, :action, :cluster, :backup, :restore, :outcome, :detail, :key)"
                + " on conflict (once_key) do nothing returning " + COLUMNS)
        .param("at", Timestamp.from(entry.at()))
        .param("actor", entry.actor())
        .param("org", entry.organizationId().orElse(null))
        .param("action", entry.action())
        .param("cluster", entry.clusterId().orElse(null))
        .param("backup", entry.backupId().orElse(null))
        .param("restore", entry.restoreId().orElse(null))
        .param("outcome", entry.outcome().name())
        .param("detail", entry.detail())
        .param("key", key)
        .query(JdbcAuditTrail::map)
        .optional();
  }

  @Override
  public List<AuditEntry> find(
      Optional<UUID> organizationId, Optional<String> clusterId, Optional<Instant> from, Optional<Instant> to, Optional<Long> before, int limit) {
    StringBuilder sql = new StringBuilder("select " + COLUMNS + " from audit_entries where true");
    organizationId.ifPresent(o -> sql.append(" and organization_id = :org"));
    clusterId.ifPresent(c -> sql.append(" and cluster_id = :cluster"));
    from.ifPresent(f -> sql.append(" and at >= :from"));
    to.ifPresent(t -> sql.append(" and at < :to"));
    before.ifPresent(b -> sql.append(" and sequence < :before"));
    sql.append(" order by sequence desc limit :limit");
    JdbcClient.StatementSpec statement = jdbc.sql(sql.toString()).param("limit", limit);
    if (organizationId.isPresent()) {
      statement = statement.param("org", organizationId.get());
    }
    if (clusterId.isPresent()) {
      statement = statement.param("cluster", clusterId.get());
    }
    if (from.isPresent()) {
      statement = statement.param("from", Timestamp.from(from.get()));
    }
    if (to.isPresent()) {
      statement = statement.param("to", Timestamp.from(to.get()));
    }
    if (before.isPresent()) {
      statement = statement.param("before", before.get());
    }
    return statement.query(JdbcAuditTrail::map).list();
  }

  private static AuditEntry map(ResultSet rs, int row) throws SQLException {
    long backup = rs.getLong("backup_id");
    Optional<Long> backupId = rs.wasNull() ? Optional.empty() : Optional.of(backup);
    return new AuditEntry(
        rs.getLong("sequence"),
        rs.getTimestamp("at").toInstant(),
        rs.getString("actor"),
        Optional.ofNullable(rs.getObject("organization_id", UUID.class)),
        rs.getString("action"),
        Optional.ofNullable(rs.getString("cluster_id")),
        backupId,
        Optional.ofNullable(rs.getString("restore_id")),
        AuditEntry.Outcome.valueOf(rs.getString("outcome")),
        rs.getString("detail"));
  }
}
