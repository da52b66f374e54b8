package dev.backstop.core.restore;

import dev.backstop.core.backup.BackupId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One restore of a cluster to one of its backups, and where its procedure stands.
 *
 * <p>Immutable: every change returns a new {@code Restore}; the state changes are checked by
 * {@link RestoreState#requireChangeTo}.
 *
 * @param id its id in the API
 * @param clusterId the cluster it restores
 * @param backupId the backup it restores
 * @param sourceRegion the region whose copy of the backup it reads
 * @param state where its lifecycle stands
 * @param phase the phase it is at (the last one, once ended)
 * @param phases every phase, in order, with its state and times
 * @param failureReason why it failed, naming the phase and what that left behind
 * @param waitingFor while WAITING: what the operator must do, in words
 * @param requestedAt when it was asked for
 * @param endedAt when it completed or failed
 */
public record Restore(
    String id,
    String clusterId,
    BackupId backupId,
    String sourceRegion,
    RestoreState state,
    RestorePhase phase,
    List<PhaseRun> phases,
    Optional<String> failureReason,
    Optional<String> waitingFor,
    Instant requestedAt,
    Optional<Instant> endedAt) {

  public Restore {
    Objects.requireNonNull(id);
    Objects.requireNonNull(clusterId);
    Objects.requireNonNull(backupId);
    Objects.requireNonNull(sourceRegion);
    phases = List.copyOf(phases);
    if (phases.size() != RestorePhase.values().length) {
      throw new IllegalArgumentException("a restore lists every phase");
    }
  }

  /** A new restore: REQUESTED, at its preflight, nothing touched. */
  public static Restore requested(String id, String clusterId, BackupId backupId, String sourceRegion, Instant now) {
    List<PhaseRun> phases = new ArrayList<>();
    for (RestorePhase phase : RestorePhase.values()) {
      phases.add(PhaseRun.pending(phase));
    }
    return new Restore(
        id, clusterId, backupId, sourceRegion, RestoreState.REQUESTED, RestorePhase.PREFLIGHT, phases,
        Optional.empty(), Optional.empty(), now, Optional.empty());
  }

  public PhaseRun run(RestorePhase of) {
    return phases.get(of.ordinal());
  }

  /** Whether the operator confirmed that a manual runtime did {@code of}. */
  public boolean confirmed(RestorePhase of) {
    return run(of).state() == PhaseRun.State.CONFIRMED;
  }

  public boolean active() {
    return state.active();
  }

  /** The restore at {@code at}, which starts (or starts again after a takeover). */
  public Restore starting(RestorePhase at, Instant now) {
    PhaseRun current = run(at);
    PhaseRun started = current.state() == PhaseRun.State.CONFIRMED ? current : current.with(PhaseRun.State.RUNNING, now, current.detail().orElse(null));
    return change(RestoreState.RUNNING, at, withRun(started), failureReason, Optional.empty(), endedAt);
  }

  /** {@code done} ran to its end: the restore at the next phase, or COMPLETED after the last. */
  public Restore completed(RestorePhase done, String detail, Instant now) {
    List<PhaseRun> runs = withRun(run(done).with(PhaseRun.State.COMPLETED, now, detail));
    Optional<RestorePhase> next = done.next();
    return next.isPresent()
        ? change(RestoreState.RUNNING, next.get(), runs, failureReason, Optional.empty(), endedAt)
        : change(RestoreState.COMPLETED, done, runs, failureReason, Optional.empty(), Optional.of(now));
  }

  /** The runtime cannot do {@code at} itself: the operator must, then confirm. */
  public Restore waitingFor(RestorePhase at, String instructions, Instant now) {
    return change(RestoreState.WAITING, at, withRun(run(at).with(PhaseRun.State.WAITING, now, instructions)), failureReason, Optional.of(instructions), endedAt);
  }

  /**
   * The operator says {@code confirmedPhase} is done.
   *
   * @throws IllegalStateException unless the restore waits for exactly that phase
   */
  public Restore confirm(RestorePhase confirmedPhase, Instant now) {
    if (state != RestoreState.WAITING || phase != confirmedPhase) {
      throw new IllegalStateException("restore " + id + " does not wait for " + confirmedPhase);
    }
    return change(RestoreState.RUNNING, phase, withRun(run(phase).with(PhaseRun.State.CONFIRMED, now, "confirmed by the operator")), failureReason, Optional.empty(), endedAt);
  }

  /** {@code at} failed: FAILED, with a reason naming the phase and what it left behind. */
  public Restore failed(RestorePhase at, String reason, Instant now) {
    String full = "Restore failed in phase " + at + " (" + at.describe() + "): " + reason + " " + at.leavesCluster();
    return change(RestoreState.FAILED, at, withRun(run(at).with(PhaseRun.State.FAILED, now, reason)), Optional.of(full), Optional.empty(), Optional.of(now));
  }

  private List<PhaseRun> withRun(PhaseRun changed) {
    List<PhaseRun> runs = new ArrayList<>(phases);
    runs.set(changed.phase().ordinal(), changed);
    return runs;
  }

  private Restore change(
      RestoreState newState, RestorePhase newPhase, List<PhaseRun> runs, Optional<String> reason, Optional<String> waiting, Optional<Instant> ended) {
    state.requireChangeTo(newState);
    return new Restore(id, clusterId, backupId, sourceRegion, newState, newPhase, runs, reason, waiting, requestedAt, ended);
  }
}
