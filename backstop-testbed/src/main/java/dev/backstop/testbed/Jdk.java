package dev.backstop.testbed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds a JDK of at least the version the Camunda 8.6 distribution needs (21), without relying on
 * the machine's default {@code java}, which may be older.
 *
 * <p>Order: {@code BACKSTOP_JAVA_HOME}, the running JVM, {@code JAVA_HOME}, then the newest JDK
 * installed under the usual directories ({@code /usr/lib/jvm}, {@code /usr/java}, {@code /opt/java}).
 */
public final class Jdk {

  /** The oldest Java feature release Camunda 8.6 runs on. */
  public static final int MINIMUM_FEATURE_VERSION = 21;

  private static final List<Path> INSTALL_DIRECTORIES =
      List.of(Path.of("/usr/lib/jvm"), Path.of("/usr/java"), Path.of("/opt/java"));

  private Jdk() {}

  /**
   * @return the home directory of a JDK 21+
   * @throws IllegalStateException naming every place looked at, when none is found
   */
  public static Path findHome() {
    List<Path> candidates = new ArrayList<>();
    Optional.ofNullable(System.getenv("BACKSTOP_JAVA_HOME")).map(Path::of).ifPresent(candidates::add);
    candidates.add(Path.of(System.getProperty("java.home")));
    Optional.ofNullable(System.getenv("JAVA_HOME")).map(Path::of).ifPresent(candidates::add);
    for (Path candidate : candidates) {
      if (featureVersion(candidate).orElse(0) >= MINIMUM_FEATURE_VERSION) {
        return candidate;
      }
    }
    return INSTALL_DIRECTORIES.stream()
        .filter(Files::isDirectory)
        .flatMap(Jdk::children)
        .filter(home -> featureVersion(home).orElse(0) >= MINIMUM_FEATURE_VERSION)
        .max(Comparator.comparingInt((Path home) -> featureVersion(home).orElse(0)))
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "No JDK "
                        + MINIMUM_FEATURE_VERSION
                        + "+ found: looked at "
                        + candidates
                        + " and under "
                        + INSTALL_DIRECTORIES
                        + ". Install one or set BACKSTOP_JAVA_HOME."));
  }

  /** The {@code java} launcher of {@link #findHome()}. */
  public static Path findJava() {
    return findHome().resolve("bin").resolve("java");
  }

  /** The feature version of the JDK or JRE at {@code home}, read from its {@code release} file. */
  static Optional<Integer> featureVersion(Path home) {
    Path release = home.resolve("release");
    if (!Files.isRegularFile(release) || !Files.isExecutable(home.resolve("bin").resolve("java"))) {
      return Optional.empty();
    }
    try (Stream<String> lines = Files.lines(release)) {
      return lines
          .filter(line -> line.startsWith("JAVA_VERSION="))
          .findFirst()
          .map(line -> line.substring("JAVA_VERSION=".length()).replace("\"", ""))
          .map(Jdk::parseFeature);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  static int parseFeature(String version) {
    // "1.8.0_392" is Java 8; "17.0.15", "21", "25.0.1" carry the feature release first.
    String[] parts = version.split("[._+-]");
    int first = Integer.parseInt(parts[0]);
    return first == 1 && parts.length > 1 ? Integer.parseInt(parts[1]) : first;
  }

  private static Stream<Path> children(Path directory) {
    try (Stream<Path> list = Files.list(directory)) {
      return list.toList().stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
