package dev.backstop.server.persistence;

import dev.backstop.core.operation.Exclusion;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.springframework.stereotype.Component;

/**
 * Exclusion across every instance on the database: a PostgreSQL session-level advisory lock on the
 * name's hash, held on a connection of its own for as long as the work runs. An instance that
 * dies loses its connection, and with it the lock.
 */
@Component
public class PostgresExclusion implements Exclusion {

  private final DataSource dataSource;

  public PostgresExclusion(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  @Override
  public <T> T exclusively(String name, Supplier<T> work) {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(true);
      call(connection, "select pg_advisory_lock(hashtextextended(?, 0))", name);
      try {
        return work.get();
      } finally {
        call(connection, "select pg_advisory_unlock(hashtextextended(?, 0))", name);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("the exclusion '" + name + "' failed: " + e.getMessage(), e);
    }
  }

  private static void call(Connection connection, String sql, String name) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, name);
      statement.executeQuery().close();
    }
  }
}
