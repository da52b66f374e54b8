package dev.backstop.server.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * What the database tells of one cluster's backups, for the per-cluster gauges. The gauges' values
 * are pure functions of these facts and the time of the scrape, so an age keeps growing between two
 * reads of the database. Ages are in seconds, never negative (another instance's clock may be
 * ahead).
 *
 * @param clusterId the cluster
 * @param name its name (in its organization)
 * @param dualRegion whether its backups are replicated to a secondary region
 * @param lastCompletedAt when its newest good backup (COMPLETED, not found DAMAGED) completed, if it has one
 * @param lastReplicatedAt when its newest COMPLETED backup whose replication COMPLETED completed, if
 *     it has one
 * @param unreplicatedSince when the oldest COMPLETED backup that is newer than {@code
 *     lastReplicatedAt} (or any, without one) and whose replication did not complete (PENDING,
 *     IN_PROGRESS or FAILED) completed: since when the secondary region lacks a backup the primary
 *     has. Empty when the secondary holds the newest.
 */
public record ClusterFacts(
    String clusterId, String name, boolean dualRegion, Optional<Instant> lastCompletedAt, Optional<Instant> lastReplicatedAt,
    Optional<Instant> unreplicatedSince) {

  public ClusterFacts {
    Objects.requireNonNull(clusterId);
    Objects.requireNonNull(name);
    Objects.requireNonNull(lastCompletedAt);
    Objects.requireNonNull(lastReplicatedAt);
    Objects.requireNonNull(unreplicatedSince);
  }

  /** 1 when the cluster has a COMPLETED backup, else 0: an alert rule catches "never" with it. */
  public double hasCompletedBackup() {
    return lastCompletedAt.isPresent() ? 1 : 0;
  }

  /** Seconds since its newest COMPLETED backup completed; empty when it has none (the series is then absent). */
  public OptionalDouble lastCompletedAge(Instant now) {
    return lastCompletedAt.map(at -> OptionalDouble.of(secondsBetween(at, now))).orElse(OptionalDouble.empty());
  }

  /** For a dual-region cluster: 1 when a backup was replicated, else 0; empty for a same-region one. */
  public OptionalDouble hasReplicatedBackup() {
    return dualRegion ? OptionalDouble.of(lastReplicatedAt.isPresent() ? 1 : 0) : OptionalDouble.empty();
  }

  /** For a dual-region cluster: seconds since its newest replicated backup completed; empty without one. */
  public OptionalDouble lastReplicatedAge(Instant now) {
    return dualRegion && lastReplicatedAt.isPresent() ? OptionalDouble.of(secondsBetween(lastReplicatedAt.get(), now)) : OptionalDouble.empty();
  }

  /**
   * For a dual-region cluster: how long the secondary region has lacked a completed backup, in
   * seconds (now − {@code unreplicatedSince}); 0 when it holds the newest. Empty for a same-region one.
   */
  public OptionalDouble replicationLag(Instant now) {
    if (!dualRegion) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(unreplicatedSince.map(since -> secondsBetween(since, now)).orElse(0.0));
  }

  private static double secondsBetween(Instant from, Instant to) {
    Duration between = Duration.between(from, to);
    return between.isNegative() ? 0.0 : between.toMillis() / 1000.0;
  }
}
