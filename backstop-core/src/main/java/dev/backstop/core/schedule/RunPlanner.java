package dev.backstop.core.schedule;

import java.time.Instant;
import java.util.Optional;

/** Keeps the executor of scheduled runs in line with a cluster's schedule (db-scheduler in the server). */
@FunctionalInterface
public interface RunPlanner {

  /**
   * Plans the cluster's next run at {@code next}, replacing any planned before; with {@code
   * next} empty, no run is planned any more. Idempotent; durable once it returns.
   */
  void plan(String clusterId, Optional<Instant> next);
}
