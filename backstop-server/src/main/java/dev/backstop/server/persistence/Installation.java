package dev.backstop.server.persistence;

import java.time.Instant;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * This Backstop installation's identity, created with its database on first start and the same
 * on every start after it: what ties backups, metrics and logs to one installation. (The token
 * signing keys are {@code security.SigningKeys}.)
 */
@Component
public class Installation {

  /** The installation's id and when it was created. */
  public record Identity(UUID id, Instant createdAt) {}

  private final Identity identity;

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
    this.identity =
        jdbc.sql("select id, created_at from installation")
            .query((rs, row) -> new Identity(rs.getObject("id", UUID.class), rs.getTimestamp("created_at").toInstant()))
            .single();
  }

  public Identity identity() {
    return identity;
  }
}
