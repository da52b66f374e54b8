package dev.backstop.testbed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A private single-node Ceph cluster with a RADOS Gateway (radosgw, Ceph 16.2 from Debian's
 * {@code ceph-mon ceph-osd radosgw ceph-common}): the closest to a production S3 server the test
 * bed has. One monitor, one OSD whose object store is <em>memstore</em>, authentication off, and
 * radosgw serving S3 on 127.0.0.1; an S3 user with generated keys and one bucket.
 *
 * <p>Everything lives under the work directory: the cluster's own name ({@value #CLUSTER}) and
 * fsid, its configuration file (no {@code /etc/ceph}), run directory, admin sockets, pid files,
 * logs, monitor and OSD data. The daemons run in the foreground as children of this JVM through
 * {@link ManagedProcess}, so they carry {@link ProcessGuard#MARKER_VARIABLE} and die with it.
 * The monitor and radosgw listen on free loopback ports; the OSD binds to 127.0.0.1 on ports Ceph
 * picks itself from its range (6800-7300), skipping those in use.
 *
 * <p>The OSD keeps objects in RAM: whatever the tests store costs memory. No ceph-mgr runs (it
 * would add a few hundred MB for statistics and the PG autoscaler, neither needed), so {@code ceph
 * -s} shows no PG or usage figures.
 *
 * <p>{@link #start(Path)} takes about 4 s on two cores; the three daemons use about 130 MB resident
 * before data, about 185 MB after 20 MB were written.
 */
public final class CephObjectGateway implements AutoCloseable {

  /** The cluster name: config variables like {@code $cluster} expand to it. */
  public static final String CLUSTER = "backstop";

  /**
   * The region requests are signed for. radosgw accepts any region in a signature; creating a
   * bucket with a location constraint other than its zone group's name fails, and {@code us-east-1}
   * is the one region for which the SDK sends no constraint.
   */
  public static final String SIGNING_REGION = "us-east-1";

  /** The capacity the memstore OSD reports by default: 2 GiB (of RAM, used as data is stored). */
  public static final long DEFAULT_STORE_BYTES = 2L << 30;

  private static final Logger LOG = LoggerFactory.getLogger(CephObjectGateway.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration DAEMON_START_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(90);
  private static final String MONITOR_ID = "a";
  private static final int OSD_ID = 0;
  private static final String GATEWAY_NAME = "client.rgw.gw";
  private static final String USER_ID = "backstop";
  /** Unix socket paths are limited to 107 bytes on Linux. */
  private static final int MAX_SOCKET_PATH = 107;

  private final Path workDirectory;
  private final long storeBytes;
  private final String fsid = UUID.randomUUID().toString();
  private final String accessKey = "BACKSTOP" + randomHex(6).toUpperCase();
  private final String secretKey = randomHex(20);
  private final String bucket = "backstop-ceph";
  private final List<ManagedProcess> started = new ArrayList<>();

  private int monitorPort;
  private String endpoint;
  private ManagedProcess gateway;
  private Duration startDuration;

  private CephObjectGateway(Path workDirectory, long storeBytes) {
    this.workDirectory = workDirectory.toAbsolutePath().normalize();
    this.storeBytes = storeBytes;
  }

  /** Starts the cluster under {@code workDirectory} with an OSD of {@link #DEFAULT_STORE_BYTES}. */
  public static CephObjectGateway start(Path workDirectory) {
    return start(workDirectory, DEFAULT_STORE_BYTES);
  }

  /**
   * Starts the cluster under {@code workDirectory}, which should be new or empty, and returns once
   * the bucket exists.
   *
   * @param storeBytes the capacity the memstore OSD reports; data stored takes that much RAM
   * @throws TestbedException naming the step or daemon that failed, with the end of its log; every
   *     process started until then is stopped again
   */
  public static CephObjectGateway start(Path workDirectory, long storeBytes) {
    return start(workDirectory, storeBytes, Ports.freeLoopbackPort());
  }

  /** With a given S3 port: for tests of a failed start. */
  static CephObjectGateway start(Path workDirectory, long storeBytes, int gatewayPort) {
    CephObjectGateway ceph = new CephObjectGateway(workDirectory, storeBytes);
    try {
      ceph.startAll(gatewayPort);
      return ceph;
    } catch (RuntimeException e) {
      ceph.close();
      throw e;
    }
  }

  private void startAll(int gatewayPort) {
    Instant begin = Instant.now();
    requireInstalled();
    requireShortEnoughSocketPaths();
    monitorPort = Ports.freeLoopbackPort();
    endpoint = "http://127.0.0.1:" + gatewayPort;
    LOG.info("Starting Ceph cluster {} (fsid {}) under {}", CLUSTER, fsid, workDirectory);
    writeConfiguration(gatewayPort);
    startMonitor();
    startOsd();
    createUser();
    startGateway();
    createBucket();
    startDuration = Duration.between(begin, Instant.now());
    LOG.info("Ceph object gateway ready in {} ms: {}", startDuration.toMillis(), this);
  }

  // ----------------------------------------------------------------------------------- steps

  private void requireInstalled() {
    for (String binary : List.of("ceph-mon", "ceph-osd", "radosgw", "radosgw-admin", "monmaptool", "ceph")) {
      if (!Files.isExecutable(Path.of("/usr/bin", binary))) {
        throw new TestbedException(
            "Ceph is not installed (no /usr/bin/" + binary + "): "
                + "apt-get install -y ceph-mon ceph-osd radosgw ceph-common");
      }
    }
  }

  private void requireShortEnoughSocketPaths() {
    Path longest = adminSocket(GATEWAY_NAME);
    if (longest.toString().getBytes(StandardCharsets.UTF_8).length > MAX_SOCKET_PATH) {
      throw new TestbedException(
          "The work directory " + workDirectory + " is too deep for Ceph's admin sockets ("
              + longest + " is longer than " + MAX_SOCKET_PATH + " bytes): use a shorter one");
    }
  }

  private void writeConfiguration(int gatewayPort) {
    String w = workDirectory.toString();
    String config =
        String.join(
            "\n",
            "# Written by the Backstop test bed: a private single-node cluster, nothing outside " + w,
            "[global]",
            "fsid = " + fsid,
            "mon host = v2:127.0.0.1:" + monitorPort,
            "mon initial members = " + MONITOR_ID,
            "public addr = 127.0.0.1",
            "cluster addr = 127.0.0.1",
            "ms bind ipv6 = false",
            "ms bind msgr1 = false",
            "auth cluster required = none",
            "auth service required = none",
            "auth client required = none",
            // radosgw asks for a 'secure' connection to the monitor by default, which needs cephx
            // session keys; without auth it would fail every attempt with EACCES (-13).
            "ms mon client mode = crc",
            "mon warn on insecure global id reclaim allowed = false",
            "run dir = " + w + "/run",
            // The run directory is private: short socket names (Linux allows 107 bytes in a path).
            "admin socket = " + w + "/run/$name.asok",
            "pid file = " + w + "/run/$cluster-$name.pid",
            "log file = " + w + "/log/$cluster-$name.log",
            "mon cluster log file = " + w + "/log/$cluster.$channel.log",
            "crash dir = " + w + "/crash",
            "keyring = " + w + "/keyring",
            "mon data = " + w + "/mon/$cluster-$id",
            "osd data = " + w + "/osd/$cluster-$id",
            "rgw data = " + w + "/rgw/$cluster-$id",
            // The monitor warns at 30 % and stops at 5 % free disk: not its business on a test machine.
            "mon data avail warn = 2",
            "mon data avail crit = 1",
            // One OSD: one copy of everything, placement across OSDs rather than hosts, few PGs
            // (radosgw creates seven pools) and no autoscaler (it lives in ceph-mgr, not run here).
            "osd pool default size = 1",
            "osd pool default min size = 1",
            "mon allow pool size one = true",
            "mon warn on pool no redundancy = false",
            "osd pool default pg num = 8",
            "osd pool default pgp num = 8",
            "osd pool default pg autoscale mode = off",
            "osd crush chooseleaf type = 0",
            "mon allow pool delete = true",
            // The monitor batches changes for up to a second; radosgw creates its pools one by one
            // and waits for each, which made up most of the start time.
            "paxos propose interval = 0.05",
            // memstore keeps every object in the OSD's memory (RAM); this is only the capacity it
            // reports, which the full ratios are measured against.
            "osd objectstore = memstore",
            "memstore device bytes = " + storeBytes,
            "",
            "[" + GATEWAY_NAME + "]",
            "rgw frontends = beast endpoint=127.0.0.1:" + gatewayPort,
            // The default is 512 threads; tests need few.
            "rgw thread pool size = 64",
            "");
    createDirectories(workDirectory.resolve("run"));
    createDirectories(workDirectory.resolve("log"));
    createDirectories(workDirectory.resolve("crash"));
    createDirectories(workDirectory.resolve("mon"));
    createDirectories(workDirectory.resolve("osd").resolve(CLUSTER + "-" + OSD_ID));
    try {
      Files.writeString(configFile(), config);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void startMonitor() {
    Path monmap = workDirectory.resolve("monmap");
    run(
        "monmaptool",
        "--create",
        "--clobber",
        "--fsid",
        fsid,
        "--addv",
        MONITOR_ID,
        "[v2:127.0.0.1:" + monitorPort + "]",
        monmap.toString());
    run(withCluster("ceph-mon", "-i", MONITOR_ID, "--mkfs", "--monmap", monmap.toString()));
    Path socket = adminSocket("mon." + MONITOR_ID);
    launch(
        "ceph-mon",
        withCluster("ceph-mon", "-d", "-i", MONITOR_ID),
        () -> "leader".equals(adminCommand(socket, "mon_status").path("state").asText()));
  }

  private void startOsd() {
    String uuid = UUID.randomUUID().toString();
    String id = run(withCluster("ceph", "osd", "new", uuid)).strip();
    if (!id.equals(String.valueOf(OSD_ID))) {
      throw new TestbedException("the monitor gave the OSD id " + id + ", expected " + OSD_ID);
    }
    run(withCluster("ceph-osd", "-i", id, "--mkfs", "--osd-uuid", uuid));
    Path socket = adminSocket("osd." + id);
    launch(
        "ceph-osd",
        withCluster("ceph-osd", "-d", "-i", id),
        () -> "active".equals(adminCommand(socket, "status").path("state").asText()));
  }

  /** Before radosgw starts, so that its readiness probe can be a signed request. */
  private void createUser() {
    // Also creates radosgw's first four pools (the bucket and the first object add three more).
    run(
        withCluster(
            "radosgw-admin",
            "user",
            "create",
            "--uid",
            USER_ID,
            "--display-name",
            "Backstop test bed",
            "--access-key",
            accessKey,
            "--secret-key",
            secretKey));
  }

  private void startGateway() {
    gateway =
        launch(
            "radosgw",
            withCluster("radosgw", "-d", "-n", GATEWAY_NAME),
            () -> {
              endIfFrontendFailed();
              try (S3Client s3 = probeClient()) {
                s3.listBuckets();
                return true;
              }
            });
  }

  /**
   * A client that gives up quickly, without retries: the probe must not hang on whatever else
   * might be listening on the port, or the process's death would go unnoticed.
   */
  private S3Client probeClient() {
    return S3Client.builder()
        .endpointOverride(URI.create(endpoint))
        .region(Region.of(SIGNING_REGION))
        .forcePathStyle(true)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
        .httpClientBuilder(
            UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(2))
                .socketTimeout(Duration.ofSeconds(5)))
        .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()).apiCallTimeout(Duration.ofSeconds(5)))
        .build();
  }

  /**
   * radosgw 16.2 does not exit cleanly when its frontend cannot bind (port taken): it logs the
   * error, then crashes in a background thread while shutting down and may linger. Ending it at
   * once lets the start fail with its log right away.
   */
  private void endIfFrontendFailed() throws IOException {
    Path log = logFile("radosgw");
    if (Files.exists(log) && Files.readString(log, StandardCharsets.ISO_8859_1).contains("failed initializing frontend")) {
      String config = configFile().toString();
      ProcessHandle.current()
          .children()
          .filter(p -> p.info().commandLine().orElse("").contains(config))
          .filter(p -> p.info().command().orElse("").endsWith("radosgw"))
          .forEach(ProcessHandle::destroyForcibly);
    }
  }

  private void createBucket() {
    try (S3Client s3 = region().newClient()) {
      s3.createBucket(b -> b.bucket(bucket));
    } catch (RuntimeException e) {
      throw new TestbedException(
          "radosgw did not create bucket %s: %s; end of %s:%n%s"
              .formatted(bucket, e.getMessage(), gateway.logFile(), gateway.logTail(40)),
          e);
    }
  }

  // ------------------------------------------------------------------------------- accessors

  /** The S3 endpoint, {@code http://127.0.0.1:PORT}. */
  public String endpoint() {
    return endpoint;
  }

  public String accessKey() {
    return accessKey;
  }

  /** The secret key; not printed by {@link #toString()}. */
  public String secretKey() {
    return secretKey;
  }

  /** The bucket created at start. */
  public String bucket() {
    return bucket;
  }

  /** See {@link #SIGNING_REGION}. */
  public String signingRegion() {
    return SIGNING_REGION;
  }

  public String fsid() {
    return fsid;
  }

  /** The cluster's configuration file, for {@code ceph -c …} and {@code radosgw-admin -c …}. */
  public Path configFile() {
    return workDirectory.resolve(CLUSTER + ".conf");
  }

  public Path workDirectory() {
    return workDirectory;
  }

  /**
   * The gateway as an object-storage region of the test bed (its process is radosgw), e.g. for
   * {@link S3Region#newClient()}: path-style requests signed for {@link #SIGNING_REGION}.
   */
  public S3Region region() {
    return new S3Region("ceph", endpoint, SIGNING_REGION, bucket, accessKey, secretKey, gateway);
  }

  /**
   * A path-style S3 client for the gateway; the caller closes it. (An AWS SDK of 2.30 or later
   * would also need {@code requestChecksumCalculation(WHEN_REQUIRED)} and {@code
   * responseChecksumValidation(WHEN_REQUIRED)} against radosgw 16.2; the project uses 2.29.)
   */
  public S3Client newClient() {
    return region().newClient();
  }

  /** The daemons in start order: ceph-mon, ceph-osd, radosgw. */
  public List<ManagedProcess> processes() {
    synchronized (started) {
      return List.copyOf(started);
    }
  }

  /** How long {@link #start(Path)} took until the bucket existed. */
  public Duration startDuration() {
    return startDuration;
  }

  /**
   * Stops radosgw, the OSD and the monitor, in that order (an OSD without its monitor waits for it
   * before it stops). Safe to call more than once; leaves the work directory as it is.
   */
  @Override
  public void close() {
    List<ManagedProcess> toStop = new ArrayList<>(processes());
    ManagedProcess.stopAllLastFirst(toStop);
  }

  @Override
  public String toString() {
    return "CephObjectGateway[cluster=%s, fsid=%s, endpoint=%s, bucket=%s, accessKey=%s, secretKey=<redacted>, dir=%s]"
        .formatted(CLUSTER, fsid, endpoint, bucket, accessKey, workDirectory);
  }

  // --------------------------------------------------------------------------------- helpers

  private List<String> withCluster(String binary, String... arguments) {
    List<String> command = new ArrayList<>(List.of(binary, "--cluster", CLUSTER, "-c", configFile().toString()));
    command.addAll(List.of(arguments));
    return command;
  }

  private Path adminSocket(String daemon) {
    return workDirectory.resolve("run").resolve(daemon + ".asok");
  }

  private Path logFile(String name) {
    return workDirectory.resolve("log").resolve(name + ".out");
  }

  /** Runs a daemon in the foreground ({@code -d}: its log goes to the captured output). */
  private ManagedProcess launch(String name, List<String> command, ManagedProcess.ReadinessProbe readiness) {
    ManagedProcess process =
        new ManagedProcess(
            new ManagedProcess.Spec(
                name,
                command,
                Map.of("CEPH_CONF", configFile().toString()),
                workDirectory,
                logFile(name),
                readiness,
                DAEMON_START_TIMEOUT));
    synchronized (started) {
      started.add(process);
    }
    process.start();
    LOG.info("{} ready in {} ms", name, process.lastStartDuration().toMillis());
    return process;
  }

  private String run(String... command) {
    return run(List.of(command));
  }

  /**
   * Runs a one-off command to its end, marked like every test bed process, and returns its
   * standard output; the command line (secret redacted) and its standard error go to {@code
   * log/setup.out}.
   */
  private String run(List<String> command) {
    Path output = workDirectory.resolve("log").resolve("command.out");
    Path errors = logFile("setup");
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.directory(workDirectory.toFile());
    builder.environment().put("CEPH_CONF", configFile().toString());
    builder.environment().put(ProcessGuard.MARKER_VARIABLE, ProcessGuard.runId());
    builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    builder.redirectOutput(output.toFile());
    builder.redirectError(ProcessBuilder.Redirect.appendTo(errors.toFile()));
    String name = String.join(" ", command).replace(" --cluster " + CLUSTER + " -c " + configFile(), "");
    try {
      Files.writeString(
          errors, "%n--- %s at %s%n".formatted(name.replace(secretKey, "<redacted>"), Instant.now()),
          java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
      Process process = builder.start();
      if (!process.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        throw new TestbedException(
            "`%s` did not finish within %s; end of %s:%n%s".formatted(name, COMMAND_TIMEOUT, errors, tail(errors)));
      }
      // Not kept: radosgw-admin prints the secret key.
      String out = Files.readString(output, StandardCharsets.UTF_8);
      Files.delete(output);
      if (process.exitValue() != 0) {
        throw new TestbedException(
            "`%s` failed with exit code %d: %s; end of %s:%n%s"
                .formatted(name, process.exitValue(), out.strip(), errors, tail(errors)));
      }
      return out;
    } catch (IOException e) {
      throw new TestbedException("could not run `" + name + "`: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TestbedException("interrupted while running `" + name + "`", e);
    }
  }

  /**
   * Asks a daemon through its admin socket: the command as JSON, terminated by a zero byte; the
   * answer is a 32-bit big-endian length and that many bytes of JSON. Gives up after 5 s.
   */
  static JsonNode adminCommand(Path socket, String prefix) throws IOException {
    if (!Files.exists(socket)) {
      throw new IOException("no admin socket at " + socket + " yet");
    }
    SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
    CompletableFuture<JsonNode> answer =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                channel.connect(UnixDomainSocketAddress.of(socket));
                channel.write(ByteBuffer.wrap(("{\"prefix\":\"" + prefix + "\"}\0").getBytes(StandardCharsets.UTF_8)));
                ByteBuffer length = readFully(channel, 4);
                ByteBuffer body = readFully(channel, length.getInt());
                return JSON.readTree(body.array());
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
    try (channel) {
      return answer.get(5, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new IOException("no answer on " + socket + " within 5 s", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof UncheckedIOException u ? u.getCause() : new IOException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private static ByteBuffer readFully(SocketChannel channel, int bytes) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(bytes);
    while (buffer.hasRemaining()) {
      if (channel.read(buffer) < 0) {
        throw new IOException("admin socket closed after " + buffer.position() + " of " + bytes + " bytes");
      }
    }
    return buffer.flip();
  }

  private static String tail(Path file) {
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(not readable: " + e.getMessage() + ")";
    }
  }

  private static void createDirectories(Path directory) {
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String randomHex(int bytes) {
    byte[] random = new byte[bytes];
    new SecureRandom().nextBytes(random);
    return HexFormat.of().formatHex(random);
  }
}
