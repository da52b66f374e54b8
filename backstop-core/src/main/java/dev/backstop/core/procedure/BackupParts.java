package dev.backstop.core.procedure;

import dev.backstop.core.backup.Backup;
import dev.backstop.core.backup.Component;
import dev.backstop.core.backup.ComponentPart;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Removes a backup's part from a component and confirms it is gone: the cleanup of a failed backup
 * and the deletion of a backup both use it. Every method may be called again after a failure.
 */
public final class BackupParts {

  private final Waits waits;

  public BackupParts(Waits waits) {
    this.waits = waits;
  }

  /** The records snapshot's name, as Camunda's documentation names it. */
  public static String recordsSnapshotName(Backup backup) {
    return "camunda_zeebe_records_backup_" + backup.id();
  }

  /**
   * The name of the records snapshot copied ahead of the pause ({@link
   * dev.backstop.core.backup.BackupStep#COPY_RECORDS_AHEAD}). It belongs to the backup's records
   * part and goes with it; a restore never reads it.
   */
  public static String recordsAheadSnapshotName(Backup backup) {
    return "backstop_records_ahead_" + backup.id();
  }

  /**
   * Deletes one component's part and waits until the component no longer reports it (deletions are
   * accepted before they are done), for at most the unreachable tolerance.
   *
   * @return Ok once the part is gone; otherwise why not (deleting again later is safe)
   */
  public Outcome<Void> deleteAndConfirm(Backup backup, Component component, ComponentPart part, ClusterApis apis) {
    Outcome<Void> deleted = delete(backup, component, part, apis);
    if (!(deleted instanceof Outcome.Ok)) {
      return deleted;
    }
    Waits.Deadline deadline = waits.deadlineFromNow(waits.unreachableTolerance());
    Waits.Poll poll = waits.poll();
    while (true) {
      Optional<String> remaining = remainingOf(backup, component, apis);
      if (remaining.isEmpty()) {
        return deleted;
      }
      if (deadline.passed()) {
        return new Outcome.Unreachable<>(
            "deletion accepted but not done after " + waits.unreachableTolerance().toSeconds() + " s: " + remaining.get());
      }
      poll.pause();
    }
  }

  /**
   * Waits, within the unreachable tolerance, until a web app's backup is no longer in progress: a
   * web app keeps adding snapshot parts until it is done, and those must go too.
   */
  public void awaitSettled(Backup backup, Component app, ClusterApis apis) {
    apis.webApp(app).ifPresent(api -> waits.awaitWhile(waits.unreachableTolerance(), () -> api.status(backup.id()) instanceof Observation.InProgress));
  }

  /** What the component still holds of the part; empty when nothing. */
  private static Optional<String> remainingOf(Backup backup, Component component, ClusterApis apis) {
    Observation observation =
        switch (component) {
          case ZEEBE -> apis.zeebe().backupStatus(backup.id());
          case ZEEBE_RECORDS -> {
            Observation records = apis.search().snapshotStatus(recordsSnapshotName(backup));
            yield records instanceof Observation.NotFound ? apis.search().snapshotStatus(recordsAheadSnapshotName(backup)) : records;
          }
          case OPERATE, TASKLIST, OPTIMIZE -> {
            Optional<WebAppBackupApi> app = apis.webApp(component);
            if (app.isEmpty()) {
              yield new Observation.NotFound("not configured");
            }
            Outcome<List<String>> left = apis.search().snapshotNames(app.get().snapshotPrefix(backup.id()) + "*");
            if (left instanceof Outcome.Ok<List<String>> names && !names.value().isEmpty()) {
              yield new Observation.InProgress("snapshots left: " + names.value());
            }
            Observation status = app.get().status(backup.id());
            // An app that is down cannot report; its snapshots, checked above, are what counts.
            yield status instanceof Observation.Unreachable ? new Observation.NotFound("app unreachable, snapshots gone") : status;
          }
        };
    return observation instanceof Observation.NotFound ? Optional.empty() : Optional.of(String.valueOf(observation));
  }

  /**
   * Deletes one component's part of a backup. Web apps are asked first; if one cannot be reached,
   * its snapshots are deleted from the repository directly (they live in the search engine).
   */
  private static Outcome<Void> delete(Backup backup, Component component, ComponentPart part, ClusterApis apis) {
    return switch (component) {
      case ZEEBE -> apis.zeebe().deleteBackup(backup.id());
      case ZEEBE_RECORDS -> apis.search().deleteSnapshots(List.of(recordsSnapshotName(backup), recordsAheadSnapshotName(backup)));
      case OPERATE, TASKLIST, OPTIMIZE -> {
        Optional<WebAppBackupApi> app = apis.webApp(component);
        Outcome<Void> viaApp = app.map(api -> api.delete(backup.id())).orElse(new Outcome.Unreachable<>("not configured"));
        if (viaApp instanceof Outcome.Ok || app.isEmpty()) {
          yield viaApp;
        }
        List<String> names = new ArrayList<>(part.artifacts());
        names.add(app.get().snapshotPrefix(backup.id()) + "*");
        yield apis.search().deleteSnapshots(names);
      }
    };
  }
}
