package dev.backstop.core.procedure;

import dev.backstop.core.backup.Backup;
import dev.backstop.core.backup.BackupStep;
import dev.backstop.core.backup.Component;
import dev.backstop.core.backup.ComponentPart;
import dev.backstop.core.backup.PartState;
import dev.backstop.core.cluster.Cluster;
import dev.backstop.core.cluster.Generation;
import dev.backstop.core.operation.Backoff;
import dev.backstop.core.operation.Halt;
import dev.backstop.core.operation.OwnershipLost;
import dev.backstop.core.operation.StepRunner;
import dev.backstop.core.operation.RetryState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The consistent backup of a cluster, as named steps (see {@link BackupStep}), in the order of the
 * cluster's generation family ({@link Generation.ProcedureFamily}):
 *
 * <ul>
 *   <li>8.2.4–8.7: web-app backups (Operate, Tasklist, Optimize) started together and awaited, the
 *       records copied ahead of the pause (a snapshot the records snapshot builds on, see {@link
 *       BackupStep#COPY_RECORDS_AHEAD}), soft pause, records snapshot, Zeebe backup, resume;
 *   <li>8.8: soft pause, web-app backups (the history backup that Operate and Tasklist share, and
 *       Optimize's) started together and awaited, records snapshot if the backup has that part
 *       ({@link Cluster#backupComponents()}), Zeebe's runtime backup, resume.
 * </ul>
 *
 * The steps themselves are the same for both; which endpoint each call reaches is the {@link
 * ClusterApis}' business (one adapter knows each generation's paths). Parts that the cluster's APIs
 * answer with one and the same {@link WebAppBackupApi} share one backup ({@link
 * ClusterApis#webApp}): it is started and awaited once, and each of those parts follows it.
 *
 * <p><b>Durable.</b> The backup is saved before each step runs and after it ran, so {@link #run}
 * can be called again on a backup that a stopped Backstop left anywhere: starts that may have
 * happened are checked before they are repeated, waits are simply waited again, and {@code
 * exportingPaused} tells whether exporting may be paused.
 *
 * <p><b>One failure path.</b> Any step that fails makes the backup FAILED with a reason naming the
 * component and the step; then the cleanup always runs: exporting is resumed if it may be paused
 * (confirmed by every partition's exporter phase), and every part that may hold data is removed
 * ({@link BackupParts}), each part recording how that went. What the cleanup could not do is owed
 * ({@link Backup#owesCleanup()}) and recorded with its attempts; the backup's operation calls
 * {@link #retryCleanup} again until it is done. Waiting and polling are {@link Waits}'.
 *
 * <p><b>Observed.</b> A {@link BackupObserver} is told how long each step, each component's backup
 * and the pause of exporting took (see there for what a run that took over can tell).
 */
public final class BackupProcedure {

  private static final Logger LOG = Logger.getLogger(BackupProcedure.class.getName());

  /** Persists a backup's progress. Called before and after every step. */
  @FunctionalInterface
  public interface ProgressStore extends StepRunner.Store<Backup> {}

  /** Told after each step was saved; lets operators (and fault-injection tests) observe the procedure. */
  public interface StepListener extends StepRunner.StepListener<Backup, BackupStep> {
    StepListener NONE = (backup, step) -> {};
  }

  /**
   * @param webAppTimeout how long the web-app backups may take together
   * @param recordsSnapshotTimeout how long the records snapshot may take
   * @param zeebeTimeout how long Zeebe's backup may take
   * @param exportingTimeout how long pausing or resuming exporting may keep failing before it counts as failed
   * @param unreachableTolerance how long a component may not answer during a wait before the wait fails
   * @param firstPoll the first pause between polls; it grows by half each time …
   * @param maxPoll … up to this
   * @param cleanupRetries how the attempts at owed cleanup (a resume, a part's removal) are spaced
   * @param quickPoll the longest pause between polls that cost the components little (the search
   *     engine's running snapshots) or are made while exporting is paused (the records snapshot,
   *     Zeebe's backup): a short one there shortens the backup and the pause, not the components' work
   * @param webAppBackups whether the web-app backups are taken together or one after the other
   */
  public record Settings(
      Duration webAppTimeout,
      Duration recordsSnapshotTimeout,
      Duration zeebeTimeout,
      Duration exportingTimeout,
      Duration unreachableTolerance,
      Duration firstPoll,
      Duration maxPoll,
      Backoff cleanupRetries,
      Duration quickPoll,
      WebAppBackups webAppBackups) {

    /** With the default quick poll: 100 ms, or {@code maxPoll} if that is shorter. */
    public Settings(
        Duration webAppTimeout,
        Duration recordsSnapshotTimeout,
        Duration zeebeTimeout,
        Duration exportingTimeout,
        Duration unreachableTolerance,
        Duration firstPoll,
        Duration maxPoll,
        Backoff cleanupRetries) {
      this(webAppTimeout, recordsSnapshotTimeout, zeebeTimeout, exportingTimeout, unreachableTolerance, firstPoll, maxPoll, cleanupRetries,
          maxPoll.compareTo(DEFAULT_QUICK_POLL) < 0 ? maxPoll : DEFAULT_QUICK_POLL, WebAppBackups.AUTO);
    }

    /** The same settings, the web-app backups taken as {@code how} says. */
    public Settings with(WebAppBackups how) {
      return new Settings(webAppTimeout, recordsSnapshotTimeout, zeebeTimeout, exportingTimeout, unreachableTolerance, firstPoll, maxPoll,
          cleanupRetries, quickPoll, how);
    }

    public static final Duration DEFAULT_QUICK_POLL = Duration.ofMillis(100);

    public static final Settings DEFAULTS =
        new Settings(
            Duration.ofMinutes(30),
            Duration.ofMinutes(30),
            Duration.ofMinutes(30),
            Duration.ofMinutes(2),
            Duration.ofMinutes(2),
            Duration.ofMillis(500),
            Duration.ofSeconds(5),
            new Backoff(Duration.ofSeconds(5), Duration.ofMinutes(1)));
  }

  /**
   * How the web-app backups (Operate's, Tasklist's, Optimize's) are taken: all started at once, or
   * each started once the one before completed. Their snapshots share the search engine's snapshot
   * threads (half a node's cores, at most 5): where there is one, backups taken together only
   * interleave, each takes as long as all, and the apps' answers are asked for longer.
   */
  public enum WebAppBackups {
    TOGETHER,
    ONE_AT_A_TIME,
    /** One at a time where the engine has a single snapshot thread, together otherwise (or when it cannot tell). */
    AUTO
  }

  private final Clock clock;
  private final Settings settings;
  private final Waits waits;
  private final BackupParts parts;
  private final StepListener listener;
  private final BackupObserver observer;
  /**
   * When this instance saw Zeebe confirm the pause of a backup's exporting, by {@link #pauseKey}, until
   * it sees the resume confirmed (by the run, its cleanup or a retried cleanup). Only for the
   * observer; not saved, so a pause that another instance confirmed is not timed here.
   */
  private final Map<String, Instant> pausedSince = new ConcurrentHashMap<>();

  public BackupProcedure(Clock clock, Settings settings, Waits.Sleeper sleeper, StepListener listener) {
    this(clock, settings, sleeper, listener, BackupObserver.NONE);
  }

  public BackupProcedure(Clock clock, Settings settings, Waits.Sleeper sleeper, StepListener listener, BackupObserver observer) {
    this.clock = clock;
    this.settings = settings;
    this.waits = new Waits(clock, settings.firstPoll(), settings.maxPoll(), settings.unreachableTolerance(), sleeper);
    this.parts = new BackupParts(waits);
    this.listener = listener;
    this.observer = observer;
  }

  /** How this procedure waits (other waits of a backup's operation use it too). */
  public Waits waits() {
    return waits;
  }

  /** Removing parts from the components, as this procedure's cleanup does it (deletions use it too). */
  public BackupParts parts() {
    return parts;
  }

  /**
   * Runs the procedure from the step the backup is at until it is COMPLETED, or FAILED and
   * cleaned up (as far as the components let it: see {@link Backup#owesCleanup()}).
   *
   * @param store saves the backup's progress; throws {@link OwnershipLost} once this run was taken over
   * @return the backup as it ended
   * @throws Halt when the run stopped without deciding (interrupted, progress not saved)
   * @throws OwnershipLost when another run took the backup over: nothing more was done
   */
  public Backup run(Backup backup, Cluster cluster, ClusterApis apis, ProgressStore store) {
    Execution execution = new Execution(cluster, apis, store);
    return execution.runner.run(backup);
  }

  /**
   * Tries again the cleanup a failed backup still owes ({@link Backup#owesCleanup()}): resumes
   * exporting if it may be paused (confirmed by every partition's exporter phase), and removes the
   * parts that could not be removed.
   *
   * @return the backup as it is then; it may still owe cleanup
   */
  public Backup retryCleanup(Backup backup, ClusterApis apis, ProgressStore store) {
    return new Execution(null, apis, store).cleanUp(backup, apis);
  }

  /**
   * Resumes exporting, and confirms it with every partition's exporter phase: Zeebe may answer
   * a resume that did not reach every partition. One attempt:
   * Ok only once every partition exports.
   */
  public static Outcome<Void> resumeAndConfirm(ZeebeApi zeebe) {
    Outcome<Void> resumed = zeebe.resumeExporting();
    if (!(resumed instanceof Outcome.Ok)) {
      return resumed;
    }
    return switch (zeebe.exporterPhases()) {
      case Outcome.Ok<Map<Integer, String>> phases -> {
        List<Integer> stillPaused =
            phases.value().entrySet().stream().filter(e -> e.getValue().contains("PAUSED")).map(Map.Entry::getKey).toList();
        yield stillPaused.isEmpty() ? resumed : new Outcome.Unreachable<>("partitions " + stillPaused + " still paused after the resume");
      }
      case Outcome.Refused<Map<Integer, String>> refused -> new Outcome.Unreachable<>("exporter phases " + refused.describe());
      case Outcome.Unreachable<Map<Integer, String>> unreachable -> new Outcome.Unreachable<>("exporter phases " + unreachable.describe());
    };
  }

  /** How the attempts at owed cleanup and at deletions are spaced. */
  public Backoff cleanupRetries() {
    return settings.cleanupRetries();
  }

  /** One run of the procedure: its steps, run by the {@link StepRunner}, which saves them. */
  private final class Execution implements StepRunner.Procedure<Backup, BackupStep> {
    private final Cluster cluster;
    private final ClusterApis apis;
    private final StepRunner<Backup, BackupStep> runner;
    /** When the step being run was started (saved with the backup, so possibly by an earlier run). */
    private Instant stepStartedAt;
    /** When this run asked each component to start its backup: components it saw start. */
    private final Map<Component, Instant> componentStartedAt = new EnumMap<>(Component.class);
    /** Components confirmed completed in the step being run: told once the step was saved past. */
    private final Map<Component, Duration> completedInStep = new EnumMap<>(Component.class);

    Execution(Cluster cluster, ClusterApis apis, ProgressStore store) {
      this.cluster = cluster;
      this.apis = apis;
      this.runner = new StepRunner<>(this, store, this::afterStep);
    }

    /** The step was saved past: tell the observer, then the listener. */
    private void afterStep(Backup saved, BackupStep completed) {
      Duration took = nonNegative(Duration.between(stepStartedAt, saved.stepStartedAt()));
      observe(() -> observer.stepCompleted(saved, completed, took));
      completedInStep.forEach((component, componentTook) -> observe(() -> observer.componentCompleted(saved, component, componentTook)));
      completedInStep.clear();
      listener.afterStep(saved, completed);
    }

    /** This run asks a component to start its backup now. */
    private Instant asking() {
      return clock.instant();
    }

    private void sawStart(Component component, Instant asked) {
      componentStartedAt.put(component, asked);
    }

    /** A component's backup was confirmed completed: timed if this run saw it start. */
    private void confirmedCompleted(Component component) {
      Instant started = componentStartedAt.remove(component);
      if (started != null) {
        completedInStep.put(component, nonNegative(Duration.between(started, clock.instant())));
      }
    }

    @Override
    public BackupStep stepOf(Backup backup) {
      return backup.step();
    }

    @Override
    public boolean finished(Backup backup) {
      return !backup.procedureUnfinished();
    }

    @Override
    public Backup run(BackupStep step, Backup current) {
      stepStartedAt = current.stepStartedAt();
      completedInStep.clear();
      return switch (step) {
        case REQUESTED -> current;
        case START_WEB_APP_BACKUPS -> startWebAppBackups(current, apis);
        case AWAIT_WEB_APP_BACKUPS -> awaitWebAppBackups(current, apis);
        case COPY_RECORDS_AHEAD -> copyRecordsAhead(current, cluster, apis);
        case PAUSE_EXPORTING -> pauseExporting(current, apis);
        case SNAPSHOT_RECORDS -> snapshotRecords(current, cluster, apis);
        case AWAIT_RECORDS_SNAPSHOT -> awaitRecordsSnapshot(current, apis);
        case START_ZEEBE_BACKUP -> startZeebeBackup(current, apis);
        case AWAIT_ZEEBE_BACKUP -> awaitZeebeBackup(current, apis);
        case RESUME_EXPORTING -> resumeExporting(current, apis);
        case CLEAN_UP -> cleanUp(current, apis);
        case DONE, CLEANED_UP -> throw new IllegalStateException("finished already");
      };
    }

    @Override
    public Backup next(Backup backup, BackupStep completed) {
      if (completed == BackupStep.RESUME_EXPORTING) {
        return backup.complete(clock.instant());
      }
      Generation.ProcedureFamily family = cluster.generation().procedureFamily();
      return backup.atStep(completed.next(family, backup.has(Component.ZEEBE_RECORDS)), clock.instant());
    }

    /**
     * A component's failure names it; anything else is Backstop's own defect, and no component is
     * blamed for it. A failure of the cleanup itself is a defect to surface: the cleanup is best
     * effort per part.
     */
    @Override
    public Optional<Backup> failed(Backup backup, BackupStep step, RuntimeException failure) {
      if (step == BackupStep.CLEAN_UP) {
        return Optional.empty();
      }
      if (!(failure instanceof StepFailure stepFailure)) {
        return Optional.of(backup.fail("Backstop failed at step '" + step.describe() + "': unexpected error: " + failure, clock.instant()));
      }
      Backup failed = backup;
      ComponentPart part = failed.part(stepFailure.component).orElse(null);
      if (part != null && part.state() != PartState.COMPLETED) {
        failed = failed.withPart(stepFailure.component, part.with(PartState.FAILED, stepFailure.getMessage()));
      }
      return Optional.of(failed.fail(stepFailure.getMessage(), clock.instant()));
    }

    private Backup save(Backup backup) {
      return runner.save(backup);
    }

    // ------------------------------------------------------------------------------ web apps

    /**
     * Starts every web-app backup, or only the first one if they are taken one at a time: the
     * wait then starts each of the others once the ones before it completed.
     */
    private Backup startWebAppBackups(Backup backup, ClusterApis apis) {
      Backup current = backup;
      List<List<Component>> groups = webAppBackupsOf(current, apis);
      boolean oneAtATime = groups.size() > 1 && oneAtATime(apis);
      for (List<Component> sharing : groups) {
        current = startWebAppGroup(current, sharing, apis);
        if (oneAtATime) {
          break;
        }
      }
      return current;
    }

    private boolean oneAtATime(ClusterApis apis) {
      return switch (settings.webAppBackups()) {
        case TOGETHER -> false;
        case ONE_AT_A_TIME -> true;
        case AUTO -> apis.search().snapshotThreads() instanceof Outcome.Ok<Integer> threads && threads.value() <= 1;
      };
    }

    /** Starts one web-app backup, and lets the parts that share it follow it. */
    private Backup startWebAppGroup(Backup backup, List<Component> sharing, ClusterApis apis) {
      Component app = sharing.getFirst();
      Backup current = startWebAppBackup(backup, app, webApp(apis, app));
      for (Component follower : sharing.subList(1, sharing.size())) {
        // The same backup: the part follows it (its state, what it said, its snapshots).
        current = save(current.withPart(follower, current.part(app).orElseThrow()));
        if (componentStartedAt.containsKey(app)) {
          sawStart(follower, componentStartedAt.get(app));
        }
      }
      return current;
    }

    /** Whether a web-app part has yet to be started (or its start confirmed). */
    private static boolean notStarted(ComponentPart part) {
      return part.state() == PartState.PENDING || isUnconfirmedStart(part);
    }

    private Backup startWebAppBackup(Backup backup, Component app, WebAppBackupApi api) {
      Backup current = backup;
      ComponentPart part = current.part(app).orElseThrow();
      if (part.state() != PartState.PENDING && !isUnconfirmedStart(part)) {
        return current; // started before a restart, and confirmed then
      }
      // Recorded as started before asking: whatever the app does then, the cleanup looks for it.
      current = save(current.withPart(app, new ComponentPart(PartState.IN_PROGRESS, STARTING, List.of())));
      if (part.state() != PartState.PENDING && !(api.status(current.id()) instanceof Observation.NotFound)) {
        // The start before a restart went through.
        return save(current.withPart(app, current.part(app).orElseThrow().with(PartState.IN_PROGRESS, "started")));
      }
      Instant asked = asking();
      Outcome<List<String>> started = api.start(current.id());
      switch (started) {
        case Outcome.Ok<List<String>> ok -> {
          current =
              save(current.withPart(app, new ComponentPart(PartState.IN_PROGRESS, "started: " + ok.value().size() + " snapshots", ok.value())));
          sawStart(app, asked);
        }
        case Outcome.Refused<List<String>> refused ->
            throw new StepFailure(app, BackupStep.START_WEB_APP_BACKUPS.describe(), "backup refused: " + started.describe());
        case Outcome.Unreachable<List<String>> unreachable ->
            throw new StepFailure(app, BackupStep.START_WEB_APP_BACKUPS.describe(), started.describe());
      }
      return current;
    }

    private Backup awaitWebAppBackups(Backup backup, ClusterApis apis) {
      Waits.Deadline deadline = waits.deadline(backup.stepStartedAt(), settings.webAppTimeout());
      Waits.Unanswered unanswered = new Waits.Unanswered();
      Backup current = backup;
      // Quick polls only while the engine tells what runs: otherwise every poll asks the apps,
      // and those polls grow to max-poll as before.
      Waits.Poll quickPoll = waits.poll(settings.quickPoll());
      Waits.Poll appPoll = waits.poll();
      SnapshotChecks snapshotChecks = new SnapshotChecks();
      AppQuestions appQuestions = new AppQuestions();
      while (true) {
        List<Component> waiting = new ArrayList<>();
        Optional<Set<String>> running = runningSnapshots(apis);
        Waits.Poll poll = running.isPresent() ? quickPoll : appPoll;
        for (List<Component> sharing : webAppBackupsOf(current, apis)) {
          Component app = sharing.getFirst();
          ComponentPart first = current.part(app).orElseThrow();
          if (notStarted(first)) {
            // Taken one at a time: started once the ones before it completed.
            if (waiting.isEmpty()) {
              current = startWebAppGroup(current, sharing, apis); // the ones before it completed
            }
            waiting.add(app);
            continue;
          }
          if (first.state() == PartState.COMPLETED) {
            for (Component part : sharing) {
              if (current.part(part).orElseThrow().state() != PartState.COMPLETED) {
                current = save(current.withPart(part, first)); // a run stopped before it saved them all
              }
            }
            continue;
          }
          if (appQuestions.mayWait(app, visiblyRunning(running, webApp(apis, app).snapshotPrefix(current.id())))) {
            waiting.add(app);
            continue;
          }
          Observation observation = webApp(apis, app).status(current.id());
          Optional<String> progress = waits.judge(app, BackupStep.AWAIT_WEB_APP_BACKUPS.describe(), observation, unanswered);
          if (progress.isPresent()) {
            if (snapshotChecks.due(app)) {
              failOnBrokenSnapshot(app, current.part(app).orElseThrow(), apis);
            }
            waiting.add(app);
            continue;
          }
          ComponentPart completed = withSnapshotNames(app, current.part(app).orElseThrow().with(PartState.COMPLETED, "completed"), current, apis);
          for (Component part : sharing) {
            confirmedCompleted(part);
            current = save(current.withPart(part, completed));
          }
        }
        if (waiting.isEmpty()) {
          return current;
        }
        if (deadline.passed()) {
          throw new StepFailure(waiting.getFirst(), BackupStep.AWAIT_WEB_APP_BACKUPS.describe(),
              "backup not completed within " + settings.webAppTimeout() + " (still waiting for " + waiting + ")");
        }
        poll.pause();
      }
    }

    /**
     * A completed part with the names of its snapshots: Optimize names none when it starts (it
     * answers 202 with a message), and a restore needs them; the repository lists them by the
     * app's prefix.
     */
    private ComponentPart withSnapshotNames(Component app, ComponentPart part, Backup backup, ClusterApis apis) {
      if (!part.artifacts().isEmpty()) {
        return part;
      }
      String pattern = webApp(apis, app).snapshotPrefix(backup.id()) + "*";
      return switch (apis.search().snapshotNames(pattern)) {
        case Outcome.Ok<List<String>> names when !names.value().isEmpty() -> part.withArtifacts(names.value());
        case Outcome.Ok<List<String>> none ->
            throw new StepFailure(app, BackupStep.AWAIT_WEB_APP_BACKUPS.describe(), "backup completed, but no snapshot " + pattern + " is in the repository");
        case Outcome.Refused<List<String>> refused ->
            throw new StepFailure(app, BackupStep.AWAIT_WEB_APP_BACKUPS.describe(), "listing its snapshots " + pattern + " " + refused.describe());
        case Outcome.Unreachable<List<String>> unreachable ->
            throw new StepFailure(app, BackupStep.AWAIT_WEB_APP_BACKUPS.describe(), "listing its snapshots " + pattern + " " + unreachable.describe());
      };
    }

    /**
     * When each web app's snapshots were last looked at during one wait: polls come fast at first
     * (see {@link Waits}), and each look reads every snapshot's state from the repository (for an
     * S3 repository, from the object store), as each of the app's own status answers does too; so
     * the snapshots are looked at only once a wait has lasted {@link #SNAPSHOT_CHECK_INTERVAL}, and
     * then no more often. A backup that completes sooner never needs them.
     */
    private final class SnapshotChecks {
      private final Instant waitStarted = clock.instant();
      private final Map<Component, Instant> lastChecked = new EnumMap<>(Component.class);

      boolean due(Component app) {
        Instant now = clock.instant();
        Instant last = lastChecked.getOrDefault(app, waitStarted);
        if (Duration.between(last, now).compareTo(SNAPSHOT_CHECK_INTERVAL) < 0) {
          return false;
        }
        lastChecked.put(app, now);
        return true;
      }
    }

    /**
     * The snapshots the search engine runs now, or empty when it cannot tell (then each app is
     * asked at every poll).
     */
    private Optional<Set<String>> runningSnapshots(ClusterApis apis) {
      return apis.search().runningSnapshots() instanceof Outcome.Ok<Set<String>> ok ? Optional.of(ok.value()) : Optional.empty();
    }

    private static boolean visiblyRunning(Optional<Set<String>> running, String prefix) {
      return running.isPresent() && running.get().stream().anyMatch(name -> name.startsWith(prefix));
    }

    /**
     * When each web app was last asked about its backup during one wait. An app's answer reads
     * every snapshot of the backup from the repository, which costs the search engine (asked
     * every 100 ms it made the backups slower); the engine's running snapshots cost it little.
     * So while one of an app's snapshots is visibly running, the app is asked only every {@code
     * maxPoll}; once none is, it is asked at the next poll (its backup may be done, or between
     * two of its snapshots).
     */
    private final class AppQuestions {
      private final Map<Component, Instant> lastAsked = new EnumMap<>(Component.class);

      /** Whether asking {@code app} may wait this poll; if not, the question is noted as asked now. */
      boolean mayWait(Component app, boolean visiblyRunning) {
        Instant now = clock.instant();
        Instant last = lastAsked.get(app);
        if (visiblyRunning && last != null && Duration.between(last, now).compareTo(settings.maxPoll()) < 0) {
          return true;
        }
        lastAsked.put(app, now);
        return false;
      }
    }

    /**
     * A web app may keep answering "cannot read the backup" while one of its snapshots already
     * ended FAILED or PARTIAL: the snapshots themselves, in the search engine, tell at once.
     */
    private void failOnBrokenSnapshot(Component app, ComponentPart part, ClusterApis apis) {
      for (String snapshot : part.artifacts()) {
        if (apis.search().snapshotStatus(snapshot) instanceof Observation.Failed failed) {
          throw new StepFailure(app, BackupStep.AWAIT_WEB_APP_BACKUPS.describe(), "snapshot " + snapshot + " " + failed.reason());
        }
      }
    }

    // ------------------------------------------------------------------------------- exporting

    private Backup pauseExporting(Backup backup, ClusterApis apis) {
      // Recorded first: from now on, whatever happens, exporting gets resumed.
      Backup current = save(backup.withExportingPaused(true));
      Outcome<Void> paused = retryExporting(() -> apis.zeebe().pauseExporting());
      if (!(paused instanceof Outcome.Ok)) {
        throw new StepFailure(Component.ZEEBE, BackupStep.PAUSE_EXPORTING.describe(), "pausing exporting " + paused.describe());
      }
      pausedSince.putIfAbsent(pauseKey(current), clock.instant());
      return current;
    }

    private Backup resumeExporting(Backup backup, ClusterApis apis) {
      Outcome<Void> resumed = retryExporting(() -> resumeAndConfirm(apis.zeebe()));
      if (!(resumed instanceof Outcome.Ok)) {
        throw new StepFailure(Component.ZEEBE, BackupStep.RESUME_EXPORTING.describe(), "resuming exporting " + resumed.describe());
      }
      Instant confirmed = clock.instant();
      Backup saved = save(backup.withExportingPaused(false));
      exportingResumed(saved, confirmed);
      return saved;
    }

    /** Tells the observer how long exporting was paused, if this instance saw the pause confirmed. */
    private void exportingResumed(Backup saved, Instant confirmed) {
      Instant since = pausedSince.remove(pauseKey(saved));
      if (since != null) {
        Duration pausedFor = nonNegative(Duration.between(since, confirmed));
        observe(() -> observer.exportingResumed(saved, pausedFor));
      }
    }

    /** Pausing and resuming are idempotent: repeat until Zeebe confirms or the time is up. */
    private Outcome<Void> retryExporting(java.util.function.Supplier<Outcome<Void>> call) {
      return waits.repeatUntilOk(settings.exportingTimeout(), call);
    }

    // --------------------------------------------------------------------------- records snapshot


    /**
     * Snapshots the records indices while exporting still runs, and waits for it: the records
     * snapshot taken in the pause then has only what was written since to copy. The records part
     * is recorded as in progress first, so that a failure or a restart removes this snapshot too.
     */
    private Backup copyRecordsAhead(Backup backup, Cluster cluster, ClusterApis apis) {
      String name = BackupParts.recordsAheadSnapshotName(backup);
      String step = BackupStep.COPY_RECORDS_AHEAD.describe();
      ComponentPart before = backup.part(Component.ZEEBE_RECORDS).orElseThrow();
      Backup current = save(backup.withPart(Component.ZEEBE_RECORDS, new ComponentPart(PartState.IN_PROGRESS, COPYING_AHEAD, List.of())));
      if (before.state() == PartState.PENDING || apis.search().snapshotStatus(name) instanceof Observation.NotFound) {
        Outcome<Void> created = apis.search().createSnapshot(name, cluster.components().search().recordsIndexPrefix() + "*");
        if (!(created instanceof Outcome.Ok)) {
          throw new StepFailure(Component.ZEEBE_RECORDS, step, "snapshot " + name + " " + created.describe());
        }
      }
      waits.awaitCompleted(
          Component.ZEEBE_RECORDS, step, waits.deadline(backup.stepStartedAt(), settings.recordsSnapshotTimeout()),
          () -> apis.search().snapshotStatus(name), waits.poll(settings.quickPoll()));
      return save(current.withPart(Component.ZEEBE_RECORDS, new ComponentPart(PartState.IN_PROGRESS, COPIED_AHEAD, List.of())));
    }

    private Backup snapshotRecords(Backup backup, Cluster cluster, ClusterApis apis) {
      String name = BackupParts.recordsSnapshotName(backup);
      ComponentPart before = backup.part(Component.ZEEBE_RECORDS).orElseThrow();
      Backup current =
          save(backup.withPart(Component.ZEEBE_RECORDS, new ComponentPart(PartState.IN_PROGRESS, STARTING, List.of(name))));
      boolean mayExist = before.state() != PartState.PENDING && !before.detail().equals(COPIED_AHEAD);
      if (mayExist && !(apis.search().snapshotStatus(name) instanceof Observation.NotFound)) {
        return current; // created before a restart
      }
      Instant asked = asking();
      Outcome<Void> created = apis.search().createSnapshot(name, cluster.components().search().recordsIndexPrefix() + "*");
      if (!(created instanceof Outcome.Ok)) {
        throw new StepFailure(Component.ZEEBE_RECORDS, BackupStep.SNAPSHOT_RECORDS.describe(), "snapshot " + name + " " + created.describe());
      }
      sawStart(Component.ZEEBE_RECORDS, asked);
      return save(current.withPart(Component.ZEEBE_RECORDS, current.part(Component.ZEEBE_RECORDS).orElseThrow().with(PartState.IN_PROGRESS, "snapshot " + name + " started")));
    }

    private Backup awaitRecordsSnapshot(Backup backup, ClusterApis apis) {
      String name = BackupParts.recordsSnapshotName(backup);
      waits.awaitCompleted(
          Component.ZEEBE_RECORDS,
          BackupStep.AWAIT_RECORDS_SNAPSHOT.describe(),
          waits.deadline(backup.stepStartedAt(), settings.recordsSnapshotTimeout()),
          () -> apis.search().snapshotStatus(name),
          waits.poll(settings.quickPoll()));
      confirmedCompleted(Component.ZEEBE_RECORDS);
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
      Instant asked = asking();
      Outcome<Void> started = apis.zeebe().startBackup(current.id());
      if (!(started instanceof Outcome.Ok)) {
        throw new StepFailure(Component.ZEEBE, BackupStep.START_ZEEBE_BACKUP.describe(), "backup " + started.describe());
      }
      sawStart(Component.ZEEBE, asked);
      return save(current.withPart(Component.ZEEBE, current.part(Component.ZEEBE).orElseThrow().with(PartState.IN_PROGRESS, "started")));
    }

    private Backup awaitZeebeBackup(Backup backup, ClusterApis apis) {
      waits.awaitCompleted(
          Component.ZEEBE,
          BackupStep.AWAIT_ZEEBE_BACKUP.describe(),
          waits.deadline(backup.stepStartedAt(), settings.zeebeTimeout()),
          () -> apis.zeebe().backupStatus(backup.id()),
          waits.poll(settings.quickPoll()));
      confirmedCompleted(Component.ZEEBE);
      return backup.withPart(Component.ZEEBE, backup.part(Component.ZEEBE).orElseThrow().with(PartState.COMPLETED, "completed"));
    }


    // ---------------------------------------------------------------------------------- cleanup

    /**
     * After a failure: resume exporting first (nothing matters more than an exporting cluster), then
     * delete every part that may hold data. Best effort: each part records how its deletion went.
     */
    private Backup cleanUp(Backup backup, ClusterApis apis) {
      Backup current = backup;
      List<String> cleanupErrors = new ArrayList<>();
      if (current.exportingPaused()) {
        Outcome<Void> resumed = retryExporting(() -> resumeAndConfirm(apis.zeebe()));
        if (resumed instanceof Outcome.Ok) {
          Instant confirmed = clock.instant();
          current = save(current.withExportingPaused(false));
          exportingResumed(current, confirmed);
        } else {
          cleanupErrors.add("resuming exporting " + resumed.describe());
          // It stays recorded as paused, and the backup's operation tries again later.
        }
      }
      for (Component component : List.copyOf(current.parts().keySet())) {
        ComponentPart part = current.part(component).orElseThrow();
        if (!part.state().mayHoldData()) {
          continue;
        }
        if (component.isWebApp() && part.state() == PartState.IN_PROGRESS) {
          parts.awaitSettled(current, component, apis);
        }
        Outcome<Void> deleted = parts.deleteAndConfirm(current, component, part, apis);
        ComponentPart after =
            deleted instanceof Outcome.Ok
                ? part.with(PartState.DELETED, appendDetail(part, "removed by the cleanup"))
                : part.with(PartState.CLEANUP_FAILED, appendDetail(part, "cleanup " + deleted.describe()));
        if (!(deleted instanceof Outcome.Ok)) {
          cleanupErrors.add(component + " cleanup " + deleted.describe());
        }
        current = save(current.withPart(component, after));
      }
      // Owed work is retried by the backup's operation, spaced by the backoff; the attempts show.
      if (current.owesCleanup()) {
        return save(current.withRetry(RetryState.failed(current.retry(), String.join("; ", cleanupErrors), clock.instant(), settings.cleanupRetries())));
      }
      return current.retry().isPresent() ? save(current.withRetry(current.retry().get().succeeded(clock.instant()))) : current;
    }
  } // Execution

  // ---------------------------------------------------------------------------------- helpers

  private static String pauseKey(Backup backup) {
    return backup.clusterId() + "/" + backup.id();
  }

  private static Duration nonNegative(Duration duration) {
    return duration.isNegative() ? Duration.ZERO : duration;
  }

  /** Observing never changes the backup: whatever the observer throws is logged and ignored. */
  private static void observe(Runnable telling) {
    try {
      telling.run();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "A backup observer failed (ignored)", e);
    }
  }

  private static List<Component> webAppsOf(Backup backup) {
    return backup.parts().keySet().stream().filter(Component::isWebApp).sorted().toList();
  }

  /**
   * The backup's web-app parts, grouped by the backup they are: parts whose API is the same
   * instance share one backup (8.8's history backup of Operate and Tasklist); each group in the
   * order of its first part.
   */
  private static List<List<Component>> webAppBackupsOf(Backup backup, ClusterApis apis) {
    Map<WebAppBackupApi, List<Component>> byApi = new java.util.IdentityHashMap<>();
    List<List<Component>> groups = new ArrayList<>();
    for (Component app : webAppsOf(backup)) {
      WebAppBackupApi api = webApp(apis, app);
      List<Component> group = byApi.get(api);
      if (group == null) {
        group = new ArrayList<>();
        byApi.put(api, group);
        groups.add(group);
      }
      group.add(app);
    }
    return groups;
  }

  private static WebAppBackupApi webApp(ClusterApis apis, Component app) {
    return apis.webApp(app).orElseThrow(() -> new StepFailure(app, BackupStep.START_WEB_APP_BACKUPS.describe(), "no endpoint configured"));
  }

  private static final String STARTING = "starting";
  private static final String COPYING_AHEAD = "copying the records ahead of the pause";
  private static final String COPIED_AHEAD = "records copied ahead of the pause";

  /** How long into a wait, and how often at most, a web app's snapshots are looked at while its backup is awaited. */
  static final Duration SNAPSHOT_CHECK_INTERVAL = Duration.ofSeconds(5);

  private static boolean isUnconfirmedStart(ComponentPart part) {
    return part.state() == PartState.IN_PROGRESS && part.detail().equals(STARTING);
  }

  /** Adds to a part's detail; a retried cleanup replaces what the attempt before it said. */
  private static String appendDetail(ComponentPart part, String more) {
    String detail = part.detail();
    int earlierCleanup = detail.lastIndexOf(CLEANUP_PREFIX);
    if (part.state() == PartState.CLEANUP_FAILED && earlierCleanup >= 0) {
      detail = detail.substring(0, earlierCleanup);
    } else if (part.state() == PartState.CLEANUP_FAILED && detail.startsWith("cleanup ")) {
      detail = "";
    }
    return detail.isBlank() ? more : detail + "; " + more;
  }

  private static final String CLEANUP_PREFIX = "; cleanup ";
}
