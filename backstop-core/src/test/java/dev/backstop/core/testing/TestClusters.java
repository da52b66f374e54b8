package dev.backstop.core.testing;

import dev.backstop.core.backup.Component;
import dev.backstop.core.cluster.BackupLocation;
import dev.backstop.core.cluster.Cluster;
import dev.backstop.core.cluster.ComponentEndpoints;
import dev.backstop.core.cluster.Generation;
import dev.backstop.core.operation.Backoff;
import dev.backstop.core.procedure.BackupProcedure;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The cluster and procedure settings the core's tests run backups with. */
public final class TestClusters {

  /** Short step timeouts, a 1 s poll growing to 4 s, cleanup retried from 5 s to 20 s. */
  public static final BackupProcedure.Settings FAST_SETTINGS =
      new BackupProcedure.Settings(
          Duration.ofMinutes(5), Duration.ofMinutes(5), Duration.ofMinutes(5), Duration.ofSeconds(10),
          Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofSeconds(4),
          new Backoff(Duration.ofSeconds(5), Duration.ofSeconds(20)));

  private TestClusters() {}

  /**
   * Cluster {@code c-1} ("orders"), 8.6.0 in one region, with Zeebe, the search engine and the
   * given web apps (Operate and Tasklist when none are given).
   */
  public static Cluster orders(Instant createdAt, Component... webApps) {
    return orders(Generation.parse("8.6.0"), createdAt, webApps);
  }

  /**
   * Cluster {@code c-1} ("orders") of the given generation, with Zeebe, the search engine and the
   * given web apps (Operate and Tasklist when none are given; Optimize at {@code
   * http://optimize:8092} when given).
   */
  public static Cluster orders(Generation generation, Instant createdAt, Component... webApps) {
    List<Component> apps = webApps.length == 0 ? List.of(Component.OPERATE, Component.TASKLIST) : List.of(webApps);
    return new Cluster(
        "c-1",
        "orders",
        UUID.randomUUID(),
        generation,
        "local-a",
        BackupLocation.sameRegion(),
        new ComponentEndpoints(
            "http://zeebe:9600",
            Optional.of("http://operate:9600").filter(url -> apps.contains(Component.OPERATE)),
            Optional.of("http://tasklist:9600").filter(url -> apps.contains(Component.TASKLIST)),
            Optional.of("http://optimize:8092").filter(url -> apps.contains(Component.OPTIMIZE)),
            new ComponentEndpoints.Search("http://search:9200", "camunda-backups", "zeebe-record")),
        new Cluster.StorageLayout("zeebe", "search"),
        createdAt);
  }
}
