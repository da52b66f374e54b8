package dev.backstop.server.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backstop.server.BackstopProperties;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The embedded database Backstop starts keeps what it commits: a power cut loses nothing committed. */
class EmbeddedPostgresConfigurationTest {

  @TempDir Path dataDir;

  @Test
  void shouldRunTheEmbeddedDatabaseDurablyUnderTheDataDirectory() {
    // given: the configuration as Backstop uses it, with no external database configured
    new ApplicationContextRunner()
        .withBean(BackstopProperties.class, () -> new BackstopProperties(dataDir))
        .withUserConfiguration(EmbeddedPostgresConfiguration.class)
        .run(
            context -> {
              // when
              JdbcClient jdbc = JdbcClient.create(context.getBean(DataSource.class));

              // then: every commit is flushed to disk before it is acknowledged, pages written whole
              assertThat(show(jdbc, "fsync")).isEqualTo("on");
              assertThat(show(jdbc, "synchronous_commit")).isEqualTo("on");
              assertThat(show(jdbc, "full_page_writes")).isEqualTo("on");
              // and the data lives in the data directory, where a restart finds it again
              assertThat(Path.of(show(jdbc, "data_directory")).toRealPath())
                  .isEqualTo(dataDir.resolve("postgres").toRealPath());
            });
  }

  @Test
  void shouldLetNoOneConnectWithoutItsGeneratedPassword() throws Exception {
    new ApplicationContextRunner()
        .withBean(BackstopProperties.class, () -> new BackstopProperties(dataDir))
        .withUserConfiguration(EmbeddedPostgresConfiguration.class)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              int port = context.getBean(EmbeddedPostgres.class).getPort();
              Path passwordFile = dataDir.resolve("postgres.password");

              // then: the password is in a file only its owner reads
              assertThat(Files.getPosixFilePermissions(passwordFile)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
              String password = Files.readString(passwordFile).trim();
              assertThat(password).hasSizeGreaterThanOrEqualTo(32);
              // and a local process connecting as postgres without it, or with a wrong one, is refused
              String url = "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
              assertThatThrownBy(() -> DriverManager.getConnection(url, "postgres", "")).hasMessageContaining("password");
              assertThatThrownBy(() -> DriverManager.getConnection(url, "postgres", "guess")).hasMessageContaining("password authentication failed");
              try (Connection connection = DriverManager.getConnection(url, "postgres", password)) {
                assertThat(connection.isValid(2)).isTrue();
              }
              // and Backstop's own connections use it
              assertThat(JdbcClient.create(context.getBean(DataSource.class)).sql("select 1").query(Integer.class).single()).isEqualTo(1);
            });

    // when: started again on the same data directory, it signs in with the same password
    new ApplicationContextRunner()
        .withBean(BackstopProperties.class, () -> new BackstopProperties(dataDir))
        .withUserConfiguration(EmbeddedPostgresConfiguration.class)
        .run(context -> assertThat(JdbcClient.create(context.getBean(DataSource.class)).sql("select 1").query(Integer.class).single()).isEqualTo(1));
  }

  private static String show(JdbcClient jdbc, String setting) {
    return jdbc.sql("show " + setting).query(String.class).single();
  }
}
