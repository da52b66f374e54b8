package dev.backstop.core.backup;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import dev.backstop.core.operation.RetryState;
import dev.backstop.core.replication.Replication;
import dev.backstop.core.replication.ReplicationState;
import dev.backstop.core.verification.Verification;
import java.time.Duration;

/**
 * One consistent backup of a whole cluster, and where its procedure stands.
 *
 * <p>Immutable: every change returns a new {@code Backup}. The lifecycle changes ({@link
 * #complete}, {@link #fail}, {@link #startDeleting}) are checked by {@link BackupState}.
 *
 * @param clusterId the cluster it belongs to
 * @param id the backup id, shared by every component
 * @param name the user's name for it, or one derived from the id
 * @param type manual or scheduled
 * @param state where its lifecycle stands
 * @param step where its procedure stands
 * @param exportingPaused true from just before Backstop asks Zeebe to pause exporting until
 *     Zeebe confirmed the resume: while true, exporting may be paused and must be resumed
 * @param parts one per component the cluster has
 * @param createdAt when it was requested
 * @param completedAt when it completed, if it did
 * @param failureReason why it failed, naming component and step, if it did
 * @param retry the attempts at work that must be repeated (a resume, a part's cleanup, a
 *     deletion, a replication), while some is left
 * @param replication its copy in the cluster's secondary region
 * @param verification the last check of its objects in every region that holds it; PENDING until
 *     the first. Recorded apart from the rest ({@code VerificationStore}), never by the backup's
 *     operation, which only reads it
 */
public record Backup(
    String clusterId,
    BackupId id,
    String name,
    BackupType type,
    BackupState state,
    BackupStep step,
    Instant stepStartedAt,
    boolean exportingPaused,
    Map<Component, ComponentPart> parts,
    Instant createdAt,
    Optional<Instant> completedAt,
    Optional<String> failureReason,
    Optional<RetryState> retry,
    Replication replication,
    Verification verification) {

  public Backup {
    Objects.requireNonNull(clusterId);
    Objects.requireNonNull(id);
    parts = Map.copyOf(parts);
    Objects.requireNonNull(retry);
    Objects.requireNonNull(replication);
    Objects.requireNonNull(verification);
  }

  /** A newly requested backup: IN_PROGRESS, nothing touched yet. */
  public static Backup requested(
      String clusterId, BackupId id, Optional<String> name, BackupType type, Set<Component> components, Instant now) {
    Map<Component, ComponentPart> parts = new EnumMap<>(Component.class);
    components.forEach(component -> parts.put(component, ComponentPart.pending()));
    return new Backup(
        clusterId,
        id,
        name.filter(n -> !n.isBlank()).orElse(defaultName(type, id)),
        type,
        BackupState.IN_PROGRESS,
        BackupStep.REQUESTED,
        now,
        false,
        parts,
        now,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Replication.notRequired(),
        Verification.pending());
  }

  private static String defaultName(BackupType type, BackupId id) {
    return (type == BackupType.MANUAL ? "manual-" : "scheduled-") + id;
  }

  public Optional<ComponentPart> part(Component component) {
    return Optional.ofNullable(parts.get(component));
  }

  public boolean has(Component component) {
    return parts.containsKey(component);
  }

  public Backup atStep(BackupStep newStep, Instant now) {
    return new Backup(clusterId, id, name, type, state, newStep, now, exportingPaused, parts, createdAt, completedAt, failureReason, retry, replication, verification);
  }

  public Backup withExportingPaused(boolean paused) {
    return new Backup(clusterId, id, name, type, state, step, stepStartedAt, paused, parts, createdAt, completedAt, failureReason, retry, replication, verification);
  }

  public Backup withPart(Component component, ComponentPart part) {
    if (!parts.containsKey(component)) {
      throw new IllegalArgumentException(component + " is not part of backup " + id);
    }
    Map<Component, ComponentPart> changed = new EnumMap<>(parts);
    changed.put(component, part);
    return new Backup(clusterId, id, name, type, state, step, stepStartedAt, exportingPaused, changed, createdAt, completedAt, failureReason, retry, replication, verification);
  }

  public Backup complete(Instant now) {
    state.requireChangeTo(BackupState.COMPLETED);
    return new Backup(
        clusterId, id, name, type, BackupState.COMPLETED, BackupStep.DONE, now, exportingPaused, parts, createdAt, Optional.of(now), Optional.empty(), retry, replication, Verification.pending());
  }

  /** Failed: the procedure moves on to cleaning up. */
  public Backup fail(String reason, Instant now) {
    state.requireChangeTo(BackupState.FAILED);
    return new Backup(
        clusterId, id, name, type, BackupState.FAILED, BackupStep.CLEAN_UP, now, exportingPaused, parts, createdAt, Optional.empty(), Optional.of(reason), retry, replication.notNeeded(), verification);
  }

  public Backup startDeleting(Instant now) {
    state.requireChangeTo(BackupState.DELETING);
    return new Backup(
        clusterId, id, name, type, BackupState.DELETING, step, now, exportingPaused, parts, createdAt, completedAt, failureReason, Optional.empty(), replication, verification);
  }

  /** Records the attempts at work that must be repeated. */
  public Backup withRetry(RetryState newRetry) {
    return new Backup(
        clusterId, id, name, type, state, step, stepStartedAt, exportingPaused, parts, createdAt, completedAt, failureReason, Optional.ofNullable(newRetry), replication, verification);
  }

  /** With its copy in the secondary region changed. */
  public Backup withReplication(Replication newReplication) {
    return new Backup(clusterId, id, name, type, state, step, stepStartedAt, exportingPaused, parts, createdAt, completedAt, failureReason, retry, newReplication, verification);
  }

  /** With the outcome of a check of its objects. */
  public Backup withVerification(Verification newVerification) {
    return new Backup(clusterId, id, name, type, state, step, stepStartedAt, exportingPaused, parts, createdAt, completedAt, failureReason, retry, replication, newVerification);
  }

  /**
   * Whether it counts as a good backup (for retention's counts and the age of the last good
   * backup): COMPLETED and not found DAMAGED. One not checked yet counts.
   */
  public boolean isGood() {
    return state == BackupState.COMPLETED && !verification.damaged();
  }

  /**
   * Whether its objects are due to be checked at {@code now}, re-checking every {@code interval}:
   * a COMPLETED backup never checked, or last checked {@code interval} or longer ago, or whose copy
   * in the secondary region completed after its last check (that copy was not checked yet).
   */
  public boolean verificationDue(Instant now, Duration interval) {
    if (state != BackupState.COMPLETED) {
      return false;
    }
    if (verification.at().isEmpty()) {
      return true;
    }
    Instant checked = verification.at().get();
    boolean secondaryUnchecked =
        replication.state() == ReplicationState.COMPLETED && replication.endedAt().map(ended -> ended.isAfter(checked)).orElse(false);
    return secondaryUnchecked || !checked.plus(interval).isAfter(now);
  }

  /** Whether a completed backup still has to be copied to the secondary region. */
  public boolean owesReplication() {
    return state == BackupState.COMPLETED && replication.state().unfinished();
  }

  /**
   * Whether a failed backup still owes its cleanup: exporting may still be paused, or a part it
   * created could not be removed. Owed work is retried until done; meanwhile the backup cannot be
   * deleted (its record is the only trace of what to undo) and keeps its cluster busy.
   */
  public boolean owesCleanup() {
    return exportingPaused || parts.values().stream().anyMatch(part -> part.state() == PartState.CLEANUP_FAILED);
  }

  /**
   * Whether anything is left to do for this backup: its procedure, owed cleanup, its replication,
   * or its deletion.
   */
  public boolean hasWork() {
    return state == BackupState.DELETING || procedureUnfinished() || owesCleanup() || owesReplication();
  }

  /**
   * Whether it keeps its cluster busy, so that no other backup or restore may start: while it
   * runs, and while it owes cleanup (a cleanup's resume must never un-pause exporting in the
   * middle of the next backup). A deletion does not.
   */
  public boolean occupiesCluster() {
    return state != BackupState.DELETING && (procedureUnfinished() || owesCleanup());
  }

  /** Whether the procedure still has work to do (running, or cleaning up after a failure). */
  public boolean procedureUnfinished() {
    return step != BackupStep.DONE && step != BackupStep.CLEANED_UP;
  }

  /**
   * The word Camunda's API shows for one component: "-" when the cluster has no such component,
   * "Failed" for every part of a failed backup, else from the part's state.
   */
  public String camundaStatusOf(Component component) {
    ComponentPart part = parts.get(component);
    if (part == null) {
      return "-";
    }
    if (state == BackupState.FAILED) {
      return "Failed";
    }
    return switch (part.state()) {
      case COMPLETED, DELETED -> "Complete";
      case FAILED, CLEANUP_FAILED -> "Failed";
      case PENDING, IN_PROGRESS -> "In progress";
    };
  }
}
