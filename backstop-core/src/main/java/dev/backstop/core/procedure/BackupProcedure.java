package dev.backstop.core.procedure;

import dev.backstop.core.backup.Backup;
import dev.backstop.core.backup.BackupStep;
import dev.backstop.core.backup.Component;
import dev.backstop.core.backup.ComponentPart;
import dev.backstop.core.backup.PartState;
import dev.backstop.core.cluster.Cluster;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The consistent backup of a cluster of generation 8.2.4–8.7, as named steps (see {@link
 * BackupStep}): web-app backups started together and awaited, soft pause, records snapshot, Zeebe
 * backup, resume.
 *
 * <p><b>Durable.</b> The backup is saved before each step runs and after it ran, so {@link #run}
 * can be called again on a backup that a stopped Backstop left anywhere: starts that may have
 * happened are checked before they are repeated, waits are simply waited again, and {@code
 * exportingPaused} tells whether exporting may be paused.
 *
 * <p><b>One failure path.</b> Any step that fails makes the backup FAILED with a reason naming the
 * component and the step; then the cleanup always runs: exporting is resumed if it may be paused,
 * and every part that may hold data is deleted, best effort, each part recording how that went.
 */
public final class BackupProcedure {

  /** Persists a backup's progress. Called before and after every step. */
  @FunctionalInterface
  public interface ProgressStore {
    void save(Backup backup);
  }

  /** Told after each step was saved; lets operators (and fault-injection tests) observe the procedure. */
  @FunctionalInterface
  public interface StepListener {
    void afterStep(Backup backup, BackupStep completedStep);

    StepListener NONE = (backup, step) -> {};
  }

  /** Pauses between polls; tests pass one that does not really sleep. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  /**
   * @param webAppTimeout how long the web-app backups may take together
   * @param recordsSnapshotTimeout how long the records snapshot may take
   * @param zeebeTimeout how long Zeebe's backup may take
   * @param exportingTimeout how long pausing or resuming exporting may keep failing before it counts as failed
   * @param unreachableTolerance how long a component may not answer during a wait before the wait fails
   * @param firstPoll the first pause between polls; it grows by half each time …
   * @param maxPoll … up to this
   */
  public record Settings(
      Duration webAppTimeout,
      Duration recordsSnapshotTimeout,
      Duration zeebeTimeout,
      Duration exportingTimeout,
      Duration unreachableTolerance,
      Duration firstPoll,
      Duration maxPoll) {

    public static final Settings DEFAULTS =
        new Settings(
            Duration.ofMinutes(30),
            Duration.ofMinutes(30),
            Duration.ofMinutes(30),
            Duration.ofMinutes(2),
            Duration.ofMinutes(2),
            Duration.ofMillis(500),
            Duration.ofSeconds(5));
  }

  /**
   * The thread running the procedure was interrupted (Backstop is shutting down): the backup stays
   * where it is, saved, for the next run to carry on.
   */
  public static final class Interrupted extends Halt {
    Interrupted(InterruptedException cause) {
      super("backup procedure interrupted", cause);
    }
  }

  /**
   * The procedure stopped without deciding the backup's fate: interrupted, or its progress could
   * not be saved (the database is away), or a step listener stopped it. What was saved stands; a
   * later {@link #run} carries on from there.
   */
  public static class Halt extends RuntimeException {
    Halt(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** A step failed; the message names component and step. */
  static final class StepFailure extends RuntimeException {
    final Component component;

    StepFailure(Component component, BackupStep step, String message) {
      super(component + " failed at step '" + step.describe() + "': " + message);
      this.component = component;
    }
  }

  private final ProgressStore store;
  private final Clock clock;
  private final Settings settings;
  private final Sleeper sleeper;
  private final StepListener listener;

  public BackupProcedure(ProgressStore store, Clock clock, Settings settings, Sleeper sleeper, StepListener listener) {
    this.store = store;
    this.clock = clock;
    this.settings = settings;
    this.sleeper = sleeper;
    this.listener = listener;
  }

  /**
   * Runs the procedure from the step the backup is at until it is COMPLETED, or FAILED and
   * cleaned up.
   *
   * @return the backup as it ended
   */
  public Backup run(Backup backup, Cluster cluster, ClusterApis apis) {
    return new Execution(backup).run(cluster, apis);
  }

  /** One run of the procedure; {@code current} is always the backup as last saved. */
  private final class Execution {
    private Backup current;

    Execution(Backup backup) {
      this.current = backup;
    }

    Backup run(Cluster cluster, ClusterApis apis) {
      while (current.procedureUnfinished()) {
        BackupStep step = current.step();
        try {
          Backup after =
              switch (step) {
                case REQUESTED -> current;
                case START_WEB_APP_BACKUPS -> startWebAppBackups(current, apis);
                case AWAIT_WEB_APP_BACKUPS -> awaitWebAppBackups(current, apis);
                case PAUSE_EXPORTING -> pauseExporting(current, apis);
                case SNAPSHOT_RECORDS -> snapshotRecords(current, cluster, apis);
                case AWAIT_RECORDS_SNAPSHOT -> awaitRecordsSnapshot(current, apis);
                case START_ZEEBE_BACKUP -> startZeebeBackup(current, apis);
                case AWAIT_ZEEBE_BACKUP -> awaitZeebeBackup(current, apis);
                case RESUME_EXPORTING -> resumeExporting(current, apis);
                case CLEAN_UP -> cleanUp(current, apis);
                case DONE, CLEANED_UP -> throw new IllegalStateException("finished already");
              };
          advance(after, step);
        } catch (StepFailure failure) {
          failed(failure.component, failure.getMessage());
        } catch (Halt halt) {
          throw halt;
        } catch (RuntimeException unexpected) {
          if (step == BackupStep.CLEAN_UP) {
            throw unexpected; // the cleanup is best effort per part; this is a defect, let it surface
          }
          failed(Component.ZEEBE, "unexpected error at step '" + step.describe() + "': " + unexpected);
        }
      }
      return current;
    }

    private void advance(Backup backup, BackupStep completed) {
      Backup next =
          completed == BackupStep.RESUME_EXPORTING
              ? backup.complete(clock.instant())
              : backup.atStep(completed.next(), clock.instant());
      save(next);
      try {
        listener.afterStep(next, completed);
      } catch (RuntimeException e) {
        throw new Halt("stopped by a step listener after " + completed, e);
      }
    }

    private void failed(Component component, String reason) {
      Backup failed = current;
      ComponentPart part = failed.part(component).orElse(null);
      if (part != null && part.state() != PartState.COMPLETED) {
        failed = failed.withPart(component, part.with(PartState.FAILED, reason));
      }
      save(failed.fail(reason, clock.instant()));
    }

    private Backup save(Backup backup) {
      try {
        store.save(backup);
      } catch (RuntimeException e) {
        throw new Halt("could not save the progress of backup " + backup.id(), e);
      }
      current = backup;
      return backup;
    }

    // ------------------------------------------------------------------------------ web apps

    private Backup startWebAppBackups(Backup backup, ClusterApis apis) {
      Backup current = backup;
      for (Component app : webAppsOf(current)) {
        ComponentPart part = current.part(app).orElseThrow();
        if (part.state() != PartState.PENDING && !isUnconfirmedStart(part)) {
          continue; // started before a restart, and confirmed then
        }
        WebAppBackupApi api = webApp(apis, app);
        // Recorded as started before asking: whatever the app does then, the cleanup looks for it.
        current = save(current.withPart(app, new ComponentPart(PartState.IN_PROGRESS, STARTING, List.of())));
        if (part.state() != PartState.PENDING && !(api.status(current.id()) instanceof Observation.NotFound)) {
          current = save(current.withPart(app, current.part(app).orElseThrow().with(PartState.IN_PROGRESS, "started")));
          continue; // the start before a restart went through
        }
        Outcome<List<String>> started = api.start(current.id());
        switch (started) {
          case Outcome.Ok<List<String>> ok ->
              current =
                  save(current.withPart(app, new ComponentPart(PartState.IN_PROGRESS, "started: " + ok.value().size() + " snapshots", ok.value())));
          case Outcome.Refused<List<String>> refused ->
              throw new StepFailure(app, BackupStep.START_WEB_APP_BACKUPS, "backup refused: " + started.describe());
          case Outcome.Unreachable<List<String>> unreachable ->
              throw new StepFailure(app, BackupStep.START_WEB_APP_BACKUPS, started.describe());
        }
      }
      return current;
    }


    private Backup awaitWebAppBackups(Backup backup, ClusterApis apis) {
      Deadline deadline = new Deadline(backup.stepStartedAt(), settings.webAppTimeout());
      Map<Component, Instant> unreachableSince = new EnumMap<>(Component.class);
      Backup current = backup;
      Duration pause = settings.firstPoll();
      while (true) {
        List<Component> waiting = new ArrayList<>();
        for (Component app : webAppsOf(current)) {
          if (current.part(app).orElseThrow().state() == PartState.COMPLETED) {
            continue;
          }
          Observation observation = webApp(apis, app).status(current.id());
          Optional<String> progress = judge(app, BackupStep.AWAIT_WEB_APP_BACKUPS, observation, unreachableSince);
          if (progress.isPresent()) {
            failOnBrokenSnapshot(app, current.part(app).orElseThrow(), apis);
          }
          if (progress.isEmpty()) {
            current = save(current.withPart(app, current.part(app).orElseThrow().with(PartState.COMPLETED, "completed")));
          } else {
            waiting.add(app);
          }
        }
        if (waiting.isEmpty()) {
          return current;
        }
        if (deadline.passed()) {
          throw new StepFailure(
              waiting.getFirst(),
              BackupStep.AWAIT_WEB_APP_BACKUPS,
              "backup not completed within " + settings.webAppTimeout() + " (still waiting for " + waiting + ")");
        }
        pause = sleep(pause);
      }
    }

    /**
     * A web app may keep answering "cannot read the backup" while one of its snapshots already
     * ended FAILED or PARTIAL: the snapshots themselves, in the search engine, tell at once.
     */
    private void failOnBrokenSnapshot(Component app, ComponentPart part, ClusterApis apis) {
      for (String snapshot : part.artifacts()) {
        if (apis.search().snapshotStatus(snapshot) instanceof Observation.Failed failed) {
          throw new StepFailure(app, BackupStep.AWAIT_WEB_APP_BACKUPS, "snapshot " + snapshot + " " + failed.reason());
        }
      }
    }

    /**
     * Judges one observation during a wait: empty when completed, the progress text while it runs.
     *
     * @throws StepFailure when it failed, or the component has not answered for longer than tolerated
     */
    private Optional<String> judge(
        Component component, BackupStep step, Observation observation, Map<Component, Instant> unreachableSince) {
      if (!(observation instanceof Observation.Unreachable)) {
        unreachableSince.remove(component);
      }
      return switch (observation) {
        case Observation.Completed completed -> Optional.empty();
        case Observation.InProgress inProgress -> Optional.of(inProgress.detail());
        case Observation.NotFound notFound -> Optional.of("not visible yet");
        case Observation.Failed failed -> throw new StepFailure(component, step, "backup failed: " + failed.reason());
        case Observation.Unreachable unreachable -> {
          Instant since = unreachableSince.computeIfAbsent(component, c -> clock.instant());
          if (Duration.between(since, clock.instant()).compareTo(settings.unreachableTolerance()) >= 0) {
            throw new StepFailure(
                component, step, "no answer for " + settings.unreachableTolerance().toSeconds() + " s: " + unreachable.reason());
          }
          yield Optional.of("no answer: " + unreachable.reason());
        }
      };
    }

    // ------------------------------------------------------------------------------- exporting

    private Backup pauseExporting(Backup backup, ClusterApis apis) {
      // Recorded first: from now on, whatever happens, exporting gets resumed.
      Backup current = save(backup.withExportingPaused(true));
      Outcome<Void> paused = retryExporting(() -> apis.zeebe().pauseExporting());
      if (!(paused instanceof Outcome.Ok)) {
        throw new StepFailure(Component.ZEEBE, BackupStep.PAUSE_EXPORTING, "pausing exporting " + paused.describe());
      }
      return current;
    }

    private Backup resumeExporting(Backup backup, ClusterApis apis) {
      Outcome<Void> resumed = retryExporting(() -> apis.zeebe().resumeExporting());
      if (!(resumed instanceof Outcome.Ok)) {
        throw new StepFailure(Component.ZEEBE, BackupStep.RESUME_EXPORTING, "resuming exporting " + resumed.describe());
      }
      return save(backup.withExportingPaused(false));
    }

    /** Pausing and resuming are idempotent: repeat until Zeebe confirms or the time is up. */
    private Outcome<Void> retryExporting(java.util.function.Supplier<Outcome<Void>> call) {
      Deadline deadline = new Deadline(clock.instant(), settings.exportingTimeout());
      Duration pause = settings.firstPoll();
      Outcome<Void> outcome = call.get();
      while (!(outcome instanceof Outcome.Ok) && !deadline.passed()) {
        pause = sleep(pause);
        outcome = call.get();
      }
      return outcome;
    }

    // --------------------------------------------------------------------------- records snapshot


    private Backup snapshotRecords(Backup backup, Cluster cluster, ClusterApis apis) {
      String name = recordsSnapshotName(backup);
      ComponentPart before = backup.part(Component.ZEEBE_RECORDS).orElseThrow();
      Backup current =
          save(backup.withPart(Component.ZEEBE_RECORDS, new ComponentPart(PartState.IN_PROGRESS, STARTING, List.of(name))));
      if (before.state() != PartState.PENDING && !(apis.search().snapshotStatus(name) instanceof Observation.NotFound)) {
        return current; // created before a restart
      }
      Outcome<Void> created = apis.search().createSnapshot(name, cluster.components().search().recordsIndexPrefix() + "*");
      if (!(created instanceof Outcome.Ok)) {
        throw new StepFailure(Component.ZEEBE_RECORDS, BackupStep.SNAPSHOT_RECORDS, "snapshot " + name + " " + created.describe());
      }
      return save(current.withPart(Component.ZEEBE_RECORDS, current.part(Component.ZEEBE_RECORDS).orElseThrow().with(PartState.IN_PROGRESS, "snapshot " + name + " started")));
    }

    private Backup awaitRecordsSnapshot(Backup backup, ClusterApis apis) {
      String name = recordsSnapshotName(backup);
      awaitOne(
          Component.ZEEBE_RECORDS,
          BackupStep.AWAIT_RECORDS_SNAPSHOT,
          new Deadline(backup.stepStartedAt(), settings.recordsSnapshotTimeout()),
          () -> apis.search().snapshotStatus(name));
      return backup.withPart(
          Component.ZEEBE_RECORDS, backup.part(Component.ZEEBE_RECORDS).orElseThrow().with(PartState.COMPLETED, "snapshot " + name));
    }

    // ------------------------------------------------------------------------------------ zeebe

    private Backup startZeebeBackup(Backup backup, ClusterApis apis) {
      ComponentPart before = backup.part(Component.ZEEBE).orElseThrow();
      Backup current = save(backup.withPart(Component.ZEEBE, new ComponentPart(PartState.IN_PROGRESS, STARTING, List.of())));
      if (before.state() != PartState.PENDING && !(apis.zeebe().backupStatus(current.id()) instanceof Observation.NotFound)) {
        return current; // started before a restart
      }
      Outcome<Void> started = apis.zeebe().startBackup(current.id());
      if (!(started instanceof Outcome.Ok)) {
        throw new StepFailure(Component.ZEEBE, BackupStep.START_ZEEBE_BACKUP, "backup " + started.describe());
      }
      return save(current.withPart(Component.ZEEBE, current.part(Component.ZEEBE).orElseThrow().with(PartState.IN_PROGRESS, "started")));
    }

    private Backup awaitZeebeBackup(Backup backup, ClusterApis apis) {
      awaitOne(
          Component.ZEEBE,
          BackupStep.AWAIT_ZEEBE_BACKUP,
          new Deadline(backup.stepStartedAt(), settings.zeebeTimeout()),
          () -> apis.zeebe().backupStatus(backup.id()));
      return backup.withPart(Component.ZEEBE, backup.part(Component.ZEEBE).orElseThrow().with(PartState.COMPLETED, "completed"));
    }

    private void awaitOne(Component component, BackupStep step, Deadline deadline, java.util.function.Supplier<Observation> poll) {
      Map<Component, Instant> unreachableSince = new EnumMap<>(Component.class);
      Duration pause = settings.firstPoll();
      while (true) {
        Optional<String> progress = judge(component, step, poll.get(), unreachableSince);
        if (progress.isEmpty()) {
          return;
        }
        if (deadline.passed()) {
          throw new StepFailure(component, step, "not completed within " + deadline.length + " (last: " + progress.get() + ")");
        }
        pause = sleep(pause);
      }
    }

    // ---------------------------------------------------------------------------------- cleanup

    /**
     * After a failure: resume exporting first (nothing matters more than an exporting cluster), then
     * delete every part that may hold data. Best effort: each part records how its deletion went.
     */
    private Backup cleanUp(Backup backup, ClusterApis apis) {
      Backup current = backup;
      if (current.exportingPaused()) {
        Outcome<Void> resumed = retryExporting(() -> apis.zeebe().resumeExporting());
        if (resumed instanceof Outcome.Ok) {
          current = save(current.withExportingPaused(false));
        }
        // else it stays recorded as paused, and the exporting guard keeps resuming it.
      }
      for (Component component : List.copyOf(current.parts().keySet())) {
        ComponentPart part = current.part(component).orElseThrow();
        if (!part.state().mayHoldData()) {
          continue;
        }
        if (component.isWebApp() && part.state() == PartState.IN_PROGRESS) {
          awaitSettled(current, component, apis); // a web app keeps adding snapshot parts until it is done
        }
        Outcome<Void> deleted = deleteAndConfirm(current, component, part, apis);
        ComponentPart after =
            deleted instanceof Outcome.Ok
                ? part.with(PartState.DELETED, appendDetail(part, "removed by the cleanup"))
                : part.with(PartState.CLEANUP_FAILED, appendDetail(part, "cleanup " + deleted.describe()));
        current = save(current.withPart(component, after));
      }
      return current;
    }
  } // Execution

  // ---------------------------------------------------------------------------------- helpers

  private static List<Component> webAppsOf(Backup backup) {
    return backup.parts().keySet().stream().filter(Component::isWebApp).sorted().toList();
  }

  private static WebAppBackupApi webApp(ClusterApis apis, Component app) {
    return apis.webApp(app).orElseThrow(() -> new StepFailure(app, BackupStep.START_WEB_APP_BACKUPS, "no endpoint configured"));
  }

  private Duration sleep(Duration pause) {
    try {
      sleeper.sleep(pause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Interrupted(e);
    }
    Duration next = pause.plus(pause.dividedBy(2));
    return next.compareTo(settings.maxPoll()) > 0 ? settings.maxPoll() : next;
  }

  private final class Deadline {
    private final Instant end;
    private final Duration length;

    Deadline(Instant start, Duration length) {
      this.end = start.plus(length);
      this.length = length;
    }

    boolean passed() {
      return !clock.instant().isBefore(end);
    }
  }

  /**
   * Deletes one component's part and waits until the component no longer reports it (deletions are
   * accepted before they are done), for at most the unreachable tolerance.
   *
   * @return Ok once the part is gone; otherwise why not (deleting again later is safe)
   */
  public Outcome<Void> deleteAndConfirm(Backup backup, Component component, ComponentPart part, ClusterApis apis) {
    Outcome<Void> deleted = deletePart(backup, component, part, apis);
    if (!(deleted instanceof Outcome.Ok)) {
      return deleted;
    }
    Deadline deadline = new Deadline(clock.instant(), settings.unreachableTolerance());
    Duration pause = settings.firstPoll();
    while (true) {
      Optional<String> remaining = remainingOf(backup, component, apis);
      if (remaining.isEmpty()) {
        return deleted;
      }
      if (deadline.passed()) {
        return new Outcome.Unreachable<>("deletion accepted but not done after " + settings.unreachableTolerance().toSeconds() + " s: " + remaining.get());
      }
      pause = sleep(pause);
    }
  }

  /** What the component still holds of the part; empty when nothing. */
  private static Optional<String> remainingOf(Backup backup, Component component, ClusterApis apis) {
    Observation observation =
        switch (component) {
          case ZEEBE -> apis.zeebe().backupStatus(backup.id());
          case ZEEBE_RECORDS -> apis.search().snapshotStatus(recordsSnapshotName(backup));
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

  /** The records snapshot's name, as Camunda's documentation names it. */
  public static String recordsSnapshotName(Backup backup) {
    return "camunda_zeebe_records_backup_" + backup.id();
  }

  /**
   * Deletes one component's part of a backup. Web apps are asked first; if one cannot be reached,
   * its snapshots are deleted from the repository directly (they live in the search engine).
   */
  private static Outcome<Void> deletePart(Backup backup, Component component, ComponentPart part, ClusterApis apis) {
    return switch (component) {
      case ZEEBE -> apis.zeebe().deleteBackup(backup.id());
      case ZEEBE_RECORDS -> apis.search().deleteSnapshots(List.of(recordsSnapshotName(backup)));
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

  private static final String STARTING = "starting";

  private static boolean isUnconfirmedStart(ComponentPart part) {
    return part.state() == PartState.IN_PROGRESS && part.detail().equals(STARTING);
  }

  /** Waits, within the unreachable tolerance, until a web app's backup is no longer in progress. */
  private void awaitSettled(Backup backup, Component app, ClusterApis apis) {
    Optional<WebAppBackupApi> api = apis.webApp(app);
    if (api.isEmpty()) {
      return;
    }
    Deadline deadline = new Deadline(clock.instant(), settings.unreachableTolerance());
    Duration pause = settings.firstPoll();
    while (api.get().status(backup.id()) instanceof Observation.InProgress && !deadline.passed()) {
      pause = sleep(pause);
    }
  }

  private static String appendDetail(ComponentPart part, String more) {
    return part.detail().isBlank() ? more : part.detail() + "; " + more;
  }
}
