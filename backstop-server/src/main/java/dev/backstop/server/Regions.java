package dev.backstop.server;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.stereotype.Component;

/**
 * The regions the operator configured ({@code backstop.regions.<name>.*}), plus the sandbox's.
 * Clusters live in one of them; a dual-region location names a second.
 */
@Component
public class Regions {

  /**
   * One region's object storage.
   *
   * @param endpoint the S3-compatible endpoint
   * @param bucket the bucket backups are kept in
   */
  public record Region(String endpoint, String bucket) {}

  /** {@code backstop.regions}: name → region. */
  @ConfigurationProperties("backstop")
  public record Configured(@DefaultValue Map<String, Region> regions) {}

  private final Set<String> names = new ConcurrentSkipListSet<>();

  public Regions(Configured configured) {
    names.addAll(configured.regions().keySet());
  }

  public boolean exists(String name) {
    return names.contains(name);
  }

  public Set<String> names() {
    return new TreeSet<>(names);
  }

  /** Adds a region known at run time (the sandbox's two). */
  public void add(String name) {
    names.add(name);
  }
}
