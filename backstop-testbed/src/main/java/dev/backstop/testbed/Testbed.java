package dev.backstop.testbed;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Camunda 8 cluster on this machine, for tests and the sandbox: two S3-compatible regions
 * (S3Proxy), OpenSearch with an S3 snapshot repository in the primary region, a Zeebe broker with
 * two partitions, the S3 backup store and the OpenSearch exporter, and Operate and Tasklist with
 * their backup repository configured.
 *
 * <p>It runs Camunda {@link CamundaVersion#DEFAULT} unless started with another {@link
 * CamundaVersion}, which knows what that version needs differently; a version without web apps
 * here (8.5.8) runs everything but Operate and Tasklist.
 *
 * <p>Every process binds to 127.0.0.1 on free ports and runs in a JVM of its own; readiness is
 * awaited, not slept for. Data and logs live under the work directory. {@link #close()} stops
 * everything; {@link ProcessGuard} does so too when the JVM exits, however it exits.
 *
 * <p>Start it once per test suite (see {@code TestbedExtension}): the whole stack needs about 3 GB
 * and most of a minute on two cores.
 */
public final class Testbed implements AutoCloseable {

  /** The Camunda version of the distribution the test bed runs by default. */
  public static final String CAMUNDA_VERSION = CamundaVersion.DEFAULT.version();

  /** The name of the snapshot repository that Operate, Tasklist and the records snapshot use. */
  public static final String SEARCH_REPOSITORY = "camunda-backups";

  /**
   * The read-only snapshot repository on the secondary region's bucket (base path {@value
   * #SEARCH_BASE_PATH}), through OpenSearch's S3 client {@code secondary}: what a restore from the
   * secondary region reads.
   */
  public static final String SECONDARY_SEARCH_REPOSITORY = "camunda-backups-secondary";

  /** Base path of Zeebe's backups in the primary region's bucket. */
  public static final String ZEEBE_BASE_PATH = "zeebe";

  /** Base path of the search snapshot repository in the primary region's bucket. */
  public static final String SEARCH_BASE_PATH = "search";

  /** Zeebe's partition count. */
  public static final int PARTITION_COUNT = 2;

  /** The process definition id of the bundled test process (start, one user task, end). */
  public static final String ORDER_PROCESS_ID = "backstop-order";

  private static final Logger LOG = LoggerFactory.getLogger(Testbed.class);
  /** How long a component's JVM may take to be ready; a loaded machine may need more ({@code -Dbackstop.testbed.jvm-start-timeout=PT10M}). */
  private static final Duration JVM_START_TIMEOUT = Duration.parse(System.getProperty("backstop.testbed.jvm-start-timeout", "PT4M"));

  private final Path workDirectory;
  private final TestbedFiles files;
  private final CamundaVersion version;
  /** The unpacked distribution of {@link #version}. */
  private final Path camundaHome;
  private final Path javaHome;
  private final String accessKey = "backstop";
  private final String secretKey = randomSecret();
  private final Http http = new Http();
  private final List<ManagedProcess> started = new ArrayList<>();
  /** Processes started for tests beside the test bed (fresh OpenSearch nodes, restored brokers, tools). */
  private final List<ManagedProcess> extras = new ArrayList<>();
  private final AtomicInteger extraCount = new AtomicInteger();
  /** The pid files of Backstop's runtime descriptor: what Backstop started is stopped at close too. */
  private final List<Path> runtimePidFiles = new ArrayList<>();

  private S3Region primaryRegion;
  private S3Region secondaryRegion;
  private ManagedProcess search;
  private String searchUrl;
  private CamundaComponent zeebe;
  private String zeebeGrpcAddress;
  private CamundaComponent operate;
  private CamundaComponent tasklist;
  private Duration startDuration;

  private Testbed(Path workDirectory, TestbedFiles files, CamundaVersion version) {
    this.workDirectory = workDirectory.toAbsolutePath().normalize();
    this.files = files;
    this.version = version;
    this.camundaHome = files.camundaHome(version);
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
    return start(workDirectory, files, CamundaVersion.DEFAULT);
  }

  /**
   * Starts the test bed with Camunda {@code version} under {@code workDirectory}, with the files
   * the build laid out; without Operate and Tasklist if {@code version} has none here.
   *
   * @throws TestbedException as {@link #start(Path)}
   */
  public static Testbed start(Path workDirectory, CamundaVersion version) {
    return start(workDirectory, TestbedFiles.locate(), version);
  }

  public static Testbed start(Path workDirectory, TestbedFiles files, CamundaVersion version) {
    Testbed testbed = new Testbed(workDirectory, files, version);
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
    LOG.info("Starting the test bed of Camunda {} under {} with the JDK at {}", version, workDirectory, javaHome);
    primaryRegion = startRegion("local-a");
    secondaryRegion = startRegion("local-b");
    startSearch();
    registerSearchRepository();
    registerSecondaryRepository();
    startZeebe();
    if (version.hasWebApps()) {
      startWebApps();
    }
    startDuration = Duration.between(begin, Instant.now());
    LOG.info("Test bed ready in {} s: {}", startDuration.toSeconds(), this);
  }

  private void startWebApps() {
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
    Path dir = workDirectory.resolve("opensearch");
    int httpPort = Ports.freeLoopbackPort();
    searchUrl = "http://127.0.0.1:" + httpPort;
    search =
        launch(
            searchSpec("opensearch", "backstop-testbed", dir, httpPort, primaryRegion, Optional.of(secondaryRegion), "512m", logFile("opensearch")));
  }

  /**
   * An OpenSearch node of its own (launcher, S3 repository plugin) whose S3 client points at
   * {@code region}; its keys come from the environment, never the command line.
   */
  private ManagedProcess.Spec searchSpec(
      String name, String clusterName, Path dir, int httpPort, S3Region region, String heap, Path log) {
    return searchSpec(name, clusterName, dir, httpPort, region, Optional.empty(), heap, log);
  }

  /** … and with a second S3 client, {@code secondary}, pointing at {@code secondary}. */
  private ManagedProcess.Spec searchSpec(
      String name, String clusterName, Path dir, int httpPort, S3Region region, Optional<S3Region> secondary, String heap, Path log) {
    int transportPort = Ports.freeLoopbackPort();
    String url = "http://127.0.0.1:" + httpPort;
    Map<String, String> env = new LinkedHashMap<>();
    env.put("OPENSEARCH_SECURE_s3.client.default.access_key", region.accessKey());
    env.put("OPENSEARCH_SECURE_s3.client.default.secret_key", region.secretKey());
    env.put("AWS_EC2_METADATA_DISABLED", "true");
    secondary.ifPresent(other -> {
      env.put("OPENSEARCH_SECURE_s3.client.secondary.access_key", other.accessKey());
      env.put("OPENSEARCH_SECURE_s3.client.secondary.secret_key", other.secretKey());
    });
    List<String> command =
        new ArrayList<>(List.of(
            java(),
            "-Xms" + heap,
            "-Xmx" + heap,
            "-Dopensearch.set.netty.runtime.available.processors=false",
            "-Dopensearch.path.conf=" + dir.resolve("node_1").resolve("config"),
            "-cp",
            files.openSearchClassPath(),
            "dev.backstop.testbed.runtime.OpenSearchLauncher",
            dir.toString(),
            "cluster.name=" + clusterName,
            "network.host=127.0.0.1",
            "http.port=" + httpPort,
            "transport.port=" + transportPort,
            "discovery.type=single-node",
            "cluster.routing.allocation.disk.threshold_enabled=false",
            "action.destructive_requires_name=false",
            // Exact clock readings, not a cache refreshed every 200 ms: snapshots' start and end
            // times, which the benchmarks read as the engine's own account of its work, are exact.
            "thread_pool.estimated_time_interval=0",
            "s3.client.default.endpoint=" + region.endpoint().substring("http://".length()),
            "s3.client.default.protocol=http",
            "s3.client.default.path_style_access=true",
            "s3.client.default.region=" + region.signingRegion()));
    secondary.ifPresent(other -> command.addAll(List.of(
        "s3.client.secondary.endpoint=" + other.endpoint().substring("http://".length()),
        "s3.client.secondary.protocol=http",
        "s3.client.secondary.path_style_access=true",
        "s3.client.secondary.region=" + other.signingRegion())));
    return new ManagedProcess.Spec(
        name,
        command,
        env,
        dir,
        log,
        () -> http.isOk(url + "/_cluster/health?wait_for_status=yellow&timeout=1s"),
        JVM_START_TIMEOUT);
  }

  private void registerSearchRepository() {
    registerSearchRepository(searchUrl, primaryRegion, false);
  }

  private void registerSecondaryRepository() {
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("client", "secondary");
    settings.put("bucket", secondaryRegion.bucket());
    settings.put("base_path", SEARCH_BASE_PATH);
    settings.put("readonly", true);
    http.putJson(searchUrl + "/_snapshot/" + SECONDARY_SEARCH_REPOSITORY, Map.of("type", "s3", "settings", settings)).successJson();
  }

  /**
   * Registers {@value #SEARCH_REPOSITORY}: {@code region}'s bucket, base path {@value
   * #SEARCH_BASE_PATH}.
   */
  private void registerSearchRepository(String url, S3Region region, boolean readonly) {
    // Tasklist 8.6 reads the repository's "location" setting, which S3 repositories do not have;
    // a descriptive value satisfies it and is ignored by OpenSearch.
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("bucket", region.bucket());
    settings.put("base_path", SEARCH_BASE_PATH);
    settings.put("location", "s3://" + region.bucket() + "/" + SEARCH_BASE_PATH);
    if (readonly) {
      settings.put("readonly", true);
    }
    http.putJson(url + "/_snapshot/" + SEARCH_REPOSITORY, Map.of("type", "s3", "settings", settings)).successJson();
  }

  private void startZeebe() {
    int grpcPort = Ports.freeLoopbackPort();
    int restPort = Ports.freeLoopbackPort();
    int managementPort = Ports.freeLoopbackPort();
    Map<String, String> env = camundaEnvironment(restPort, managementPort, searchUrl);
    env.putAll(brokerEnvironment(workDirectory.resolve("zeebe").resolve("data"), grpcPort));
    env.putAll(zeebeBackupStoreEnvironment());
    env.put(
        "ZEEBE_BROKER_EXPORTERS_OPENSEARCH_CLASSNAME",
        "io.camunda.zeebe.exporter.opensearch.OpensearchExporter");
    env.put("ZEEBE_BROKER_EXPORTERS_OPENSEARCH_ARGS_URL", searchUrl);
    // Records visible at once in small tests; production keeps the default of 1000.
    env.put("ZEEBE_BROKER_EXPORTERS_OPENSEARCH_ARGS_BULK_SIZE", "1");
    String managementUrl = "http://127.0.0.1:" + managementPort;
    ManagedProcess process = launch(brokerSpec("zeebe", env, logFile("zeebe"), () -> zeebeIsReady(managementUrl)));
    zeebeGrpcAddress = "127.0.0.1:" + grpcPort;
    zeebe = new CamundaComponent("zeebe", "http://127.0.0.1:" + restPort, managementUrl, process);
  }

  private ManagedProcess.Spec brokerSpec(
      String name, Map<String, String> env, Path log, ManagedProcess.ReadinessProbe readiness) {
    return new ManagedProcess.Spec(
        name,
        List.of(camundaHome.resolve("bin").resolve("broker").toString()),
        env,
        camundaHome,
        log,
        readiness,
        JVM_START_TIMEOUT);
  }

  /** A broker's data directory, cluster shape and network, on fresh loopback ports. */
  private Map<String, String> brokerEnvironment(Path dataDirectory, int grpcPort) {
    Map<String, String> env = zeebeClusterEnvironment(dataDirectory);
    env.put("ZEEBE_BROKER_DATA_DISK_ENABLEMONITORING", "false");
    env.put("ZEEBE_BROKER_NETWORK_HOST", "127.0.0.1");
    env.put("ZEEBE_BROKER_GATEWAY_NETWORK_HOST", "127.0.0.1");
    env.put("ZEEBE_BROKER_GATEWAY_NETWORK_PORT", String.valueOf(grpcPort));
    env.put("ZEEBE_BROKER_NETWORK_COMMANDAPI_PORT", String.valueOf(Ports.freeLoopbackPort()));
    env.put("ZEEBE_BROKER_NETWORK_INTERNALAPI_PORT", String.valueOf(Ports.freeLoopbackPort()));
    return env;
  }

  /**
   * The cluster's shape as every broker of it and the restore tool must see it: node 0 of a
   * one-node cluster, {@value #PARTITION_COUNT} partitions, replication factor 1.
   */
  private static Map<String, String> zeebeClusterEnvironment(Path dataDirectory) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("ZEEBE_BROKER_DATA_DIRECTORY", dataDirectory.toString());
    env.put("ZEEBE_BROKER_CLUSTER_NODEID", "0");
    env.put("ZEEBE_BROKER_CLUSTER_CLUSTERSIZE", "1");
    env.put("ZEEBE_BROKER_CLUSTER_PARTITIONSCOUNT", String.valueOf(PARTITION_COUNT));
    env.put("ZEEBE_BROKER_CLUSTER_REPLICATIONFACTOR", "1");
    // Small segments: Zeebe backs up whole preallocated segments, 128 MB each by default.
    env.put("ZEEBE_BROKER_DATA_LOGSEGMENTSIZE", "16MB");
    return env;
  }

  /** The broker's backup store settings (the primary region); the restore tool needs the same. */
  public Map<String, String> zeebeBackupStoreEnvironment() {
    return zeebeBackupStoreEnvironment(primaryRegion);
  }

  /** The broker's backup store settings with the bucket and endpoint of {@code region}. */
  public Map<String, String> zeebeBackupStoreEnvironment(S3Region region) {
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

  /** Ready when the broker says so and leads every partition. */
  private boolean zeebeIsReady(String managementUrl) {
    return zeebeIsReady(managementUrl, false);
  }

  /**
   * Ready when the broker says so and leads every partition; with {@code processing}, also when
   * every partition's stream processor has replayed its log and processes (a restored broker).
   */
  private boolean zeebeIsReady(String managementUrl, boolean processing) {
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
      if (processing && !"PROCESSING".equals(partition.path("streamProcessorPhase").asText())) {
        return false;
      }
    }
    return true;
  }

  private CamundaComponent startWebApp(String app) {
    int port = Ports.freeLoopbackPort();
    int managementPort = Ports.freeLoopbackPort();
    String prefix = "CAMUNDA_" + app.toUpperCase() + "_";
    Map<String, String> env = camundaEnvironment(port, managementPort, searchUrl);
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
                List.of(camundaHome.resolve("bin").resolve(app).toString()),
                env,
                camundaHome,
                logFile(app),
                () -> http.isOk(managementUrl + "/actuator/health/readiness"),
                JVM_START_TIMEOUT));
    return new CamundaComponent(app, "http://127.0.0.1:" + port, managementUrl, process);
  }

  private Map<String, String> camundaEnvironment(int serverPort, int managementPort, String databaseUrl) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("JAVA_HOME", javaHome.toString());
    env.put("JAVA_OPTS", "-Xms128m -Xmx512m");
    env.put("SERVER_ADDRESS", "127.0.0.1");
    env.put("SERVER_PORT", String.valueOf(serverPort));
    env.put("MANAGEMENT_SERVER_ADDRESS", "127.0.0.1");
    env.put("MANAGEMENT_SERVER_PORT", String.valueOf(managementPort));
    env.putAll(version.searchDatabaseEnvironment(databaseUrl));
    // Camunda's search connector probes the AWS credential chain; without this it would ask the
    // EC2 metadata address, which is not on this machine.
    env.put("AWS_EC2_METADATA_DISABLED", "true");
    return env;
  }

  private ManagedProcess launch(ManagedProcess.Spec spec) {
    return launch(spec, started);
  }

  /** Starts a process that is no component of the test bed itself, but stops with it. */
  private ManagedProcess launchExtra(ManagedProcess.Spec spec) {
    return launch(spec, extras);
  }

  private ManagedProcess launch(ManagedProcess.Spec spec, List<ManagedProcess> list) {
    ManagedProcess process = new ManagedProcess(spec);
    synchronized (list) {
      list.add(process);
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

  /**
   * Deploys a BPMN resource through Zeebe's REST API ({@code POST /v2/deployments}), or through
   * {@code zbctl} where the version's REST API cannot.
   */
  public JsonNode deployProcess(String resourceName, byte[] bpmn) {
    if (!version.hasRestProcessApi()) {
      return zbctl().deploy(resourceName, bpmn);
    }
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
   * Starts instances of a deployed process through Zeebe's REST API (or {@code zbctl}).
   *
   * @return the keys of the new process instances
   */
  public List<Long> startProcessInstances(String processDefinitionId, int count) {
    List<Long> keys = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      if (!version.hasRestProcessApi()) {
        keys.add(zbctl().createInstance(processDefinitionId, "{\"n\":" + i + "}").path("processInstanceKey").asLong());
        continue;
      }
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
    return new OperateSession(http, operate().url()).countProcessInstances(bpmnProcessId);
  }

  /** The keys of the ACTIVE instances of a process, as Operate's public API lists them. */
  public List<Long> operateActiveInstanceKeys(String bpmnProcessId) {
    return new OperateSession(http, operate().url()).activeProcessInstanceKeys(bpmnProcessId);
  }

  /** The process instance keys of the open tasks, as Tasklist's public API lists them. */
  public List<Long> tasklistOpenTaskInstanceKeys() {
    return new TasklistSession(http, tasklist().url()).openTaskProcessInstanceKeys();
  }

  private Zbctl zbctl() {
    return new Zbctl(camundaHome, zeebeGrpcAddress, workDirectory.resolve("zbctl"));
  }

  /** A job Zeebe handed out: its key and its process instance's. */
  public record ActivatedJob(long jobKey, long processInstanceKey) {}

  /**
   * Activates up to {@code max} jobs of a type through Zeebe's REST API ({@code POST
   * /v2/jobs/activation}) or {@code zbctl}, locked for {@code timeout}.
   */
  public List<ActivatedJob> activateJobs(String type, int max, Duration timeout) {
    JsonNode answer =
        !version.hasRestProcessApi()
            ? zbctl().activateJobs(type, max, timeout.toMillis())
            : http.postJson(
                zeebe.url() + "/v2/jobs/activation",
                Map.of("type", type, "maxJobsToActivate", max, "timeout", timeout.toMillis(), "worker", "backstop-test", "requestTimeout", 2000))
            .successJson();
    List<ActivatedJob> jobs = new ArrayList<>();
    answer.path("jobs").forEach(job -> jobs.add(new ActivatedJob(job.has("jobKey") ? job.path("jobKey").asLong() : job.path("key").asLong(), job.path("processInstanceKey").asLong())));
    return jobs;
  }

  /**
   * Completes a job through Zeebe's REST API; the HTTP status Zeebe answered (204 when done, 503
   * under back pressure). Through {@code zbctl}, its outcome in the same terms.
   */
  public int completeJob(long jobKey) {
    if (!version.hasRestProcessApi()) {
      Zbctl.Result result = zbctl().completeJob(jobKey);
      if (result.succeeded()) {
        return 204;
      }
      if (result.wasBackPressure()) {
        return 503;
      }
      throw new TestbedException("zbctl could not complete job " + jobKey + ": " + result.output());
    }
    return http.postJson(zeebe.url() + "/v2/jobs/" + jobKey + "/completion", Map.of()).status();
  }

  /**
   * A backup id Zeebe accepts now: the current Unix time in seconds, or one above the latest
   * backup the broker knows if that is higher (Zeebe rejects ids at or below its latest).
   */
  public long nextZeebeBackupId() {
    long next = Instant.now().getEpochSecond();
    Http.Response backups = http.get(zeebe.managementUrl() + "/actuator/backups");
    if (backups.isSuccess()) {
      for (JsonNode backup : backups.json()) {
        next = Math.max(next, backup.path("backupId").asLong() + 1);
      }
    }
    return next;
  }

  /**
   * Takes a Zeebe backup through the broker's management API ({@code POST /actuator/backups}) and
   * waits until it is COMPLETED. It does not pause exporting: this is Zeebe's part alone, not the
   * documented consistent backup of the whole cluster.
   *
   * @return the backup's status ({@code GET /actuator/backups/{id}})
   * @throws TestbedException if Zeebe refuses it, it fails, or it is not complete within two minutes
   */
  public JsonNode takeZeebeBackup(long backupId) {
    String url = zeebe.managementUrl() + "/actuator/backups";
    Http.Response accepted = http.postJson(url, Map.of("backupId", backupId));
    if (accepted.status() != 202) {
      throw new TestbedException("Zeebe refused backup " + backupId + ": HTTP " + accepted.status() + " " + accepted.body());
    }
    Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
    JsonNode status = null;
    while (Instant.now().isBefore(deadline)) {
      Http.Response response = http.get(url + "/" + backupId);
      if (response.isSuccess()) {
        status = response.json();
        switch (status.path("state").asText()) {
          case "COMPLETED" -> {
            return status;
          }
          case "FAILED", "INCOMPATIBLE" -> throw new TestbedException("Zeebe backup " + backupId + " failed: " + status);
          default -> {}
        }
      }
      sleep(Duration.ofMillis(500));
    }
    throw new TestbedException("Zeebe backup " + backupId + " not complete within 2 minutes: " + status);
  }

  // ------------------------------------------------------------------------ restore targets

  /**
   * Starts a second, empty OpenSearch node (its own JVM, data and free ports, the test bed's
   * launcher and S3 plugin, 384 MB heap) whose S3 client points at {@code region}, and registers
   * that region's bucket, base path {@value #SEARCH_BASE_PATH}, as the <b>read-only</b> repository
   * {@value #SEARCH_REPOSITORY}: a new search cluster that can list and restore the snapshots there
   * but never writes to the bucket.
   *
   * <p>It stops when the handle is closed, or at the latest with the test bed.
   *
   * @param workDir its data and log ({@code opensearch.log}) directory
   * @throws TestbedException if it does not start or refuses the repository (the log tail says why)
   */
  public FreshSearch startFreshSearch(S3Region region, Path workDir) {
    Path dir = workDir.toAbsolutePath().normalize();
    int httpPort = Ports.freeLoopbackPort();
    String url = "http://127.0.0.1:" + httpPort;
    String name = "opensearch-fresh-" + extraCount.incrementAndGet();
    ManagedProcess process =
        launchExtra(searchSpec(name, "backstop-" + name, dir, httpPort, region, "384m", dir.resolve("opensearch.log")));
    try {
      registerSearchRepository(url, region, true);
    } catch (RuntimeException e) {
      process.stop();
      throw new TestbedException("fresh OpenSearch on " + region.name() + " refused the repository: " + e.getMessage(), e);
    }
    return new FreshSearch(url, SEARCH_REPOSITORY, region, process);
  }

  /**
   * Runs the distribution's restore tool ({@code bin/restore --backupId=ID}) for node 0 of the
   * test bed's cluster shape ({@value #PARTITION_COUNT} partitions, cluster size 1, replication
   * factor 1), reading the backup from {@code region}'s bucket (base path {@value
   * #ZEEBE_BASE_PATH}) into {@code dataDir}. It runs with the test bed's JDK, under the same
   * process guard as every component, and for at most five minutes.
   *
   * @param dataDir the broker data directory to fill; created if absent, must be empty
   * @throws IllegalArgumentException if {@code dataDir} is not empty
   * @throws TestbedException if the tool fails (a missing or incomplete backup, for example), with
   *     its exit code and the end of its log
   */
  public ZeebeRestoreRun restoreZeebe(S3Region region, long backupId, Path dataDir) {
    Path data = dataDir.toAbsolutePath().normalize();
    requireEmptyDirectory(data);
    Map<String, String> env = new LinkedHashMap<>();
    env.put("JAVA_HOME", javaHome.toString());
    env.put("JAVA_OPTS", "-Xms64m -Xmx384m");
    env.put("AWS_EC2_METADATA_DISABLED", "true");
    env.putAll(zeebeClusterEnvironment(data));
    env.putAll(zeebeBackupStoreEnvironment(region));
    String name = "zeebe-restore-" + region.name() + "-" + backupId;
    ManagedProcess tool =
        new ManagedProcess(
            new ManagedProcess.Spec(
                name,
                List.of(camundaHome.resolve("bin").resolve("restore").toString(), "--backupId=" + backupId),
                env,
                camundaHome,
                logFile(name),
                () -> false,
                Duration.ofMinutes(5)));
    synchronized (extras) {
      extras.add(tool);
    }
    int exit = tool.runToCompletion();
    String tail = tool.logTail(40);
    if (exit != 0) {
      throw new TestbedException(
          "restoring Zeebe backup %d from %s failed with exit code %d; end of %s:%n%s"
              .formatted(backupId, region.name(), exit, tool.logFile(), tail));
    }
    LOG.info("Zeebe backup {} restored from {} into {} in {} ms", backupId, region.name(), data, tool.lastStartDuration().toMillis());
    return new ZeebeRestoreRun(backupId, region, data, exit, tail, tool.lastStartDuration());
  }

  /**
   * Starts a second broker, with the test bed's cluster shape, on a data directory the restore
   * tool filled, and waits until it leads every partition and every partition's stream processor
   * has replayed the restored log and processes. It binds free loopback ports, has
   * no exporter and no backup store (so it cannot touch the test bed's search or backups), and its
   * search database points at a port where nothing listens.
   *
   * @throws TestbedException if it does not become ready, with the end of its log
   */
  public RestoredZeebe startZeebeOn(Path dataDir) {
    Path data = dataDir.toAbsolutePath().normalize();
    int grpcPort = Ports.freeLoopbackPort();
    int restPort = Ports.freeLoopbackPort();
    int managementPort = Ports.freeLoopbackPort();
    Map<String, String> env =
        camundaEnvironment(restPort, managementPort, "http://127.0.0.1:" + Ports.freeLoopbackPort());
    env.putAll(brokerEnvironment(data, grpcPort));
    String name = "zeebe-restored-" + extraCount.incrementAndGet();
    String managementUrl = "http://127.0.0.1:" + managementPort;
    ManagedProcess process = launchExtra(brokerSpec(name, env, logFile(name), () -> zeebeIsReady(managementUrl, true)));
    return new RestoredZeebe("http://127.0.0.1:" + restPort, managementUrl, "127.0.0.1:" + grpcPort, data, process);
  }

  private static void requireEmptyDirectory(Path directory) {
    try {
      Files.createDirectories(directory);
      try (var entries = Files.list(directory)) {
        if (entries.findAny().isPresent()) {
          throw new IllegalArgumentException("the restore tool needs an empty data directory: " + directory);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ---------------------------------------------------------------------- Backstop's runtime

  /**
   * Writes the descriptor of Backstop's LOCAL_PROCESS runtime for this test bed: for Zeebe,
   * Operate and Tasklist their command, environment, working directory, log, readiness URL and a
   * pid file (written now, with the running process's pid and start time); for the broker also
   * its data directory and the restore tool's command and environment (without the backup store,
   * which the runtime sets for the region it restores from).
   *
   * <p>Once Backstop has stopped and started a component through it, this test bed's own handle
   * of that component ({@link CamundaComponent#process()}) no longer runs it; {@link #close()}
   * stops what the pid files name all the same. The file holds the components' secrets: it is
   * written readable by its owner only.
   *
   * @return {@code file}
   */
  public Path writeRuntimeDescriptor(Path file) {
    Path pids = workDirectory.resolve("runtime");
    createDirectories(pids);
    Map<String, Object> zeebeEntry = runtimeEntry(zeebe, pids);
    Path data = workDirectory.resolve("zeebe").resolve("data");
    Map<String, String> restoreEnv = new LinkedHashMap<>();
    restoreEnv.put("JAVA_HOME", javaHome.toString());
    restoreEnv.put("JAVA_OPTS", "-Xms64m -Xmx384m");
    restoreEnv.put("AWS_EC2_METADATA_DISABLED", "true");
    restoreEnv.put(ProcessGuard.MARKER_VARIABLE, ProcessGuard.runId());
    restoreEnv.putAll(zeebeClusterEnvironment(data));
    zeebeEntry.put("dataDirectory", data.toString());
    zeebeEntry.put("restoreCommand", List.of(camundaHome.resolve("bin").resolve("restore").toString()));
    zeebeEntry.put("restoreEnvironment", restoreEnv);
    Map<String, Object> descriptor = new LinkedHashMap<>();
    descriptor.put("zeebe", List.of(zeebeEntry));
    descriptor.put("webApps", version.hasWebApps() ? List.of(runtimeEntry(operate, pids), runtimeEntry(tasklist, pids)) : List.of());
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.deleteIfExists(file);
      // Readable by its owner only before the secrets go in.
      Files.createFile(file, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
      Files.writeString(file, new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(descriptor));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  private Map<String, Object> runtimeEntry(CamundaComponent component, Path pids) {
    ManagedProcess.Spec spec = component.process().spec();
    Path pidFile = pids.resolve(spec.name() + ".pid");
    synchronized (runtimePidFiles) {
      runtimePidFiles.add(pidFile);
    }
    component.process().pid().flatMap(ProcessHandle::of).ifPresent(process -> {
      try {
        Files.writeString(pidFile, process.pid() + " " + process.info().startInstant().map(Instant::toString).orElse("") + "\n");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    Map<String, String> env = new LinkedHashMap<>(spec.environment());
    env.put(ProcessGuard.MARKER_VARIABLE, ProcessGuard.runId());
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("name", spec.name());
    entry.put("command", spec.command());
    entry.put("environment", env);
    entry.put("workingDirectory", spec.workingDirectory().toString());
    entry.put("logFile", spec.logFile().toString());
    entry.put("pidFile", pidFile.toString());
    entry.put("readinessUrl", component.managementUrl() + "/actuator/health/readiness");
    return entry;
  }

  /**
   * Whether a component of the test bed runs: under the test bed's own handle, or, once Backstop's
   * runtime restarted it, under the pid its runtime's pid file names.
   */
  public boolean isRunning(String name) {
    boolean own = processes().stream().anyMatch(p -> p.name().equals(name) && p.isRunning());
    return own || runtimeProcess(workDirectory.resolve("runtime").resolve(name + ".pid")).isPresent();
  }

  /**
   * The components running under Backstop's runtime now (a restore stopped and started them): the
   * live processes the runtime's pid files name.
   */
  public List<ProcessHandle> runtimeProcesses() {
    List<Path> pidFiles;
    synchronized (runtimePidFiles) {
      pidFiles = List.copyOf(runtimePidFiles);
    }
    return pidFiles.stream().map(Testbed::runtimeProcess).flatMap(Optional::stream).toList();
  }

  private static Optional<ProcessHandle> runtimeProcess(Path pidFile) {
    try {
      if (!Files.exists(pidFile)) {
        return Optional.empty();
      }
      String[] fields = Files.readString(pidFile).strip().split("\\s+");
      return ProcessHandle.of(Long.parseLong(fields[0]))
          .filter(ProcessHandle::isAlive)
          .filter(p -> fields.length < 2 || p.info().startInstant().map(Instant.parse(fields[1])::equals).orElse(false));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Kills the processes that the runtime's pid files name (started by Backstop, not by this test bed). */
  private void killRuntimeProcesses() {
    List<Path> pidFiles;
    synchronized (runtimePidFiles) {
      pidFiles = List.copyOf(runtimePidFiles);
    }
    for (Path pidFile : pidFiles) {
      try {
        runtimeProcess(pidFile)
            .ifPresent(process -> {
              LOG.info("Stopping {} (pid {}), started by Backstop's runtime", pidFile.getFileName(), process.pid());
              List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
              tree.add(process);
              tree.forEach(ProcessHandle::destroyForcibly);
              for (ProcessHandle member : tree) {
                try {
                  member.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS); // gone when close() returns
                } catch (Exception notYet) {
                  LOG.warn("{} (pid {}) has not exited yet", pidFile.getFileName(), member.pid());
                }
              }
            });
      } catch (RuntimeException e) {
        LOG.warn("Could not stop the process of {}: {}", pidFile, e.toString());
      }
    }
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

  /** The Camunda version the test bed runs. */
  public CamundaVersion version() {
    return version;
  }

  /** @throws TestbedException if the test bed's version runs no Operate here */
  public CamundaComponent operate() {
    return webApp(operate, "Operate");
  }

  /** @throws TestbedException if the test bed's version runs no Tasklist here */
  public CamundaComponent tasklist() {
    return webApp(tasklist, "Tasklist");
  }

  private CamundaComponent webApp(CamundaComponent component, String name) {
    if (!version.hasWebApps()) {
      throw new TestbedException("the test bed of Camunda " + version + " runs no " + name + " (its distribution is not here)");
    }
    return component;
  }

  public Path workDirectory() {
    return workDirectory;
  }

  /** How long {@link #start(Path)} took until every component was ready. */
  public Duration startDuration() {
    return startDuration;
  }

  /**
   * Every component process of the test bed, in start order; not what was started beside it
   * ({@link #startFreshSearch}, {@link #restoreZeebe}, {@link #startZeebeOn}).
   */
  public List<ManagedProcess> processes() {
    synchronized (started) {
      return List.copyOf(started);
    }
  }

  /** The directory of the JDK that runs the components. */
  public Path javaHome() {
    return javaHome;
  }

  /**
   * Stops every component, the last started first, and before them whatever was started beside
   * the test bed (fresh OpenSearch nodes, restored brokers, tools). Safe to call more than once.
   */
  @Override
  public void close() {
    List<ManagedProcess> toStop = new ArrayList<>(processes());
    synchronized (extras) {
      toStop.addAll(extras);
    }
    killRuntimeProcesses();
    ManagedProcess.stopAllLastFirst(toStop);
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

  private static void createDirectories(Path directory) {
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TestbedException("interrupted", e);
    }
  }

  private static String randomSecret() {
    byte[] bytes = new byte[16];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
