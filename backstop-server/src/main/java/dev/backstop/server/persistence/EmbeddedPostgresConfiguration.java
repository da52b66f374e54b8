package dev.backstop.server.persistence;

import com.zaxxer.hikari.HikariDataSource;
import dev.backstop.server.BackstopProperties;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * <data dir>/postgres} so that a restart finds it again. It listens on 127.0.0.1 only.
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
    EmbeddedPostgres postgres = builder.start();
    LOG.info("Embedded PostgreSQL on 127.0.0.1:{}, data in {}", postgres.getPort(), dataDirectory);
    return postgres;
  }

  @Bean
  DataSource dataSource(EmbeddedPostgres postgres) {
    HikariDataSource dataSource = new HikariDataSource();
    dataSource.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
    dataSource.setUsername("postgres");
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
