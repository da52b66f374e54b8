package dev.backstop.server.persistence;

import dev.backstop.core.organization.ApiClient;
import dev.backstop.core.organization.Organization;
import dev.backstop.core.organization.Organizations;
import dev.backstop.core.organization.Permission;
import dev.backstop.core.organization.Plan;
import java.sql.Array;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Organizations and their API clients in PostgreSQL. Client secrets are kept as hashes only. */
@Repository
public class JdbcOrganizations implements Organizations {

  /** An API client as stored: its secret only as a hash. */
  public record StoredClient(String clientId, String name, String secretHash, Optional<UUID> organizationId, Set<Permission> permissions) {}

  private final JdbcClient jdbc;

  public JdbcOrganizations(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public boolean insert(Organization organization) {
    return jdbc.sql(
                "insert into organizations (id, name, plan, created_at) values (:id, :name, :plan, :createdAt)"
                    + " on conflict (name) do nothing")
            .param("id", organization.id())
            .param("name", organization.name())
            .param("plan", organization.plan().name())
            .param("createdAt", Timestamp.from(organization.createdAt()))
            .update()
        == 1;
  }

  @Override
  public Optional<Organization> find(UUID id) {
    return jdbc.sql("select id, name, plan, created_at from organizations where id = :id").param("id", id).query(this::map).optional();
  }

  public Optional<Organization> findByName(String name) {
    return jdbc.sql("select id, name, plan, created_at from organizations where name = :name").param("name", name).query(this::map).optional();
  }

  @Override
  public List<Organization> list() {
    return jdbc.sql("select id, name, plan, created_at from organizations order by name").query(this::map).list();
  }

  @Override
  public void insertClient(ApiClient client, String secretHash, Instant createdAt) {
    jdbc.sql(
            "insert into api_clients (client_id, name, secret_hash, organization_id, permissions, created_at)"
                + " values (:id, :name, :hash, :org, :permissions, :createdAt)")
        .param("id", client.clientId())
        .param("name", client.name())
        .param("hash", secretHash)
        .param("org", client.organizationId().orElse(null))
        .param("permissions", scopes(client.permissions()))
        .param("createdAt", Timestamp.from(createdAt))
        .update();
  }

  /** Creates or replaces the operator's client (its secret comes from the environment at each start). */
  public void upsertOperatorClient(String clientId, String secretHash, Instant now) {
    jdbc.sql(
            "insert into api_clients (client_id, name, secret_hash, organization_id, permissions, created_at)"
                + " values (:id, 'operator', :hash, null, :permissions, :createdAt)"
                + " on conflict (client_id) do update set secret_hash = excluded.secret_hash, organization_id = null,"
                + " permissions = excluded.permissions")
        .param("id", clientId)
        .param("hash", secretHash)
        .param("permissions", scopes(EnumSet.of(Permission.ADMIN)))
        .param("createdAt", Timestamp.from(now))
        .update();
  }

  /**
   * Removes every operator client but the current one (an earlier {@code BACKSTOP_ADMIN_CLIENT_ID}):
   * its tokens stop working at once.
   *
   * @return the ids removed
   */
  public List<String> retireOperatorClientsOtherThan(String clientId) {
    return jdbc.sql("delete from api_clients where organization_id is null and client_id <> :id returning client_id")
        .param("id", clientId)
        .query(String.class)
        .list();
  }

  public Optional<StoredClient> findClient(String clientId) {
    return jdbc.sql("select client_id, name, secret_hash, organization_id, permissions from api_clients where client_id = :id")
        .param("id", clientId)
        .query(
            (rs, row) -> {
              Set<Permission> permissions = EnumSet.noneOf(Permission.class);
              Array array = rs.getArray("permissions");
              for (Object scope : (Object[]) array.getArray()) {
                Permission.fromScope((String) scope).ifPresent(permissions::add);
              }
              return new StoredClient(
                  rs.getString("client_id"),
                  rs.getString("name"),
                  rs.getString("secret_hash"),
                  Optional.ofNullable(rs.getObject("organization_id", UUID.class)),
                  permissions);
            })
        .optional();
  }

  @Override
  public boolean deleteClient(UUID organizationId, String clientId) {
    return jdbc.sql("delete from api_clients where client_id = :id and organization_id = :org")
            .param("id", clientId)
            .param("org", organizationId)
            .update()
        == 1;
  }

  private static String[] scopes(Set<Permission> permissions) {
    List<String> scopes = new ArrayList<>();
    permissions.forEach(p -> scopes.add(p.scope()));
    return scopes.toArray(String[]::new);
  }

  private Organization map(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
    return new Organization(
        rs.getObject("id", UUID.class), rs.getString("name"), Plan.valueOf(rs.getString("plan")), rs.getTimestamp("created_at").toInstant());
  }
}
