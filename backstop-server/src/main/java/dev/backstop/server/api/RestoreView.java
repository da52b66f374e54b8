package dev.backstop.server.api;

import dev.backstop.core.restore.PhaseRun;
import dev.backstop.core.restore.Restore;
import java.time.Instant;
import java.util.List;

/** A restore as the API shows it. */
public record RestoreView(
    String id,
    long backupId,
    String sourceRegion,
    String state,
    String phase,
    List<Phase> phases,
    String failureReason,
    String waitingFor,
    Instant requestedAt,
    Instant endedAt) {

  /** One phase: its name, state, times and what it did or why it failed. */
  public record Phase(String name, String state, Instant startedAt, Instant endedAt, String detail) {
    static Phase of(PhaseRun run) {
      return new Phase(run.phase().name(), run.state().name(), run.startedAt().orElse(null), run.endedAt().orElse(null), run.detail().orElse(null));
    }
  }

  public static RestoreView of(Restore restore) {
    return new RestoreView(
        restore.id(),
        restore.backupId().value(),
        restore.sourceRegion(),
        restore.state().name(),
        restore.phase().name(),
        restore.phases().stream().map(Phase::of).toList(),
        restore.failureReason().orElse(null),
        restore.waitingFor().orElse(null),
        restore.requestedAt(),
        restore.endedAt().orElse(null));
  }
}
