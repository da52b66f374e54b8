package dev.backstop.server.support;

import dev.backstop.server.BackstopApplication;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the tests that run Backstop (in this JVM, on its embedded PostgreSQL) without the Camunda
 * test bed: for the API's own behaviour (input, races, authorization) where no component needs to
 * answer, or where {@link FakeComponents} is enough. Starts in seconds.
 */
@SpringBootTest(
    classes = BackstopApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "backstop.admin.client-id=" + StandaloneBackstopTest.OPERATOR_ID,
      "backstop.admin.client-secret=" + StandaloneBackstopTest.OPERATOR_SECRET,
      "backstop.backup.lease=PT6S",
      "backstop.regions.local-a.endpoint=http://127.0.0.1:1",
      "backstop.regions.local-a.bucket=unused",
      "backstop.regions.local-a.path-style=true",
      "backstop.regions.local-a.access-key=standalone-access",
      "backstop.regions.local-a.secret-key=" + StandaloneBackstopTest.REGION_SECRET,
      "backstop.regions.local-b.endpoint=http://127.0.0.1:1",
      "backstop.regions.local-b.bucket=unused",
      "backstop.runtime.local-directory=" + StandaloneBackstopTest.RUNTIME_DIRECTORY,
      // Webhook receivers in the tests listen on 127.0.0.1 (and only there); retries and the
      // overdue check come within seconds
      "backstop.notifications.allowed-networks=127.0.0.1/32",
      "backstop.security.component-networks=127.0.0.0/8",
      "backstop.notifications.first-retry=PT1S",
      "backstop.notifications.max-retry=PT2S",
      "backstop.notifications.overdue-check-interval=PT2S"
    })
public abstract class StandaloneBackstopTest {

  /** Where LOCAL_PROCESS runtime descriptors are accepted from. */
  public static final String RUNTIME_DIRECTORY = "target/it-runtimes";

  public static final String OPERATOR_ID = "standalone-operator";
  public static final String OPERATOR_SECRET = "standalone-operator-secret-0123";

  /** The secret key of region local-a: never to be seen in an answer. */
  public static final String REGION_SECRET = "standalone-region-secret-4711";

  /** An address where nothing listens: a component there is unreachable at once. */
  public static final String NOWHERE = "http://127.0.0.1:1";

  private static final Path DATA_DIR = Path.of("target", "it-data", "standalone-" + UUID.randomUUID());

  @LocalServerPort protected int port;
  @Autowired protected DataSource dataSource;

  protected Api operator;

  @DynamicPropertySource
  static void dataDirectory(DynamicPropertyRegistry registry) {
    // A class with settings of its own gets a context of its own: it names it (backstop.it.context)
    // so that two Backstops in one JVM never share a data directory, and so an embedded database.
    registry.add("backstop.data-dir", () -> DATA_DIR.resolve("${backstop.it.context:shared}").toString());
  }

  @BeforeEach
  void connectAsOperator() {
    operator = Api.as(baseUrl(), OPERATOR_ID, OPERATOR_SECRET);
  }

  protected String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  /** Creates an ENTERPRISE organization with a unique name; returns its id. */
  protected String newOrganization() {
    Api.Answer created = operator.postJson("/admin/organizations", Map.of("name", "org-" + UUID.randomUUID(), "plan", "ENTERPRISE"));
    if (created.status() != 201) {
      throw new AssertionError("organization not created: " + created);
    }
    return created.json().path("id").asText();
  }

  /** A registration body whose every component is reached at {@code componentsUrl}. */
  public static Map<String, Object> registration(String organizationId, String name, String componentsUrl) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    body.put("organizationId", organizationId);
    body.put("generation", "8.6.0");
    body.put("region", "local-a");
    body.put("backupLocation", Map.of("type", "SAME_REGION"));
    Map<String, Object> components = new LinkedHashMap<>();
    components.put("zeebe", Map.of("managementUrl", componentsUrl));
    components.put("operate", Map.of("managementUrl", componentsUrl));
    components.put("search", new LinkedHashMap<>(Map.of("url", componentsUrl, "repository", "camunda-backups")));
    body.put("components", components);
    body.put("storage", new LinkedHashMap<>(Map.of("zeebeBasePath", "zeebe", "searchBasePath", "search")));
    return body;
  }
}
