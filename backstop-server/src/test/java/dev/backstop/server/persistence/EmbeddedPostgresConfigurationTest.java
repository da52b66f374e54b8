package dev.backstop.server.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstop.server.BackstopProperties;
import java.nio.file.Path;
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

  private static String show(JdbcClient jdbc, String setting) {
    return jdbc.sql("show " + setting).query(String.class).single();
  }
}
