package dev.backstop.server.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/** A throw-away PostgreSQL on 127.0.0.1 with Backstop's schema, for repository tests without the server. */
public final class MigratedDatabase implements AutoCloseable {

  private final EmbeddedPostgres postgres;
  private final DataSource dataSource;

  private MigratedDatabase(EmbeddedPostgres postgres) {
    this.postgres = postgres;
    this.dataSource = postgres.getPostgresDatabase();
    Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
  }

  public static MigratedDatabase start() throws IOException {
    return new MigratedDatabase(EmbeddedPostgres.builder().setServerConfig("listen_addresses", "127.0.0.1").start());
  }

  public DataSource dataSource() {
    return dataSource;
  }

  @Override
  public void close() throws IOException {
    postgres.close();
  }
}
