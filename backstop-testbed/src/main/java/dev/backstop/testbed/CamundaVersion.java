package dev.backstop.testbed;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Camunda version the test bed can run, and the one place that knows what it needs differently.
 * The build lays out each one's {@code io.camunda:camunda-zeebe} distribution (module {@code
 * backstop-testbed-runtime}).
 *
 * <p>What differs, read from the distributions and Camunda's source:
 *
 * <ul>
 *   <li>8.6.0's distribution holds Zeebe, Operate and Tasklist; 8.5.8's holds only Zeebe (broker,
 *       gateway, restore tool, {@code zbctl}). Operate and Tasklist 8.5 were released as
 *       distributions of their own ({@code camunda-operate}, {@code camunda-tasklist}) to
 *       Camunda's artifact repository, not to Maven Central, the only Maven registry reached
 *       here: a test bed of 8.5.8 runs without web apps.
 *   <li>8.6.0 reads the search database of its REST queries from {@code camunda.database.*}; no
 *       8.5.8 jar knows that property. The OpenSearch exporter's class and {@code args} are the
 *       same in both.
 *   <li>8.6.0's gateway creates instances, deploys and hands out jobs over REST ({@code /v2/…});
 *       8.5.8's REST API has only the topology and user tasks, so the test bed uses the
 *       distribution's {@code zbctl} (gRPC) for those.
 * </ul>
 */
public enum CamundaVersion {
  V8_6_0("8.6.0", true, true),
  V8_5_8("8.5.8", false, false);

  /** The version the test bed runs unless told otherwise. */
  public static final CamundaVersion DEFAULT = V8_6_0;

  private final String version;
  private final boolean webApps;
  private final boolean restProcessApi;

  CamundaVersion(String version, boolean webApps, boolean restProcessApi) {
    this.version = version;
    this.webApps = webApps;
    this.restProcessApi = restProcessApi;
  }

  /** The version as Camunda spells it, e.g. {@code 8.5.8}: also the generation to register. */
  public String version() {
    return version;
  }

  /** Whether the test bed runs Operate and Tasklist of this version (their distribution is here). */
  public boolean hasWebApps() {
    return webApps;
  }

  /** Whether Zeebe's REST API deploys, creates instances and hands out jobs ({@code /v2/…}). */
  boolean hasRestProcessApi() {
    return restProcessApi;
  }

  /** The directory the build unpacks the distribution into, under the test bed's files. */
  String distributionDirectory() {
    return "camunda-zeebe-" + version;
  }

  /** The search database settings a Zeebe (and web app) process of this version reads, if any. */
  Map<String, String> searchDatabaseEnvironment(String databaseUrl) {
    Map<String, String> env = new LinkedHashMap<>();
    if (this == V8_6_0) {
      env.put("CAMUNDA_DATABASE_TYPE", "opensearch");
      env.put("CAMUNDA_DATABASE_URL", databaseUrl);
    }
    return env;
  }

  @Override
  public String toString() {
    return version;
  }
}
