package dev.backstop.server.metrics;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The per-cluster facts of {@link ClusterFacts}, read from PostgreSQL in one aggregate query over
 * the backups grouped by cluster: shared by every instance, and not lost by a restart. Clusters
 * being deleted are left out. A completed backup that verification found DAMAGED is no good
 * backup: it is neither the last completed nor the last replicated one.
 */
@Repository
public class JdbcClusterFacts implements ClusterGauges.FactSource {

  static final String QUERY =
      """
      with per_cluster as (
          select c.id, c.name, c.location_type = 'DUAL_REGION' as dual_region,
                 max(b.completed_at) filter (where b.state = 'COMPLETED' and b.verification_state is distinct from 'DAMAGED') as last_completed_at,
                 max(b.completed_at) filter (where b.state = 'COMPLETED' and b.verification_state is distinct from 'DAMAGED'
                                               and b.replication ->> 'state' = 'COMPLETED') as last_replicated_at
            from clusters c
            left join backups b on b.cluster_id = c.id
           where c.state <> 'DELETING'
           group by c.id, c.name, c.location_type)
      select p.id, p.name, p.dual_region, p.last_completed_at, p.last_replicated_at,
             (select min(b.completed_at)
                from backups b
               where b.cluster_id = p.id
                 and b.state = 'COMPLETED'
                 and b.replication ->> 'state' in ('PENDING', 'IN_PROGRESS', 'FAILED')
                 and (p.last_replicated_at is null or b.completed_at > p.last_replicated_at)) as unreplicated_since
        from per_cluster p
       order by p.id
      """;

  private final JdbcClient jdbc;

  public JdbcClusterFacts(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public List<ClusterFacts> read() {
    return jdbc.sql(QUERY).query(JdbcClusterFacts::map).list();
  }

  private static ClusterFacts map(ResultSet rs, int row) throws SQLException {
    return new ClusterFacts(
        rs.getString("id"),
        rs.getString("name"),
        rs.getBoolean("dual_region"),
        instant(rs, "last_completed_at"),
        instant(rs, "last_replicated_at"),
        instant(rs, "unreplicated_since"));
  }

  private static Optional<Instant> instant(ResultSet rs, String column) throws SQLException {
    return Optional.ofNullable(rs.getTimestamp(column)).map(Timestamp::toInstant);
  }
}
