package dev.backstop.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backstop.server.persistence.Installation;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The server starts on its embedded database, keeps its data across restarts, and reports health;
 * it refuses the sandbox's old switch.
 */
class ServerStartTest {

  @TempDir Path dataDir;

  @Test
  void shouldStartOnTheEmbeddedDatabaseAndFindItsDataAgainAfterARestart() throws Exception {
    // given: a first start on an empty data directory
    UUID firstId;
    try (ConfigurableApplicationContext server = start("--backstop.data-dir=" + dataDir)) {
      assertThat(server.getBeansOfType(EmbeddedPostgres.class)).hasSize(1);
      assertThat(health(server)).isEqualTo(200);
      assertThat(healthBody(server)).contains("\"status\":\"UP\"");
      firstId = server.getBean(Installation.class).identity().id();
    }
    assertThat(dataDir.resolve("postgres").resolve("PG_VERSION")).isRegularFile();

    // when: the server starts again on the same data directory
    try (ConfigurableApplicationContext server = start("--backstop.data-dir=" + dataDir)) {
      // then: it finds its data again
      assertThat(server.getBean(Installation.class).identity().id()).isEqualTo(firstId);
      assertThat(health(server)).isEqualTo(200);
      assertThat(healthBody(server)).contains("\"status\":\"UP\"");
    }
  }

  @Test
  void shouldUseAnExternalPostgresqlWhenADatasourceUrlIsConfigured() throws Exception {
    // given: a PostgreSQL that is not Backstop's own
    try (EmbeddedPostgres external = EmbeddedPostgres.builder().setServerConfig("listen_addresses", "127.0.0.1").start()) {
      String url = external.getJdbcUrl("postgres", "postgres");

      // when
      try (ConfigurableApplicationContext server =
          start(
              "--backstop.data-dir=" + dataDir,
              "--spring.datasource.url=" + url,
              "--spring.datasource.username=postgres",
              "--backstop.security.key-encryption-key=" + dev.backstop.server.support.BackstopProcess.KEY_ENCRYPTION_KEY)) {

        // then: no embedded database was started, and the schema and data are in the external one
        assertThat(server.getBeansOfType(EmbeddedPostgres.class)).isEmpty();
        assertThat(dataDir.resolve("postgres")).doesNotExist();
        UUID id = server.getBean(Installation.class).identity().id();
        UUID stored =
            JdbcClient.create(external.getPostgresDatabase()).sql("select id from installation").query(UUID.class).single();
        assertThat(stored).isEqualTo(id);
      }
    }
  }

  @Test
  void shouldRefuseAnExternalDatabaseWithoutTheKeyEncryptionKeyAndSayWhichSetting() throws Exception {
    try (EmbeddedPostgres external = EmbeddedPostgres.builder().setServerConfig("listen_addresses", "127.0.0.1").start()) {
      assertThatThrownBy(
              () -> start(
                  "--backstop.data-dir=" + dataDir,
                  "--spring.datasource.url=" + external.getJdbcUrl("postgres", "postgres"),
                  "--spring.datasource.username=postgres"))
          .hasStackTraceContaining("BACKSTOP_SECURITY_KEY_ENCRYPTION_KEY");
      assertThat(dataDir.resolve("keys")).doesNotExist();
    }
  }

  @Test
  void shouldRefuseToStartWithTheSandboxSwitchAndSayHowToStartTheSandbox() {
    // when: the plain server is started as before the sandbox had a module of its own
    // then: it says where the sandbox went, before it starts anything
    assertThatThrownBy(
            () -> BackstopApplication.main(new String[] {"--server.port=0", "--backstop.data-dir=" + dataDir, "--backstop.sandbox=true"}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("BACKSTOP_SANDBOX")
        .hasMessageContaining("backstop-sandbox")
        .hasMessageContaining(SandboxSwitchCheck.SANDBOX_COMMAND);
    assertThat(dataDir.resolve("postgres")).doesNotExist();
  }

  private static ConfigurableApplicationContext start(String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "--server.port=0";
    System.arraycopy(args, 0, all, 1, args.length);
    return new SpringApplicationBuilder(BackstopApplication.class).run(all);
  }

  private static int health(ConfigurableApplicationContext server) throws Exception {
    return get(server, "/actuator/health").statusCode();
  }

  private static String healthBody(ConfigurableApplicationContext server) throws Exception {
    return get(server, "/actuator/health").body();
  }

  private static HttpResponse<String> get(ConfigurableApplicationContext server, String path) throws Exception {
    String port = server.getEnvironment().getProperty("local.server.port");
    try (HttpClient client = HttpClient.newHttpClient()) {
      return client.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
          HttpResponse.BodyHandlers.ofString());
    }
  }
}
