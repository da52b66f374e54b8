package dev.backstop.testbed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Starts an S3Proxy server (the test bed's S3-compatible storage) in a JVM of its own: filesystem
 * backend under a directory, signature v2 and v4 checked, bound to 127.0.0.1 on a free port, with
 * one bucket created. Returned as an {@link S3Region} whose process can be stopped, killed and
 * started again on the same data; {@link ProcessGuard} kills it if the JVM that started it dies.
 */
public final class S3ProxyServer {

  /** The region name requests are signed for. */
  public static final String SIGNING_REGION = "us-east-1";

  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private S3ProxyServer() {}

  /**
   * An S3Proxy with bucket {@code backstop}, access key {@code backstop} and a random secret, its
   * data and log under {@code directory}, from the jar the build laid out ({@link
   * TestbedFiles#locateS3ProxyJar()}). The caller stops it ({@link S3Region#close()}).
   */
  public static S3Region start(Path directory) {
    Path dir = directory.toAbsolutePath().normalize();
    return start(
        "standalone",
        dir,
        "backstop",
        "backstop",
        randomSecret(),
        TestbedFiles.locateS3ProxyJar(),
        Jdk.findJava(),
        dir.resolve("s3proxy.log"));
  }

  /**
   * An S3Proxy as configured.
   *
   * @param name the region's name; its process is {@code s3proxy-<name>} in logs
   * @param directory where its settings and data go
   * @param bucket the bucket to create
   * @param java the {@code java} launcher that runs it (17+)
   * @throws TestbedException when it did not start, with the end of its log; nothing is left running
   */
  public static S3Region start(
      String name,
      Path directory,
      String bucket,
      String accessKey,
      String secretKey,
      Path s3ProxyJar,
      Path java,
      Path logFile) {
    int port = Ports.freeLoopbackPort();
    String endpoint = "http://127.0.0.1:" + port;
    Path data = directory.resolve("data");
    Path properties = directory.resolve("s3proxy.properties");
    try {
      Files.createDirectories(data);
      Files.writeString(
          properties,
          String.join(
              "\n",
              "s3proxy.endpoint=" + endpoint,
              "s3proxy.authorization=aws-v2-or-v4",
              "s3proxy.identity=" + accessKey,
              "s3proxy.credential=" + secretKey,
              "jclouds.provider=filesystem",
              "jclouds.filesystem.basedir=" + data,
              ""));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Http http = new Http();
    ManagedProcess process =
        new ManagedProcess(
            new ManagedProcess.Spec(
                "s3proxy-" + name,
                List.of(
                    java.toString(),
                    "-Xmx192m",
                    "-Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener",
                    "-jar",
                    s3ProxyJar.toString(),
                    "--properties",
                    properties.toString()),
                Map.of(),
                directory,
                logFile,
                () -> answers(http, endpoint),
                START_TIMEOUT));
    process.start();
    S3Region region = new S3Region(name, endpoint, SIGNING_REGION, bucket, accessKey, secretKey, process);
    try {
      region.createBucketIfMissing(bucket);
      return region;
    } catch (RuntimeException e) {
      process.kill();
      throw e;
    }
  }

  private static boolean answers(Http http, String url) {
    try {
      http.get(url);
      return true;
    } catch (TestbedException e) {
      return false;
    }
  }

  private static String randomSecret() {
    byte[] bytes = new byte[16];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
