package dev.backstop.server.persistence;

import com.zaxxer.hikari.HikariDataSource;
import dev.backstop.server.BackstopProperties;
import dev.backstop.server.security.OwnerOnlyFiles;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.Map;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The embedded default database: when no {@code spring.datasource.url} is configured, Backstop
 * starts a real PostgreSQL from the binaries shipped through Maven, with its data in {@code
 * <data dir>/postgres} so that a restart finds it again. It listens on 127.0.0.1 only, and every
 * connection needs its generated password ({@code <data dir>/postgres.password}, owner-only).
 *
 * <p>It runs durably: the library's defaults are made for throw-away test databases ({@code -F},
 * i.e. {@code fsync=off}, and {@code synchronous_commit=off}), which can lose or corrupt
 * Backstop's state on a power cut or an OS crash. {@link #DURABILITY} turns them back on; a
 * {@code -c} setting given after {@code -F} wins.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(EmbeddedPostgresConfiguration.NoExternalDatabase.class)
public class EmbeddedPostgresConfiguration {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresConfiguration.class);

  /** PostgreSQL's safe defaults, which the embedded library switches off for tests. */
  static final Map<String, String> DURABILITY = Map.of("fsync", "on", "synchronous_commit", "on", "full_page_writes", "on");

  @Bean(destroyMethod = "close")
  EmbeddedPostgres embeddedPostgres(BackstopProperties properties) throws IOException {
    Path dataDirectory = properties.dataDir().toAbsolutePath().normalize().resolve("postgres");
    Files.createDirectories(dataDirectory);
    EmbeddedPostgres.Builder builder =
        EmbeddedPostgres.builder()
            .setDataDirectory(dataDirectory)
            .setCleanDataDirectory(false)
            .setServerConfig("listen_addresses", "127.0.0.1");
    DURABILITY.forEach(builder::setServerConfig);
    String password = password(properties);
    builder.setConnectConfig("password", password); // also for the library's own readiness check
    EmbeddedPostgres postgres = builder.start();
    requirePassword(postgres, dataDirectory, password);
    LOG.info("Embedded PostgreSQL on 127.0.0.1:{}, data in {}, password authentication", postgres.getPort(), dataDirectory);
    return postgres;
  }

  /**
   * The database's password: generated on first start into a file only its owner can read ({@code
   * <data dir>/postgres.password}), the same on every start after it.
   */
  static String password(BackstopProperties properties) throws IOException {
    return OwnerOnlyFiles.readOrCreate(passwordFile(properties), () -> {
      byte[] random = new byte[24];
      new SecureRandom().nextBytes(random);
      return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    });
  }

  static Path passwordFile(BackstopProperties properties) {
    return properties.dataDir().toAbsolutePath().normalize().resolve("postgres.password");
  }

  /**
   * The library creates the database with trust authentication: any local process could connect as
   * {@code postgres} without a password. At every start the role gets the password and every
   * connection — socket or loopback — must prove it (scram-sha-256); idempotent.
   */
  private static void requirePassword(EmbeddedPostgres postgres, Path dataDirectory, String password) throws IOException {
    try (Connection connection = postgres.getPostgresDatabase().getConnection(); Statement statement = connection.createStatement()) {
      statement.execute("set password_encryption = 'scram-sha-256'");
      statement.execute("alter role postgres password '" + password.replace("'", "''") + "'");
      Files.writeString(
          dataDirectory.resolve("pg_hba.conf"),
          """
          # Written by Backstop at every start: every connection needs the password.
          local   all   all                  scram-sha-256
          host    all   all   127.0.0.1/32   scram-sha-256
          host    all   all   ::1/128        scram-sha-256
          """);
      statement.execute("select pg_reload_conf()");
    } catch (SQLException e) {
      throw new IOException(
          "Cannot sign in to the embedded PostgreSQL in " + dataDirectory + " with the password in " + dataDirectory.resolveSibling("postgres.password")
              + ": " + e.getMessage(), e);
    }
  }

  @Bean
  DataSource dataSource(EmbeddedPostgres postgres, BackstopProperties properties) throws IOException {
    HikariDataSource dataSource = new HikariDataSource();
    dataSource.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
    dataSource.setUsername("postgres");
    dataSource.setPassword(password(properties));
    dataSource.setPoolName("backstop-embedded");
    dataSource.setMaximumPoolSize(10);
    return dataSource;
  }

  /** Matches when the operator has not pointed Backstop at a database of their own. */
  static final class NoExternalDatabase implements org.springframework.context.annotation.Condition {
    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
      String url = context.getEnvironment().getProperty("spring.datasource.url");
      return url == null || url.isBlank();
    }
  }

}
