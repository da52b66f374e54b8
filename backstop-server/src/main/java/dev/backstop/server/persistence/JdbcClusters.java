package dev.backstop.server.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backstop.core.cluster.BackupLocation;
import dev.backstop.core.cluster.Cluster;
import dev.backstop.core.cluster.ClusterDirectory;
import dev.backstop.core.cluster.ComponentEndpoints;
import dev.backstop.core.cluster.Generation;
import dev.backstop.core.cluster.PreflightReport;
import dev.backstop.core.cluster.SearchAuth;
import dev.backstop.core.organization.Plan;
import dev.backstop.core.policy.BackupPolicy;
import dev.backstop.core.policy.PolicyStore;
import dev.backstop.server.BackupSettings;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.postgresql.util.PGInterval;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Clusters and their policy overrides in PostgreSQL. A search engine's credentials are kept out of
 * the components' JSON: their kind and username in columns of their own, the secret sealed ({@link
 * ComponentSecrets}).
 */
@Repository
public class JdbcClusters implements ClusterDirectory, PolicyStore {

  /** A cluster as stored, with its last preflight report and lifecycle state. */
  public record StoredCluster(Cluster cluster, Optional<PreflightReport> preflight, boolean deleting) {}

  /** A cluster's policy overrides; empty fields take the defaults. */
  public record PolicyOverrides(Optional<Duration> manualRateLimit, Optional<Integer> manualRetention, Optional<Integer> scheduledRetention) {
    public static final PolicyOverrides NONE = new PolicyOverrides(Optional.empty(), Optional.empty(), Optional.empty());

    public BackupPolicy applyTo(BackupPolicy defaults) {
      return new BackupPolicy(
          manualRateLimit.orElse(defaults.manualRateLimit()),
          manualRetention.orElse(defaults.manualRetention()),
          scheduledRetention.orElse(defaults.scheduledRetention()));
    }
  }

  private static final String COLUMNS =
      "c.id, c.name, c.organization_id, c.generation, c.region, c.location_type, c.secondary_region, c.components,"
          + " c.storage, c.preflight, c.state, c.created_at, c.runtime, c.search_auth_type, c.search_auth_username, c.search_auth_secret_sealed";

  private final JdbcClient jdbc;
  private final ObjectMapper json;
  private final BackupSettings settings;
  private final ComponentSecrets secrets;

  public JdbcClusters(JdbcClient jdbc, ObjectMapper json, BackupSettings settings, ComponentSecrets secrets) {
    this.jdbc = jdbc;
    this.json = json;
    this.settings = settings;
    this.secrets = secrets;
  }

  @Override
  public Optional<ClusterContext> find(String clusterId) {
    return findStored(clusterId)
        .map(
            stored -> {
              Plan plan =
                  jdbc.sql("select plan from organizations where id = :id")
                      .param("id", stored.cluster().organizationId())
                      .query((rs, row) -> Plan.valueOf(rs.getString(1)))
                      .single();
              return new ClusterContext(stored.cluster(), plan, policyOf(clusterId), stored.deleting());
            });
  }

  public Optional<StoredCluster> findStored(String clusterId) {
    return jdbc.sql("select " + COLUMNS + " from clusters c where c.id = :id").param("id", clusterId).query(this::map).optional();
  }

  /** The clusters of one organization, or of all when {@code organizationId} is empty; by name. */
  public List<StoredCluster> list(Optional<UUID> organizationId) {
    return organizationId
        .map(org -> jdbc.sql("select " + COLUMNS + " from clusters c where c.organization_id = :org order by c.name").param("org", org))
        .orElseGet(() -> jdbc.sql("select " + COLUMNS + " from clusters c order by c.name"))
        .query(this::map)
        .list();
  }

  public boolean nameTaken(UUID organizationId, String name) {
    return jdbc.sql("select count(*) from clusters where organization_id = :org and name = :name")
            .param("org", organizationId)
            .param("name", name)
            .query(Integer.class)
            .single()
        > 0;
  }

  /**
   * Inserts the cluster unless its organization has one of its name. Race-safe: of two inserts of
   * one name at the same moment, exactly one succeeds.
   *
   * @return whether it was inserted ({@code false}: the name is taken)
   */
  public boolean insert(Cluster cluster, PreflightReport preflight) {
    return jdbc.sql(
            "insert into clusters (id, name, organization_id, generation, region, location_type, secondary_region, components,"
                + " storage, preflight, created_at, runtime, search_auth_type, search_auth_username, search_auth_secret_sealed)"
                + " values (:id, :name, :org, :generation, :region, :locationType, :secondary,"
                + " cast(:components as jsonb), cast(:storage as jsonb), cast(:preflight as jsonb), :createdAt, cast(:runtime as jsonb),"
                + " :authType, :authUsername, :authSecret)"
                + " on conflict (organization_id, name) do nothing")
        .param("id", cluster.id())
        .param("name", cluster.name())
        .param("org", cluster.organizationId())
        .param("generation", cluster.generation().toString())
        .param("region", cluster.region())
        .param("locationType", cluster.location().type().name())
        .param("secondary", cluster.location().secondaryRegion().orElse(null))
        .param("components", writeWithoutSecrets(cluster.components()))
        .param("storage", write(cluster.storage()))
        .param("preflight", write(preflight))
        .param("createdAt", Timestamp.from(cluster.createdAt()))
        .param("runtime", write(cluster.runtime()))
        .params(authColumns(cluster.id(), cluster.components().search().auth()))
        .update()
        == 1;
  }

  /** Replaces a cluster's endpoints and search engine credentials (the sandbox's ports change with every start). */
  /** Records the generation the cluster's components now run, with the preflight taken for it. */
  public boolean updateGeneration(String clusterId, Generation generation, PreflightReport preflight) {
    return jdbc.sql("update clusters set generation = :generation, preflight = cast(:preflight as jsonb) where id = :id and state <> 'DELETING'")
        .param("id", clusterId)
        .param("generation", generation.toString())
        .param("preflight", write(preflight))
        .update() == 1;
  }

  public void updateEndpoints(String clusterId, ComponentEndpoints endpoints, PreflightReport preflight) {
    jdbc.sql(
            "update clusters set components = cast(:components as jsonb), preflight = cast(:preflight as jsonb),"
                + " search_auth_type = :authType, search_auth_username = :authUsername, search_auth_secret_sealed = :authSecret where id = :id")
        .param("id", clusterId)
        .param("components", writeWithoutSecrets(endpoints))
        .param("preflight", write(preflight))
        .params(authColumns(clusterId, endpoints.search().auth()))
        .update();
  }

  private Map<String, Object> authColumns(String clusterId, Optional<SearchAuth> auth) {
    Map<String, Object> columns = new HashMap<>();
    columns.put("authType", null);
    columns.put("authUsername", null);
    columns.put("authSecret", null);
    auth.ifPresent(present -> {
      switch (present) {
        case SearchAuth.Basic basic -> {
          columns.put("authType", "BASIC");
          columns.put("authUsername", basic.username());
          columns.put("authSecret", secrets.sealSearchSecret(clusterId, basic.password()));
        }
        case SearchAuth.ApiKey apiKey -> {
          columns.put("authType", "API_KEY");
          columns.put("authSecret", secrets.sealSearchSecret(clusterId, apiKey.key()));
        }
      }
    });
    return columns;
  }

  private Optional<SearchAuth> auth(ResultSet rs, String clusterId) throws SQLException {
    String type = rs.getString("search_auth_type");
    if (type == null) {
      return Optional.empty();
    }
    String secret = secrets.openSearchSecret(clusterId, rs.getBytes("search_auth_secret_sealed"));
    return Optional.of(switch (type) {
      case "BASIC" -> new SearchAuth.Basic(rs.getString("search_auth_username"), secret);
      case "API_KEY" -> new SearchAuth.ApiKey(secret);
      default -> throw new SQLException("unknown search_auth_type " + type + " of cluster " + clusterId);
    });
  }

  /** The components' JSON never holds the credentials: those have their own columns. */
  private String writeWithoutSecrets(ComponentEndpoints endpoints) {
    return write(endpoints.withSearchAuth(Optional.empty()));
  }

  /** Replaces a cluster's storage layout and runtime (the sandbox's descriptor moves with its data directory). */
  public void updateRuntime(String clusterId, Cluster.StorageLayout storage, Cluster.Runtime runtime) {
    jdbc.sql("update clusters set storage = cast(:storage as jsonb), runtime = cast(:runtime as jsonb) where id = :id")
        .param("id", clusterId)
        .param("storage", write(storage))
        .param("runtime", write(runtime))
        .update();
  }

  /** @return whether the cluster exists (and is now DELETING) */
  public boolean markDeleting(String clusterId) {
    return jdbc.sql("update clusters set state = 'DELETING' where id = :id").param("id", clusterId).update() == 1;
  }

  /** Removes a cluster that is being deleted, once it has no backups left. */
  public boolean removeIfEmpty(String clusterId) {
    return jdbc.sql(
                "delete from clusters where id = :id and state = 'DELETING'"
                    + " and not exists (select 1 from backups where cluster_id = :id)")
            .param("id", clusterId)
            .update()
        == 1;
  }

  public List<String> deletingClusterIds() {
    return jdbc.sql("select id from clusters where state = 'DELETING'").query(String.class).list();
  }

  public PolicyOverrides overrides(String clusterId) {
    return jdbc.sql(
            "select extract(epoch from manual_rate_limit) as rate_seconds, manual_retention, scheduled_retention"
                + " from cluster_backup_policies where cluster_id = :id")
        .param("id", clusterId)
        .query(
            (rs, row) ->
                new PolicyOverrides(
                    Optional.ofNullable(rs.getBigDecimal("rate_seconds")).map(s -> Duration.ofMillis(s.movePointRight(3).longValue())),
                    Optional.ofNullable((Integer) rs.getObject("manual_retention")),
                    Optional.ofNullable((Integer) rs.getObject("scheduled_retention"))))
        .optional()
        .orElse(PolicyOverrides.NONE);
  }

  public BackupPolicy policyOf(String clusterId) {
    return overrides(clusterId).applyTo(settings.defaultPolicy());
  }

  /** Saves a cluster's policy as its overrides, replacing any before. */
  @Override
  public boolean save(String clusterId, BackupPolicy policy) {
    try {
      jdbc.sql(
            "insert into cluster_backup_policies (cluster_id, manual_rate_limit, manual_retention, scheduled_retention)"
                + " values (:id, :rate, :manual, :scheduled) on conflict (cluster_id) do update set"
                + " manual_rate_limit = excluded.manual_rate_limit, manual_retention = excluded.manual_retention,"
                + " scheduled_retention = excluded.scheduled_retention")
        .param("id", clusterId)
        .param("rate", interval(policy.manualRateLimit()))
        .param("manual", policy.manualRetention())
        .param("scheduled", policy.scheduledRetention())
        .update();
      return true;
    } catch (DataIntegrityViolationException e) {
      if (SqlStates.isForeignKeyViolation(e)) {
        return false;
      }
      throw e;
    }
  }

  private static PGInterval interval(Duration duration) {
    PGInterval interval = new PGInterval();
    interval.setSeconds(duration.toMillis() / 1000.0);
    return interval;
  }

  private StoredCluster map(ResultSet rs, int row) throws SQLException {
    try {
      Optional<String> secondary = Optional.ofNullable(rs.getString("secondary_region"));
      BackupLocation location = new BackupLocation(BackupLocation.Type.valueOf(rs.getString("location_type")), secondary);
      Cluster cluster =
          new Cluster(
              rs.getString("id"),
              rs.getString("name"),
              rs.getObject("organization_id", UUID.class),
              Generation.parse(rs.getString("generation")),
              rs.getString("region"),
              location,
              json.readValue(rs.getString("components"), ComponentEndpoints.class).withSearchAuth(auth(rs, rs.getString("id"))),
              json.readValue(rs.getString("storage"), Cluster.StorageLayout.class),
              rs.getTimestamp("created_at").toInstant(),
              json.readValue(rs.getString("runtime"), Cluster.Runtime.class));
      Optional<PreflightReport> preflight =
          rs.getString("preflight") == null ? Optional.empty() : Optional.of(json.readValue(rs.getString("preflight"), PreflightReport.class));
      return new StoredCluster(cluster, preflight, "DELETING".equals(rs.getString("state")));
    } catch (JsonProcessingException e) {
      throw new SQLException("unreadable cluster " + rs.getString("id"), e);
    }
  }

  private String write(Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
