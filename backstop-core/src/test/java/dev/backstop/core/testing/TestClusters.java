package dev.backstop.core.testing;

import dev.backstop.core.cluster.BackupLocation;
import dev.backstop.core.cluster.Cluster;
import dev.backstop.core.cluster.ComponentEndpoints;
import dev.backstop.core.cluster.Generation;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** Clusters the core's tests run procedures on. */
public final class TestClusters {

  private TestClusters() {}

  /** Cluster {@code c-1} ("orders"), 8.6.0 in one region, with Zeebe, Operate, Tasklist and the search engine. */
  public static Cluster orders(Instant createdAt) {
    return new Cluster(
        "c-1",
        "orders",
        UUID.randomUUID(),
        Generation.parse("8.6.0"),
        "local-a",
        BackupLocation.sameRegion(),
        new ComponentEndpoints(
            "http://zeebe:9600",
            Optional.of("http://operate:9600"),
            Optional.of("http://tasklist:9600"),
            Optional.empty(),
            new ComponentEndpoints.Search("http://search:9200", "camunda-backups", "zeebe-record")),
        new Cluster.StorageLayout("zeebe", "search"),
        createdAt);
  }
}
