package dev.backstop.core.backup;

import java.time.Instant;
import java.util.Optional;

/**
 * A cluster backup's id: one positive integer shared by every component's backup. Strictly
 * increasing per cluster and never reused, because Zeebe rejects an id at or below its latest
 * checkpoint, even one whose backup was deleted or failed.
 */
public record BackupId(long value) implements Comparable<BackupId> {

  public BackupId {
    if (value <= 0) {
      throw new IllegalArgumentException("a backup id is positive: " + value);
    }
  }

  /**
   * The id after {@code last}: the current Unix time in seconds, as Camunda recommends, unless the
   * clock is behind the last id (a fast second backup, a clock set back), then {@code last + 1}.
   */
  public static BackupId next(Optional<BackupId> last, Instant now) {
    long fromClock = Math.max(1, now.getEpochSecond());
    return new BackupId(last.map(id -> Math.max(fromClock, id.value + 1)).orElse(fromClock));
  }

  @Override
  public int compareTo(BackupId other) {
    return Long.compare(value, other.value);
  }

  @Override
  public String toString() {
    return Long.toString(value);
  }
}
