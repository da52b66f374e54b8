package dev.backstop.testbed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A private single-node Ceph cluster with its S3 gateway, from Debian's packages ({@code ceph-mon
 * ceph-osd radosgw ceph-common}): one monitor, one OSD on {@code memstore} (its objects live in
 * the OSD's memory), authentication off, and radosgw on a loopback port, with an S3 user and one
 * bucket. Everything it writes (configuration, monitor store, logs, sockets) is under its
 * directory; its daemons run in the foreground as child processes of the test JVM, tracked by
 * {@link ProcessGuard} like every other component.
 *
 * <p>Gotchas met on the way: without IPv6 on the host the monitor's address must be messenger v2
 * only ({@code [v2:127.0.0.1:PORT]}); radosgw asks for "secure" connection mode, which
 * authentication "none" does not offer, so clients are set to {@code crc}.
 */
public final class CephObjectGateway implements AutoCloseable {

  /** The region name requests are signed for (radosgw accepts any with its default zonegroup). */
  public static final String SIGNING_REGION = "us-east-1";

  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(60);

  private final Path dir;
  private final Path conf;
  private final List<ManagedProcess> daemons = new ArrayList<>();
  private final String endpoint;
  private final String accessKey = "backstop";
  private final String secretKey;
  private final String bucket;

  private CephObjectGateway(Path dir, String bucket) {
    this.dir = dir.toAbsolutePath().normalize();
    this.conf = this.dir.resolve("ceph.conf");
    this.endpoint = "http://127.0.0.1:" + Ports.freeLoopbackPort();
    byte[] secret = new byte[20];
    new SecureRandom().nextBytes(secret);
    this.secretKey = HexFormat.of().formatHex(secret);
    this.bucket = bucket;
  }

  /**
   * Starts the cluster and its gateway under {@code directory} and creates {@code bucket}.
   *
   * @throws TestbedException naming the daemon or tool that failed, with the end of its log; what
   *     had started is stopped again
   */
  public static CephObjectGateway start(Path directory, String bucket) {
    CephObjectGateway gateway = new CephObjectGateway(directory, bucket);
    try {
      gateway.startAll();
      return gateway;
    } catch (RuntimeException e) {
      gateway.close();
      throw e;
    }
  }

  private void startAll() {
    for (String sub : List.of("run", "log", "mon", "osd/osd.0", "rgw")) {
      createDirectories(dir.resolve(sub));
    }
    int monPort = Ports.freeLoopbackPort();
    String fsid = UUID.randomUUID().toString();
    write(conf, configuration(fsid, monPort));
    tool("ceph-authtool", "--create-keyring", dir.resolve("keyring").toString(), "--gen-key", "-n", "mon.", "--cap", "mon", "allow *");
    tool("monmaptool", "--create", "--addv", "a", "[v2:127.0.0.1:" + monPort + "]", "--fsid", fsid, dir.resolve("monmap").toString());
    tool("ceph-mon", "-c", conf.toString(), "--mkfs", "-i", "a", "--monmap", dir.resolve("monmap").toString(), "--keyring", dir.resolve("keyring").toString());
    daemon("ceph-mon", List.of("ceph-mon", "-c", conf.toString(), "-i", "a", "-f"), () -> succeeds("ceph", "-c", conf.toString(), "mon", "stat"));
    String osdUuid = UUID.randomUUID().toString();
    tool("ceph", "-c", conf.toString(), "osd", "new", osdUuid);
    tool("ceph-osd", "-c", conf.toString(), "-i", "0", "--mkfs", "--osd-uuid", osdUuid);
    daemon("ceph-osd", List.of("ceph-osd", "-c", conf.toString(), "-i", "0", "-f"), () -> output("ceph", "-c", conf.toString(), "osd", "stat").contains("1 up"));
    daemon("radosgw", List.of("radosgw", "-c", conf.toString(), "-n", "client.rgw.gw", "-f"), () -> answers(endpoint + "/"));
    tool("radosgw-admin", "-c", conf.toString(), "user", "create", "--uid=" + accessKey, "--display-name=Backstop tests",
        "--access-key=" + accessKey, "--secret-key=" + secretKey);
    try (var s3 = region().newClient()) {
      s3.createBucket(b -> b.bucket(bucket));
    }
  }

  private String configuration(String fsid, int monPort) {
    return String.join(
        "\n",
        "[global]",
        "fsid = " + fsid,
        "mon host = [v2:127.0.0.1:" + monPort + "]",
        "public addr = 127.0.0.1",
        "cluster addr = 127.0.0.1",
        "ms bind ipv4 = true",
        "ms bind ipv6 = false",
        "ms mon client mode = crc",
        "ms client mode = crc",
        "auth cluster required = none",
        "auth service required = none",
        "auth client required = none",
        "auth allow insecure global id reclaim = true",
        "osd pool default size = 1",
        "osd pool default min size = 1",
        "osd pool default pg num = 8",
        "osd pool default pgp num = 8",
        "mon allow pool size one = true",
        "mon allow pool delete = true",
        "mon warn on pool no redundancy = false",
        "mon data avail warn = 1",
        "mon data avail crit = 0",
        "osd crush chooseleaf type = 0",
        "osd objectstore = memstore",
        "# memstore keeps the OSD's objects in RAM, up to this much",
        "memstore device bytes = 3221225472",
        "run dir = " + dir.resolve("run"),
        "admin socket = " + dir.resolve("run") + "/$name.asok",
        "log file = " + dir.resolve("log") + "/$name.log",
        "pid file = " + dir.resolve("run") + "/$name.pid",
        "mon data = " + dir.resolve("mon") + "/$name",
        "osd data = " + dir.resolve("osd") + "/$name",
        "keyring = " + dir.resolve("keyring"),
        "",
        "[client.rgw.gw]",
        "rgw frontends = beast endpoint=" + endpoint.substring("http://".length()),
        "rgw data = " + dir.resolve("rgw"),
        "");
  }

  /** The gateway as a test-bed region: endpoint, bucket, keys; its process is radosgw. */
  public S3Region region() {
    return new S3Region("ceph", endpoint, SIGNING_REGION, bucket, accessKey, secretKey, daemons.getLast());
  }

  public String endpoint() {
    return endpoint;
  }

  /** Stops radosgw, the OSD and the monitor, in that order. */
  @Override
  public void close() {
    List<ManagedProcess> toStop = new ArrayList<>(daemons);
    java.util.Collections.reverse(toStop);
    for (ManagedProcess daemon : toStop) {
      try {
        daemon.stop();
      } catch (RuntimeException e) {
        daemon.kill();
      }
    }
  }

  // ------------------------------------------------------------------------------------------

  private void daemon(String name, List<String> command, ManagedProcess.ReadinessProbe ready) {
    ManagedProcess process =
        new ManagedProcess(new ManagedProcess.Spec(name, command, Map.of(), dir, dir.resolve("log").resolve(name + ".out"), ready, START_TIMEOUT));
    daemons.add(process);
    process.start();
  }

  private void tool(String... command) {
    ManagedProcess tool =
        new ManagedProcess(
            new ManagedProcess.Spec(command[0], List.of(command), Map.of(), dir, dir.resolve("log").resolve("tools.out"), () -> false, TOOL_TIMEOUT));
    int exit = tool.runToCompletion();
    if (exit != 0) {
      throw new TestbedException("%s exited with %d; end of its output:%n%s".formatted(String.join(" ", command), exit, tool.logTail(30)));
    }
  }

  private boolean succeeds(String... command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return false;
      }
      return process.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private String output(String... command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return "";
      }
      return new String(process.getInputStream().readAllBytes());
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  private static boolean answers(String url) {
    try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
      return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding())
              .statusCode() < 500;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static void createDirectories(Path path) {
    try {
      Files.createDirectories(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(Path path, String content) {
    try {
      Files.writeString(path, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String toString() {
    return "CephObjectGateway[endpoint=%s, bucket=%s, accessKey=%s, secretKey=<redacted>]".formatted(endpoint, bucket, accessKey);
  }
}
