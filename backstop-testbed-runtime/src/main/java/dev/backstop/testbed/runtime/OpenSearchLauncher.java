package dev.backstop.testbed.runtime;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import org.codelibs.opensearch.runner.OpenSearchRunner;
import org.opensearch.common.settings.SecureSettings;
import org.opensearch.core.common.settings.SecureString;

/**
 * Runs a single-node OpenSearch with the S3 snapshot repository plugin in a JVM of its own.
 *
 * <p>Arguments: the base directory, then OpenSearch settings as {@code key=value}. Secure settings
 * (the S3 client's keys) come from environment variables whose names start with
 * {@value #SECURE_PREFIX} followed by the setting name, so they never appear on a command line.
 * The process runs until it is terminated; a shutdown hook closes the node cleanly.
 */
public final class OpenSearchLauncher {

  static final String SECURE_PREFIX = "OPENSEARCH_SECURE_";

  private OpenSearchLauncher() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: OpenSearchLauncher BASE_DIR [setting=value ...]");
      System.exit(2);
    }
    Path baseDir = Path.of(args[0]).toAbsolutePath();
    Map<String, String> settings = new TreeMap<>();
    for (int i = 1; i < args.length; i++) {
      int eq = args[i].indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("not a key=value setting: " + args[i]);
      }
      settings.put(args[i].substring(0, eq), args[i].substring(eq + 1));
    }
    SecureSettings secure = new EnvironmentSecureSettings(System.getenv());

    OpenSearchRunner runner = new OpenSearchRunner();
    runner.setMaxHttpPort(-1); // the port is given as a setting; no probing of 9200+
    CountDownLatch closed = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    runner.close();
                  } catch (Exception e) {
                    System.err.println("closing OpenSearch failed: " + e);
                  } finally {
                    closed.countDown();
                  }
                }));
    runner
        .onBuild(
            (index, builder) -> {
              settings.forEach(builder::put);
              builder.setSecureSettings(secure);
            })
        .build(
            OpenSearchRunner.newConfigs()
                .basePath(baseDir.toString())
                .numOfNode(1)
                .pluginTypes("org.opensearch.repositories.s3.S3RepositoryPlugin"));
    System.out.println("OpenSearch launcher: node started");
    closed.await();
  }

  /** Secure settings read once from the environment; the values are never printed. */
  static final class EnvironmentSecureSettings implements SecureSettings {
    private final Map<String, String> values = new TreeMap<>();

    EnvironmentSecureSettings(Map<String, String> environment) {
      environment.forEach(
          (name, value) -> {
            if (name.startsWith(SECURE_PREFIX)) {
              values.put(name.substring(SECURE_PREFIX.length()), value);
            }
          });
    }

    @Override
    public boolean isLoaded() {
      return true;
    }

    @Override
    public Set<String> getSettingNames() {
      return values.keySet();
    }

    @Override
    public SecureString getString(String setting) {
      String value = values.get(setting);
      return value == null ? null : new SecureString(value.toCharArray());
    }

    @Override
    public InputStream getFile(String setting) {
      String value = values.get(setting);
      return value == null ? null : new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public byte[] getSHA256Digest(String setting) {
      try {
        return MessageDigest.getInstance("SHA-256")
            .digest(values.getOrDefault(setting, "").getBytes(StandardCharsets.UTF_8));
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public void close() {}
  }
}
