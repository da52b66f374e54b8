package dev.backstop.server.persistence;

import java.time.Instant;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * This Backstop installation's identity, created with its database on first start and the same
 * on every start after it: what ties backups, metrics and logs to one installation. It also
 * holds the installation's token signing key.
 */
@Component
public class Installation {

  /** The installation's id and when it was created. */
  public record Identity(UUID id, Instant createdAt) {}

  private final Identity identity;
  private final byte[] tokenSigningKey;

  public Installation(JdbcClient jdbc) {
    // Idempotent and race-safe: the table holds at most one row (its key is a constant).
    jdbc.sql(
            """
            insert into installation (singleton, id, created_at)
            values (true, :id, now())
            on conflict (singleton) do nothing
            """)
        .param("id", UUID.randomUUID())
        .update();
    byte[] key = new byte[32];
    new java.security.SecureRandom().nextBytes(key);
    jdbc.sql("update installation set token_signing_key = :key where token_signing_key is null").param("key", key).update();
    this.tokenSigningKey = jdbc.sql("select token_signing_key from installation").query(byte[].class).single();
    this.identity =
        jdbc.sql("select id, created_at from installation")
            .query((rs, row) -> new Identity(rs.getObject("id", UUID.class), rs.getTimestamp("created_at").toInstant()))
            .single();
  }

  public Identity identity() {
    return identity;
  }

  /**
   * The key that signs access tokens (HMAC-SHA256), created with the installation and kept in its
   * database, so that tokens stay valid across restarts and are shared by every instance.
   */
  public byte[] tokenSigningKey() {
    return tokenSigningKey.clone();
  }
}
