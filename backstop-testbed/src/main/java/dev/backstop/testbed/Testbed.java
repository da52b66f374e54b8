package dev.backstop.testbed;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Camunda 8.6 cluster on this machine, for tests and the sandbox: two S3-compatible regions
 * (S3Proxy), OpenSearch with an S3 snapshot repository in the primary region, a Zeebe broker with
 * two partitions, the S3 backup store and the OpenSearch exporter, and Operate and Tasklist with
 * their backup repository configured.
 *
 * <p>Every process binds to 127.0.0.1 on free ports and runs in a JVM of its own; readiness is
 * awaited, not slept for. Data and logs live under the work directory. {@link #close()} stops
 * everything; {@link ProcessGuard} does so too when the JVM exits, however it exits.
 *
 * <p>Start it once per test suite (see {@code TestbedExtension}): the whole stack needs about 3 GB
 * and most of a minute on two cores.
 */
public final class Testbed implements AutoCloseable {

  /** The Camunda version of the distribution the test bed runs. */
  public static final String CAMUNDA_VERSION = "8.6.0";

  /** The name of the snapshot repository that Operate, Tasklist and the records snapshot use. */
  public static final String SEARCH_REPOSITORY = "camunda-backups";

  /** Base path of Zeebe's backups in the primary region's bucket. */
  public static final String ZEEBE_BASE_PATH = "zeebe";

  /** Base path of the search snapshot repository in the primary region's bucket. */
  public static final String SEARCH_BASE_PATH = "search";

  /** Zeebe's partition count. */
  public static final int PARTITION_COUNT = 2;

  /** The process definition id of the bundled test process (start, one user task, end). */
  public static final String ORDER_PROCESS_ID = "backstop-order";

  private static final Logger LOG = LoggerFactory.getLogger(Testbed.class);
  private static final Duration JVM_START_TIMEOUT = Duration.ofMinutes(4);

  private final Path workDirectory;
  private final TestbedFiles files;
  private final Path javaHome;
  private final String accessKey = "backstop";
  private final String secretKey = randomSecret();
  private final Http http = new Http();
  private final List<ManagedProcess> started = new ArrayList<>();

  private S3Region primaryRegion;
  private S3Region secondaryRegion;
  private ManagedProcess search;
  private String searchUrl;
  private CamundaComponent zeebe;
  private String zeebeGrpcAddress;
  private CamundaComponent operate;
  private CamundaComponent tasklist;
  private Duration startDuration;

  private Testbed(Path workDirectory, TestbedFiles files) {
    this.workDirectory = workDirectory.toAbsolutePath().normalize();
    this.files = files;
    this.javaHome = Jdk.findHome();
  }

  /**
   * Starts the whole test bed under {@code workDirectory}, with the files the build laid out.
   *
   * @throws TestbedException naming the component that did not start, with the end of its log;
   *     whatever had started is stopped again
   */
  public static Testbed start(Path workDirectory) {
    return start(workDirectory, TestbedFiles.locate());
  }

  public static Testbed start(Path workDirectory, TestbedFiles files) {
    Testbed testbed = new Testbed(workDirectory, files);
    try {
      testbed.startAll();
      return testbed;
    } catch (RuntimeException e) {
      testbed.close();
      throw e;
    }
  }

  private void startAll() {
    Instant begin = Instant.now();
    LOG.info("Starting the test bed under {} with the JDK at {}", workDirectory, javaHome);
    primaryRegion = startRegion("local-a");
    secondaryRegion = startRegion("local-b");
    startSearch();
    registerSearchRepository();
    startZeebe();
    // Operate and Tasklist do not depend on each other: start them side by side.
    CompletableFuture<CamundaComponent> operateStart = CompletableFuture.supplyAsync(() -> startWebApp("operate"));
    CompletableFuture<CamundaComponent> tasklistStart = CompletableFuture.supplyAsync(() -> startWebApp("tasklist"));
    try {
      operate = operateStart.join();
      tasklist = tasklistStart.join();
    } catch (CompletionException e) {
      // Let the other one finish starting, so that close() stops it too.
      operateStart.handle((ok, error) -> null).join();
      tasklistStart.handle((ok, error) -> null).join();
      throw e.getCause() instanceof RuntimeException cause ? cause : e;
    }
    startDuration = Duration.between(begin, Instant.now());
    LOG.info("Test bed ready in {} s: {}", startDuration.toSeconds(), this);
  }

  // ---------------------------------------------------------------------------------- components

  private S3Region startRegion(String name) {
    S3Region region =
        S3ProxyServer.start(
            name,
            workDirectory.resolve("s3-" + name),
            "backstop-" + name,
            accessKey,
            secretKey,
            files.s3ProxyJar(),
            Path.of(java()),
            logFile("s3proxy-" + name));
    synchronized (started) {
      started.add(region.process());
    }
    LOG.info("{} ready in {} ms", region.process().name(), region.process().lastStartDuration().toMillis());
    return region;
  }

  private void startSearch() {
    SearchProcess started = launchSearch("opensearch", workDirectory.resolve("opensearch"), primaryRegion, "512m");
    search = started.process();
    searchUrl = started.url();
  }

  /** An OpenSearch of the test bed's kind whose S3 client reaches {@code region}. */
  private SearchProcess launchSearch(String name, Path dir, S3Region region, String heap) {
    int httpPort = Ports.freeLoopbackPort();
    int transportPort = Ports.freeLoopbackPort();
    String url = "http://127.0.0.1:" + httpPort;
    Map<String, String> env = new LinkedHashMap<>();
    env.put("OPENSEARCH_SECURE_s3.client.default.access_key", region.accessKey());
    env.put("OPENSEARCH_SECURE_s3.client.default.secret_key", region.secretKey());
    env.put("AWS_EC2_METADATA_DISABLED", "true");
    List<String> command =
        new ArrayList<>(
            List.of(
                java(),
                "-Xms" + heap,
                "-Xmx" + heap,
                "-Dopensearch.set.netty.runtime.available.processors=false",
                "-Dopensearch.path.conf=" + dir.resolve("node_1").resolve("config"),
                "-cp",
                files.openSearchClassPath(),
                "dev.backstop.testbed.runtime.OpenSearchLauncher",
                dir.toString()));
    command.addAll(
        List.of(
            "cluster.name=backstop-" + name,
            "network.host=127.0.0.1",
            "http.port=" + httpPort,
            "transport.port=" + transportPort,
            "discovery.type=single-node",
            "cluster.routing.allocation.disk.threshold_enabled=false",
            "action.destructive_requires_name=false",
            "s3.client.default.endpoint=" + region.endpoint().substring("http://".length()),
            "s3.client.default.protocol=http",
            "s3.client.default.path_style_access=true",
            "s3.client.default.region=" + region.signingRegion()));
    ManagedProcess process =
        launch(
            new ManagedProcess.Spec(
                name,
                command,
                env,
                dir,
                logFile(name),
                () -> http.isOk(url + "/_cluster/health?wait_for_status=yellow&timeout=1s"),
                JVM_START_TIMEOUT));
    return new SearchProcess(url, process);
  }

  /**
   * An OpenSearch of its own (a JVM, a data directory, ports) on the test bed's search.
   *
   * @param url its HTTP endpoint
   * @param process its process
   */
  public record SearchProcess(String url, ManagedProcess process) implements AutoCloseable {
    /** Stops it. */
    @Override
    public void close() {
      process.stop();
    }
  }

  /**
   * Starts a second, empty OpenSearch that knows only {@code region}: its bucket's search snapshot
   * repository ({@value #SEARCH_BASE_PATH}) registered read-only as {@value #SEARCH_REPOSITORY}.
   * What a restore from that region sees. The caller closes it (the test bed does at its end too).
   */
  public SearchProcess startFreshSearch(S3Region region, Path dir) {
    SearchProcess fresh = launchSearch("opensearch-fresh-" + region.name(), dir.toAbsolutePath(), region, "384m");
    http.putJson(
            fresh.url() + "/_snapshot/" + SEARCH_REPOSITORY,
            Map.of(
                "type", "s3",
                "settings", Map.of("bucket", region.bucket(), "base_path", SEARCH_BASE_PATH, "readonly", true)))
        .successJson();
    return fresh;
  }

  /**
   * The outcome of a run of Zeebe's restore tool.
   *
   * @param exitCode its exit code: 0 when the broker's data was restored
   * @param logTail the end of its output
   */
  public record RestoreResult(int exitCode, String logTail) {}

  /**
   * Runs the distribution's restore tool ({@code bin/restore --backupId=<id>}) for this test bed's
   * broker (node 0 of a one-broker cluster with {@value #PARTITION_COUNT} partitions), reading the
   * backup from {@code region}'s bucket, into {@code dataDirectory}, which must be empty or absent.
   */
  public RestoreResult restoreZeebe(S3Region region, long backupId, Path dataDirectory) {
    Path data = dataDirectory.toAbsolutePath();
    Map<String, String> env = new LinkedHashMap<>();
    env.put("JAVA_HOME", javaHome.toString());
    env.put("JAVA_OPTS", "-Xms64m -Xmx384m");
    env.put("AWS_EC2_METADATA_DISABLED", "true");
    env.put("ZEEBE_BROKER_DATA_DIRECTORY", data.toString());
    env.put("ZEEBE_BROKER_CLUSTER_NODEID", "0");
    env.put("ZEEBE_BROKER_CLUSTER_CLUSTERSIZE", "1");
    env.put("ZEEBE_BROKER_CLUSTER_PARTITIONSCOUNT", String.valueOf(PARTITION_COUNT));
    env.put("ZEEBE_BROKER_CLUSTER_REPLICATIONFACTOR", "1");
    env.put("ZEEBE_BROKER_DATA_LOGSEGMENTSIZE", "16MB");
    env.putAll(backupStoreEnvironment(region));
    String name = "zeebe-restore-" + backupId + "-" + region.name();
    ManagedProcess tool =
        new ManagedProcess(
            new ManagedProcess.Spec(
                name,
                List.of(files.camundaHome().resolve("bin").resolve("restore").toString(), "--backupId=" + backupId),
                env,
                files.camundaHome(),
                logFile(name),
                () -> false,
                JVM_START_TIMEOUT));
    int exit = tool.runToEnd(JVM_START_TIMEOUT);
    return new RestoreResult(exit, tool.logTail(60));
  }

  private void registerSearchRepository() {
    // Tasklist 8.6 reads the repository's "location" setting, which S3 repositories do not have;
    // a descriptive value satisfies it and is ignored by OpenSearch.
    Map<String, Object> body =
        Map.of(
            "type",
            "s3",
            "settings",
            Map.of(
                "bucket", primaryRegion.bucket(),
                "base_path", SEARCH_BASE_PATH,
                "location", "s3://" + primaryRegion.bucket() + "/" + SEARCH_BASE_PATH));
    http.putJson(searchUrl + "/_snapshot/" + SEARCH_REPOSITORY, body).successJson();
  }

  private void startZeebe() {
    int grpcPort = Ports.freeLoopbackPort();
    int commandPort = Ports.freeLoopbackPort();
    int internalPort = Ports.freeLoopbackPort();
    int restPort = Ports.freeLoopbackPort();
    int managementPort = Ports.freeLoopbackPort();
    Path dir = workDirectory.resolve("zeebe");
    Map<String, String> env = camundaEnvironment(restPort, managementPort);
    env.put("ZEEBE_BROKER_DATA_DIRECTORY", dir.resolve("data").toString());
    env.put("ZEEBE_BROKER_CLUSTER_PARTITIONSCOUNT", String.valueOf(PARTITION_COUNT));
    // Small segments: Zeebe backs up whole preallocated segments, 128 MB each by default.
    env.put("ZEEBE_BROKER_DATA_LOGSEGMENTSIZE", "16MB");
    env.put("ZEEBE_BROKER_DATA_DISK_ENABLEMONITORING", "false");
    env.put("ZEEBE_BROKER_NETWORK_HOST", "127.0.0.1");
    env.put("ZEEBE_BROKER_GATEWAY_NETWORK_HOST", "127.0.0.1");
    env.put("ZEEBE_BROKER_GATEWAY_NETWORK_PORT", String.valueOf(grpcPort));
    env.put("ZEEBE_BROKER_NETWORK_COMMANDAPI_PORT", String.valueOf(commandPort));
    env.put("ZEEBE_BROKER_NETWORK_INTERNALAPI_PORT", String.valueOf(internalPort));
    env.putAll(zeebeBackupStoreEnvironment());
    env.put(
        "ZEEBE_BROKER_EXPORTERS_OPENSEARCH_CLASSNAME",
        "io.camunda.zeebe.exporter.opensearch.OpensearchExporter");
    env.put("ZEEBE_BROKER_EXPORTERS_OPENSEARCH_ARGS_URL", searchUrl);
    // Records visible at once in small tests; production keeps the default of 1000.
    env.put("ZEEBE_BROKER_EXPORTERS_OPENSEARCH_ARGS_BULK_SIZE", "1");
    String managementUrl = "http://127.0.0.1:" + managementPort;
    ManagedProcess process =
        launch(
            new ManagedProcess.Spec(
                "zeebe",
                List.of(files.camundaHome().resolve("bin").resolve("broker").toString()),
                env,
                files.camundaHome(),
                logFile("zeebe"),
                () -> zeebeIsReady(managementUrl),
                JVM_START_TIMEOUT));
    zeebeGrpcAddress = "127.0.0.1:" + grpcPort;
    zeebe = new CamundaComponent("zeebe", "http://127.0.0.1:" + restPort, managementUrl, process);
  }

  /** The broker's backup store settings; the restore tool needs exactly the same. */
  public Map<String, String> zeebeBackupStoreEnvironment() {
    return backupStoreEnvironment(primaryRegion);
  }

  /** Zeebe's S3 backup store settings for a region's bucket. */
  private static Map<String, String> backupStoreEnvironment(S3Region region) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("ZEEBE_BROKER_DATA_BACKUP_STORE", "S3");
    env.put("ZEEBE_BROKER_DATA_BACKUP_S3_BUCKETNAME", region.bucket());
    env.put("ZEEBE_BROKER_DATA_BACKUP_S3_BASEPATH", ZEEBE_BASE_PATH);
    env.put("ZEEBE_BROKER_DATA_BACKUP_S3_ENDPOINT", region.endpoint());
    env.put("ZEEBE_BROKER_DATA_BACKUP_S3_REGION", region.signingRegion());
    env.put("ZEEBE_BROKER_DATA_BACKUP_S3_ACCESSKEY", region.accessKey());
    env.put("ZEEBE_BROKER_DATA_BACKUP_S3_SECRETKEY", region.secretKey());
    env.put("ZEEBE_BROKER_DATA_BACKUP_S3_FORCEPATHSTYLEACCESS", "true");
    return env;
  }

  private boolean zeebeIsReady(String managementUrl) {
    if (!http.isOk(managementUrl + "/actuator/health/readiness")) {
      return false;
    }
    JsonNode partitions = http.get(managementUrl + "/actuator/partitions").successJson();
    if (partitions.size() != PARTITION_COUNT) {
      return false;
    }
    for (JsonNode partition : partitions) {
      if (!"LEADER".equals(partition.path("role").asText())) {
        return false;
      }
    }
    return true;
  }

  private CamundaComponent startWebApp(String app) {
    int port = Ports.freeLoopbackPort();
    int managementPort = Ports.freeLoopbackPort();
    String prefix = "CAMUNDA_" + app.toUpperCase() + "_";
    Map<String, String> env = camundaEnvironment(port, managementPort);
    env.put(prefix + "DATABASE", "opensearch");
    env.put(prefix + "OPENSEARCH_URL", searchUrl);
    env.put(prefix + "ZEEBEOPENSEARCH_URL", searchUrl);
    env.put(prefix + "ZEEBE_GATEWAYADDRESS", zeebeGrpcAddress);
    env.put(prefix + "BACKUP_REPOSITORYNAME", SEARCH_REPOSITORY);
    if (app.equals("tasklist")) {
      env.put(prefix + "ZEEBE_RESTADDRESS", zeebe.url());
      // Its archiver needs an OpenSearch plugin (ISM) that the test bed's OpenSearch lacks.
      env.put(prefix + "ARCHIVERENABLED", "false");
    }
    String managementUrl = "http://127.0.0.1:" + managementPort;
    ManagedProcess process =
        launch(
            new ManagedProcess.Spec(
                app,
                List.of(files.camundaHome().resolve("bin").resolve(app).toString()),
                env,
                files.camundaHome(),
                logFile(app),
                () -> http.isOk(managementUrl + "/actuator/health/readiness"),
                JVM_START_TIMEOUT));
    return new CamundaComponent(app, "http://127.0.0.1:" + port, managementUrl, process);
  }

  private Map<String, String> camundaEnvironment(int serverPort, int managementPort) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("JAVA_HOME", javaHome.toString());
    env.put("JAVA_OPTS", "-Xms128m -Xmx512m");
    env.put("SERVER_ADDRESS", "127.0.0.1");
    env.put("SERVER_PORT", String.valueOf(serverPort));
    env.put("MANAGEMENT_SERVER_ADDRESS", "127.0.0.1");
    env.put("MANAGEMENT_SERVER_PORT", String.valueOf(managementPort));
    env.put("CAMUNDA_DATABASE_TYPE", "opensearch");
    env.put("CAMUNDA_DATABASE_URL", searchUrl);
    // Camunda's search connector probes the AWS credential chain; without this it would ask the
    // EC2 metadata address, which is not on this machine.
    env.put("AWS_EC2_METADATA_DISABLED", "true");
    return env;
  }

  private ManagedProcess launch(ManagedProcess.Spec spec) {
    ManagedProcess process = new ManagedProcess(spec);
    synchronized (started) {
      started.add(process);
    }
    process.start();
    LOG.info("{} ready in {} ms", spec.name(), process.lastStartDuration().toMillis());
    return process;
  }

  // ------------------------------------------------------------------------------------ data

  /**
   * Deploys the bundled test process ({@value #ORDER_PROCESS_ID}: start, one user task, end)
   * through Zeebe's REST API.
   *
   * @return the deployment's answer
   */
  public JsonNode deployOrderProcess() {
    try (var in = Testbed.class.getResourceAsStream("backstop-order.bpmn")) {
      return deployProcess("backstop-order.bpmn", in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Deploys a BPMN resource through Zeebe's REST API ({@code POST /v2/deployments}). */
  public JsonNode deployProcess(String resourceName, byte[] bpmn) {
    String boundary = "backstop-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(8));
    byte[] head =
        ("--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"resources\"; filename=\"" + resourceName + "\"\r\n"
                + "Content-Type: application/xml\r\n\r\n")
            .getBytes(StandardCharsets.UTF_8);
    byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
    byte[] body = new byte[head.length + bpmn.length + tail.length];
    System.arraycopy(head, 0, body, 0, head.length);
    System.arraycopy(bpmn, 0, body, head.length, bpmn.length);
    System.arraycopy(tail, 0, body, head.length + bpmn.length, tail.length);
    return http.send(
            Http.request(zeebe.url() + "/v2/deployments")
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body)))
        .successJson();
  }

  /**
   * Starts instances of a deployed process through Zeebe's REST API.
   *
   * @return the keys of the new process instances
   */
  public List<Long> startProcessInstances(String processDefinitionId, int count) {
    List<Long> keys = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      JsonNode created =
          http.postJson(
                  zeebe.url() + "/v2/process-instances",
                  Map.of("processDefinitionId", processDefinitionId, "variables", Map.of("n", i)))
              .successJson();
      keys.add(created.path("processInstanceKey").asLong());
    }
    return keys;
  }

  /**
   * How many instances of a process Operate's public API reports (it logs in as Operate's
   * default user first, as its API requires).
   */
  public long operateProcessInstanceCount(String bpmnProcessId) {
    return new OperateSession(http, operate.url()).countProcessInstances(bpmnProcessId);
  }

  // ------------------------------------------------------------------------------- accessors

  public S3Region primaryRegion() {
    return primaryRegion;
  }

  public S3Region secondaryRegion() {
    return secondaryRegion;
  }

  /** OpenSearch's HTTP endpoint. */
  public String searchUrl() {
    return searchUrl;
  }

  public ManagedProcess searchProcess() {
    return search;
  }

  public CamundaComponent zeebe() {
    return zeebe;
  }

  /** Zeebe's gRPC gateway, {@code 127.0.0.1:PORT}. */
  public String zeebeGrpcAddress() {
    return zeebeGrpcAddress;
  }

  public CamundaComponent operate() {
    return operate;
  }

  public CamundaComponent tasklist() {
    return tasklist;
  }

  public Path workDirectory() {
    return workDirectory;
  }

  /** How long {@link #start(Path)} took until every component was ready. */
  public Duration startDuration() {
    return startDuration;
  }

  /** Every process the test bed started, in start order. */
  public List<ManagedProcess> processes() {
    synchronized (started) {
      return List.copyOf(started);
    }
  }

  /** The directory of the JDK that runs the components. */
  public Path javaHome() {
    return javaHome;
  }

  /** Stops every component, the last started first. Safe to call more than once. */
  @Override
  public void close() {
    List<ManagedProcess> toStop = new ArrayList<>(processes());
    java.util.Collections.reverse(toStop);
    for (ManagedProcess process : toStop) {
      try {
        process.stop();
      } catch (RuntimeException e) {
        LOG.warn("Could not stop {}: {}", process.name(), e.getMessage());
        process.kill();
      }
    }
  }

  @Override
  public String toString() {
    return "Testbed[zeebe=%s (management %s), operate=%s, tasklist=%s, search=%s, regions=%s/%s]"
        .formatted(
            zeebe == null ? null : zeebe.url(),
            zeebe == null ? null : zeebe.managementUrl(),
            operate == null ? null : operate.managementUrl(),
            tasklist == null ? null : tasklist.managementUrl(),
            searchUrl,
            primaryRegion,
            secondaryRegion);
  }

  // ------------------------------------------------------------------------------- helpers

  private String java() {
    return javaHome.resolve("bin").resolve("java").toString();
  }

  private Path logFile(String component) {
    return workDirectory.resolve("logs").resolve(component + ".log");
  }

  private static String randomSecret() {
    byte[] bytes = new byte[16];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
