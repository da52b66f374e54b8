package dev.backstop.core.schedule;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Where clusters' schedules and their run history are kept (Backstop's database). */
public interface ScheduleStore {

  Optional<BackupSchedule> find(String clusterId);

  /**
   * Saves a cluster's schedule, replacing the one before. Atomic; idempotent.
   *
   * @return whether it was saved; {@code false} when the cluster does not exist (any more, e.g.
   *     deleted while the request ran), and nothing changed
   */
  boolean save(String clusterId, BackupSchedule schedule, Instant now);

  /** @return whether the cluster had a schedule */
  boolean delete(String clusterId);

  /** The cluster's latest runs, newest first. */
  List<ScheduleRun> runs(String clusterId, int limit);
}
