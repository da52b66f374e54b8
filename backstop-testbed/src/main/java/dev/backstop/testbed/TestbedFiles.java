package dev.backstop.testbed;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the build put what the test bed launches (module {@code backstop-testbed-runtime}, directory
 * {@code target/testbed}): the Camunda distributions, S3Proxy and OpenSearch with its launcher.
 *
 * @param home the directory holding them, one {@code camunda-zeebe-VERSION/} per {@link CamundaVersion}
 * @param s3ProxyJar S3Proxy's executable jar
 * @param openSearchDirectory the OpenSearch launcher jar and its {@code lib/} directory
 */
public record TestbedFiles(Path home, Path s3ProxyJar, Path openSearchDirectory) {

  static final String HOME_VARIABLE = "BACKSTOP_TESTBED_HOME";
  static final Path RELATIVE_HOME = Path.of("backstop-testbed-runtime", "target", "testbed");
  static final String ELASTICSEARCH_HOME_VARIABLE = "BACKSTOP_TESTBED_ELASTICSEARCH_HOME";
  static final Path ELASTICSEARCH_RELATIVE_HOME =
      Path.of("backstop-testbed-elasticsearch-runtime", "target", "testbed", "elasticsearch");

  public TestbedFiles {
    if (!Files.isDirectory(home)) {
      throw missing(home);
    }
    require(s3ProxyJar, "S3Proxy");
    require(openSearchDirectory.resolve("opensearch-launcher.jar"), "the OpenSearch launcher");
    require(home.resolve(CamundaVersion.DEFAULT.distributionDirectory()).resolve("bin").resolve("broker"), "the Camunda " + CamundaVersion.DEFAULT + " distribution");
  }

  /** The unpacked distribution of the default version ({@code bin/broker}, {@code bin/operate}, …). */
  public Path camundaHome() {
    return camundaHome(CamundaVersion.DEFAULT);
  }

  /**
   * The unpacked distribution of {@code version} ({@code bin/broker}, {@code bin/restore}, …).
   *
   * @throws TestbedException saying how to build it, when it is not there
   */
  public Path camundaHome(CamundaVersion version) {
    Path distribution = home.resolve(version.distributionDirectory());
    require(distribution.resolve("bin").resolve("broker"), "the Camunda " + version + " distribution");
    return distribution;
  }

  /** The OpenSearch launcher's class path. */
  public String openSearchClassPath() {
    return launcherClassPath(openSearchDirectory, "opensearch-launcher.jar");
  }

  /**
   * Finds the files: in {@code $BACKSTOP_TESTBED_HOME} (or system property {@code
   * backstop.testbed.home}) if set, else in {@code backstop-testbed-runtime/target/testbed} of the
   * working directory or the nearest parent that has one.
   *
   * @throws TestbedException saying how to build them, when they are not there
   */
  public static TestbedFiles locate() {
    return in(locateHome());
  }

  /**
   * Only S3Proxy's jar, found as {@link #locate()} finds all files, for tests that need nothing
   * else (the Camunda distribution and OpenSearch need not be there).
   *
   * @throws TestbedException saying how to build it, when it is not there
   */
  public static Path locateS3ProxyJar() {
    Path jar = s3ProxyJarIn(locateHome().toAbsolutePath().normalize());
    require(jar, "S3Proxy");
    return jar;
  }

  /**
   * Only the OpenSearch launcher's directory (launcher jar and {@code lib/}), found as {@link
   * #locate()} finds all files, for tests that start a lone OpenSearch node ({@link SearchNode}).
   *
   * @throws TestbedException saying how to build it, when it is not there
   */
  public static Path locateOpenSearchDirectory() {
    Path directory = locateHome().toAbsolutePath().normalize().resolve("opensearch");
    require(directory.resolve("opensearch-launcher.jar"), "the OpenSearch launcher");
    return directory;
  }

  /**
   * The Elasticsearch 7.10 launcher's directory (launcher jar and {@code lib/}), which module
   * {@code backstop-testbed-elasticsearch-runtime} lays out in its own {@code
   * target/testbed/elasticsearch} (its versions cannot share a class path, nor a Maven module, with
   * OpenSearch's): in {@code $BACKSTOP_TESTBED_ELASTICSEARCH_HOME} (or system property {@code
   * backstop.testbed.elasticsearch.home}) if set, else in that directory of the working directory
   * or the nearest parent that has one.
   *
   * @throws TestbedException saying how to build it, when it is not there
   */
  public static Path locateElasticsearchDirectory() {
    Path directory =
        Optional.ofNullable(System.getProperty("backstop.testbed.elasticsearch.home"))
            .or(() -> Optional.ofNullable(System.getenv(ELASTICSEARCH_HOME_VARIABLE)))
            .map(Path::of)
            .orElseGet(() -> nearest(ELASTICSEARCH_RELATIVE_HOME).orElse(Path.of("").resolve(ELASTICSEARCH_RELATIVE_HOME)))
            .toAbsolutePath()
            .normalize();
    require(directory.resolve("elasticsearch-launcher.jar"), "the Elasticsearch launcher", ELASTICSEARCH_HOME_VARIABLE);
    return directory;
  }

  /** The class path of a launcher in {@code directory}: {@code <launcher>.jar} and {@code lib/*}. */
  static String launcherClassPath(Path directory, String launcherJar) {
    return directory.resolve(launcherJar) + java.io.File.pathSeparator + directory.resolve("lib").resolve("*");
  }

  private static Path locateHome() {
    return Optional.ofNullable(System.getProperty("backstop.testbed.home"))
        .or(() -> Optional.ofNullable(System.getenv(HOME_VARIABLE)))
        .map(Path::of)
        .orElseGet(TestbedFiles::searchFromWorkingDirectory);
  }

  private static Path s3ProxyJarIn(Path home) {
    return home.resolve("s3proxy").resolve("s3proxy.jar");
  }

  /** The files under a given home directory. */
  public static TestbedFiles in(Path home) {
    Path absolute = home.toAbsolutePath().normalize();
    return new TestbedFiles(absolute, s3ProxyJarIn(absolute), absolute.resolve("opensearch"));
  }

  private static Path searchFromWorkingDirectory() {
    return nearest(RELATIVE_HOME).orElseThrow(() -> missing(Path.of("").toAbsolutePath().resolve(RELATIVE_HOME)));
  }

  /** {@code relative} in the working directory or the nearest parent that has it. */
  private static Optional<Path> nearest(Path relative) {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve(relative);
      if (Files.isDirectory(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  private static void require(Path file, String what) {
    require(file, what, HOME_VARIABLE);
  }

  private static void require(Path file, String what, String variable) {
    if (!Files.exists(file)) {
      throw new TestbedException(
          "The test bed needs " + what + " at " + file + ", which the build lays out: run "
              + "`mvn -DskipTests install` in the project directory first, or set " + variable + ".");
    }
  }

  private static TestbedException missing(Path home) {
    return new TestbedException(
        "The test bed's files are not at " + home + ": run `mvn -DskipTests install` in the project "
            + "directory first, or set " + HOME_VARIABLE + " to a directory the build laid out.");
  }
}
