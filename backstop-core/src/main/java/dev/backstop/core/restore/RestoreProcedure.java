package dev.backstop.core.restore;

import dev.backstop.core.backup.Backup;
import dev.backstop.core.backup.BackupState;
import dev.backstop.core.backup.Component;
import dev.backstop.core.backup.ComponentPart;
import dev.backstop.core.cluster.Cluster;
import dev.backstop.core.cluster.Generation;
import dev.backstop.core.cluster.GenerationDetector;
import dev.backstop.core.operation.StepRunner;
import dev.backstop.core.procedure.BackupParts;
import dev.backstop.core.procedure.ClusterApis;
import dev.backstop.core.procedure.Observation;
import dev.backstop.core.procedure.Outcome;
import dev.backstop.core.procedure.Waits;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The restore of a whole cluster to one backup, as Camunda documents it, in named phases ({@link
 * RestorePhase}): preflight, stop the components, delete their indices, restore the search
 * snapshots, restore Zeebe's brokers, start the components, verify.
 *
 * <p>Each phase is saved as started before it runs and as completed after, so a run that stops
 * anywhere is carried on by the next from the start of its phase; every phase can run again
 * (indices a half-done restore left are deleted again, a broker's data is emptied again). A
 * phase that fails ends the restore FAILED, naming the phase and what it left behind; nothing is
 * stopped before the preflight has passed. A manual runtime's stop, restore and start end the run
 * WAITING for the operator, who confirms.
 */
public final class RestoreProcedure {

  /**
   * @param stopTimeout how long stopped components may keep answering
   * @param snapshotRestoreTimeout how long the search snapshots may take to restore
   * @param verifyTimeout how long the restored cluster may take to prove healthy
   */
  public record Settings(Duration stopTimeout, Duration snapshotRestoreTimeout, Duration verifyTimeout) {
    public static final Settings DEFAULTS = new Settings(Duration.ofMinutes(1), Duration.ofMinutes(30), Duration.ofMinutes(10));
  }

  /**
   * What one run of the procedure works with.
   *
   * @param runtime the cluster's runtime, resolved when a phase needs it (so that a runtime that
   *     cannot be resolved fails that phase, recorded, rather than every run)
   */
  public record Context(Cluster cluster, Backup backup, ClusterApis clusterApis, RestoreApis apis, Supplier<ClusterRuntime> runtime) {}

  private final Clock clock;
  private final Waits waits;
  private final Settings settings;
  private final BackupInventory inventory;

  public RestoreProcedure(Clock clock, Waits waits, Settings settings, BackupInventory inventory) {
    this.clock = clock;
    this.waits = waits;
    this.settings = settings;
    this.inventory = inventory;
  }

  private volatile GenerationDetector generations = GenerationDetector.NONE;

  /**
   * How the running components' versions are read in the preflight: a restore into a cluster whose
   * components report another generation than the registered one fails there, nothing touched.
   */
  public void detectGenerationsWith(GenerationDetector detector) {
    this.generations = detector;
  }

  /**
   * Runs the restore from the phase it was saved at until it completes, fails or waits for the
   * operator.
   *
   * @return the restore as it ended this run
   */
  public Restore run(Restore restore, Context context, StepRunner.Store<Restore> store) {
    Phases phases = new Phases(context);
    phases.runner = new StepRunner<>(phases, store, (saved, completed) -> {});
    return phases.runner.run(restore);
  }

  /**
   * The search snapshots backup {@code backup} consists of: the web apps' (8.8: the history
   * backup's {@code camunda_webapps_*}, which Operate's and Tasklist's parts both name, once) and
   * Optimize's, and the records' if it was taken.
   */
  static List<String> snapshotsOf(Backup backup) {
    List<String> names = new ArrayList<>();
    for (Component app : List.of(Component.OPERATE, Component.TASKLIST, Component.OPTIMIZE)) {
      backup.part(app).map(ComponentPart::artifacts).ifPresent(names::addAll);
    }
    if (backup.part(Component.ZEEBE_RECORDS).isPresent()) {
      names.add(BackupParts.recordsSnapshotName(backup));
    }
    return names.stream().distinct().toList();
  }

  /** Optimize's snapshots in the backup (none when the cluster has no Optimize). */
  static List<String> optimizeSnapshotsOf(Backup backup) {
    return backup.part(Component.OPTIMIZE).map(ComponentPart::artifacts).orElse(List.of());
  }

  /** The repository a restore from {@code region} reads the search snapshots from. */
  static Optional<String> repositoryIn(Cluster cluster, String region) {
    return region.equals(cluster.region())
        ? Optional.of(cluster.components().search().repository())
        : cluster.storage().secondarySearchRepository();
  }

  /**
   * The index patterns the restore deletes: those of the components the backup holds. 8.8's
   * Operate and Tasklist also keep their shared data in {@code camunda-*} indices (a prefix
   * Camunda reserves for them), which its history backup holds. The records indices go too when the
   * backup holds their snapshot, which brings them back; Zeebe re-exports from its restored position.
   */
  static List<String> indexPatternsOf(Cluster cluster, Backup backup) {
    List<String> patterns = new ArrayList<>();
    Map<Component, String> prefixes = new LinkedHashMap<>();
    prefixes.put(Component.OPERATE, "operate-*");
    prefixes.put(Component.TASKLIST, "tasklist-*");
    prefixes.put(Component.OPTIMIZE, "optimize-*");
    prefixes.forEach((component, pattern) -> backup.part(component).ifPresent(part -> patterns.add(pattern)));
    boolean historyBackup = cluster.generation().procedureFamily() == Generation.ProcedureFamily.EXPORTING_PAUSED_FIRST;
    if (historyBackup && (backup.has(Component.OPERATE) || backup.has(Component.TASKLIST))) {
      patterns.add("camunda-*");
    }
    // Only where the backup holds them (an 8.8 cluster without Optimize takes no records snapshot):
    // records indices deleted and not restored would be lost for good.
    if (backup.has(Component.ZEEBE_RECORDS)) {
      patterns.add(cluster.components().search().recordsIndexPrefix() + "*");
    }
    return patterns;
  }

  private final class Phases implements StepRunner.Procedure<Restore, RestorePhase> {
    private final Context context;
    private StepRunner<Restore, RestorePhase> runner;

    Phases(Context context) {
      this.context = context;
    }

    @Override
    public RestorePhase stepOf(Restore restore) {
      return restore.phase();
    }

    @Override
    public boolean finished(Restore restore) {
      return restore.state() != RestoreState.REQUESTED && restore.state() != RestoreState.RUNNING;
    }

    @Override
    public Restore run(RestorePhase phase, Restore restore) {
      Restore started = restore.starting(phase, clock.instant());
      runner.save(started); // saved as started before it touches anything

      return switch (phase) {
        case PREFLIGHT -> started.completed(phase, preflight(started), clock.instant());
        case STOP_COMPONENTS -> byRuntime(started, phase, () -> context.runtime().get().stopComponents(context.cluster()), this::awaitStopped);
        case DELETE_INDICES -> started.completed(phase, deleteIndices(), clock.instant());
        case RESTORE_SNAPSHOTS -> started.completed(phase, restoreSnapshots(started), clock.instant());
        case RESTORE_ZEEBE ->
            byRuntime(started, phase, () -> context.runtime().get().restoreBrokers(context.cluster(), started.backupId(), started.sourceRegion()), () -> "");
        case START_COMPONENTS -> byRuntime(started, phase, () -> context.runtime().get().startComponents(context.cluster()), () -> "");
        case VERIFY -> started.completed(phase, verify(), clock.instant());
      };
    }

    @Override
    public Restore next(Restore after, RestorePhase completed) {
      return after;
    }

    @Override
    public Optional<Restore> failed(Restore restore, RestorePhase phase, RuntimeException failure) {
      String reason = failure instanceof PhaseFailure || failure instanceof ClusterRuntime.RuntimeFailure
          ? failure.getMessage()
          : failure.toString();
      return Optional.of(restore.failed(phase, reason, clock.instant()));
    }

    /**
     * A phase the runtime does: skipped once the operator confirmed it; WAITING when the runtime
     * asks the operator; else done, then checked by {@code after}.
     */
    private Restore byRuntime(Restore started, RestorePhase phase, Supplier<ClusterRuntime.Step> call, Supplier<String> after) {
      String detail;
      if (started.confirmed(phase)) {
        detail = "confirmed by the operator";
      } else {
        switch (call.get()) {
          case ClusterRuntime.AwaitOperator await -> {
            return started.waitingFor(phase, await.instructions(), clock.instant());
          }
          case ClusterRuntime.Done done -> detail = done.detail();
        }
      }
      String checked = after.get();
      return started.completed(phase, checked.isEmpty() ? detail : detail + "; " + checked, clock.instant());
    }

    // ---------------------------------------------------------------------------------- phases

    private String preflight(Restore restore) {
      Backup backup = context.backup();
      if (backup.state() != BackupState.COMPLETED) {
        throw new PhaseFailure("backup " + backup.id() + " is " + backup.state() + ", not COMPLETED.");
      }
      BackupInventory.ZeebeCopy zeebe = inventory.zeebe(context.cluster(), restore.sourceRegion(), backup.id());
      if (!zeebe.complete()) {
        throw new PhaseFailure("Zeebe's backup " + backup.id() + " in region " + restore.sourceRegion() + " is not complete: "
            + (zeebe.partitions() == 0 ? "no partition's manifest was found" : String.join("; ", zeebe.problems())) + ".");
      }
      requireSameGeneration(zeebe);
      List<String> mismatches = context.cluster().generation().mismatchesWith(generations.reportedVersions(context.cluster().components()));
      if (!mismatches.isEmpty()) {
        throw new PhaseFailure(context.cluster().generation().mismatchReason(mismatches));
      }
      String repository = repositoryIn(context.cluster(), restore.sourceRegion())
          .orElseThrow(() -> new PhaseFailure("the cluster names no search repository in region " + restore.sourceRegion() + "."));
      if (!restore.sourceRegion().equals(context.cluster().region())) {
        Outcome<Void> refreshed = context.apis().refreshRepository(repository);
        if (!(refreshed instanceof Outcome.Ok)) {
          throw new PhaseFailure("the search repository " + repository + " could not be refreshed: " + refreshed.describe() + ".");
        }
      }
      List<String> snapshots = snapshotsOf(backup);
      List<String> problems = new ArrayList<>();
      for (Component app : List.of(Component.OPERATE, Component.TASKLIST, Component.OPTIMIZE)) {
        backup.part(app).filter(part -> part.artifacts().isEmpty()).ifPresent(part -> problems.add(app + " recorded no snapshot"));
      }
      for (String snapshot : snapshots) {
        Observation observation = context.apis().snapshot(repository, snapshot);
        if (!(observation instanceof Observation.Completed)) {
          problems.add("snapshot " + snapshot + ": " + observation);
        }
      }
      if (!problems.isEmpty()) {
        throw new PhaseFailure("the search repository " + repository + " does not hold the backup whole: " + String.join("; ", problems) + ".");
      }
      return "Zeebe: %d partitions complete (Zeebe %s); search: %d snapshots in %s"
          .formatted(zeebe.partitions(), zeebe.brokerVersion().orElse("?"), snapshots.size(), repository);
    }

    private void requireSameGeneration(BackupInventory.ZeebeCopy zeebe) {
      Generation cluster = context.cluster().generation();
      zeebe.brokerVersion().map(RestoreService::generationOrNull).ifPresent(taken -> {
        if (taken == null || taken.major() != cluster.major() || taken.minor() != cluster.minor()) {
          throw new PhaseFailure("the backup was taken by Zeebe " + zeebe.brokerVersion().get() + "; the cluster runs " + cluster + ".");
        }
      });
    }

    private String awaitStopped() {
      Waits.Deadline deadline = waits.deadlineFromNow(settings.stopTimeout());
      Waits.Poll poll = waits.poll();
      while (true) {
        List<String> answering = answering();
        if (answering.isEmpty()) {
          return "no component answers";
        }
        if (deadline.passed()) {
          throw new PhaseFailure("still answering after " + settings.stopTimeout().toSeconds() + " s: " + String.join(", ", answering) + ".");
        }
        poll.pause();
      }
    }

    private List<String> answering() {
      List<String> answering = new ArrayList<>();
      managementUrls().forEach((component, url) -> {
        if (context.apis().answers(url)) {
          answering.add(component + " at " + url);
        }
      });
      return answering;
    }

    private Map<Component, String> managementUrls() {
      Map<Component, String> urls = new LinkedHashMap<>();
      var endpoints = context.cluster().components();
      urls.put(Component.ZEEBE, endpoints.zeebeManagementUrl());
      endpoints.operateManagementUrl().ifPresent(url -> urls.put(Component.OPERATE, url));
      endpoints.tasklistManagementUrl().ifPresent(url -> urls.put(Component.TASKLIST, url));
      endpoints.optimizeManagementUrl().ifPresent(url -> urls.put(Component.OPTIMIZE, url));
      return urls;
    }

    private String deleteIndices() {
      List<String> patterns = indexPatternsOf(context.cluster(), context.backup());
      List<String> indices = ok(context.apis().indices(patterns), "listing the indices " + patterns);
      ok(context.apis().deleteIndices(indices), "deleting " + indices.size() + " indices");
      List<String> left = ok(context.apis().indices(patterns), "listing the indices " + patterns);
      if (!left.isEmpty()) {
        throw new PhaseFailure("indices left after the deletion: " + left + ".");
      }
      return "deleted " + indices.size() + " indices matching " + String.join(", ", patterns);
    }

    private String restoreSnapshots(Restore restore) {
      String repository = repositoryIn(context.cluster(), restore.sourceRegion()).orElseThrow();
      // Checked before anything of this phase is touched: a refusal leaves the indices as they are.
      requireOptimizeStopped(context.backup());
      List<String> snapshots = snapshotsOf(context.backup());
      List<String> indices = new ArrayList<>();
      for (String snapshot : snapshots) {
        indices.addAll(ok(context.apis().snapshotIndices(repository, snapshot), "reading snapshot " + snapshot));
      }
      // A run before this one may have restored some of them, or be restoring them still: start over.
      List<String> present = ok(context.apis().indices(indices), "listing the indices to restore");
      ok(context.apis().deleteIndices(present), "deleting " + present.size() + " half-restored indices");
      for (String snapshot : snapshots) {
        ok(context.apis().startSnapshotRestore(repository, snapshot), "restoring snapshot " + snapshot);
      }
      Waits.Deadline deadline = waits.deadlineFromNow(settings.snapshotRestoreTimeout());
      Waits.Poll poll = waits.poll();
      while (!(context.apis().indicesRestored(indices) instanceof Outcome.Ok<Boolean> restored && restored.value())) {
        if (deadline.passed()) {
          throw new PhaseFailure("the " + indices.size() + " indices of " + snapshots.size() + " snapshots were not restored within "
              + settings.snapshotRestoreTimeout() + ".");
        }
        poll.pause();
      }
      return "restored %d indices from %d snapshots in %s".formatted(indices.size(), snapshots.size(), repository);
    }

    /**
     * Optimize must not run while its snapshots are restored (Camunda's restore procedure): it
     * would write into indices being replaced. The stop phase stopped it; a manual runtime's
     * operator confirmed that, so it is checked again right before.
     */
    private void requireOptimizeStopped(Backup backup) {
      if (optimizeSnapshotsOf(backup).isEmpty()) {
        return;
      }
      context.cluster().components().optimizeManagementUrl().filter(url -> context.apis().answers(url)).ifPresent(url -> {
        throw new PhaseFailure("Optimize still answers at " + url + "; it must be stopped while its snapshots are restored.");
      });
    }

    private String verify() {
      Waits.Deadline deadline = waits.deadlineFromNow(settings.verifyTimeout());
      String zeebeUrl = context.cluster().components().zeebeManagementUrl();
      awaitTrue(deadline, "Zeebe ready and every partition led", () -> {
        if (!context.apis().ready(zeebeUrl)) {
          return Optional.of("Zeebe is not ready at " + zeebeUrl);
        }
        Outcome<List<String>> problems = context.apis().zeebeTopologyProblems();
        return problems instanceof Outcome.Ok<List<String>> ok
            ? (ok.value().isEmpty() ? Optional.empty() : Optional.of(String.join("; ", ok.value())))
            : Optional.of(problems.describe());
      });
      // The backup was taken with exporting soft-paused; a restored partition may start paused.
      awaitTrue(deadline, "every partition exporting", () -> {
        Outcome<Map<Integer, String>> phases = context.clusterApis().zeebe().exporterPhases();
        if (phases instanceof Outcome.Ok<Map<Integer, String>> ok && !ok.value().isEmpty()
            && ok.value().values().stream().allMatch("EXPORTING"::equals)) {
          return Optional.empty();
        }
        context.clusterApis().zeebe().resumeExporting();
        return Optional.of("exporter phases " + (phases instanceof Outcome.Ok<Map<Integer, String>> ok ? ok.value() : phases.describe()));
      });
      Map<Component, String> apps = new LinkedHashMap<>(managementUrls());
      apps.remove(Component.ZEEBE);
      awaitTrue(deadline, "the web apps ready", () -> {
        List<String> notReady = apps.entrySet().stream().filter(app -> !context.apis().ready(app.getValue())).map(app -> app.getKey() + " at " + app.getValue()).toList();
        return notReady.isEmpty() ? Optional.empty() : Optional.of("not ready: " + String.join(", ", notReady));
      });
      // What the restore brought back (and whatever was exported since): each importer must reach it.
      // Read again while the search engine cannot answer yet: just restored, its shards may still be starting.
      Map<String, Map<Integer, Long>> exported = new LinkedHashMap<>();
      awaitTrue(deadline, "the exported positions read", () -> {
        Outcome<Map<String, Map<Integer, Long>>> read = context.apis().exportedPositions(context.cluster().components().search().recordsIndexPrefix());
        return switch (read) {
          case Outcome.Ok<Map<String, Map<Integer, Long>>> ok -> {
            exported.putAll(ok.value());
            yield Optional.empty();
          }
          case Outcome.Refused<Map<String, Map<Integer, Long>>> refused -> throw new PhaseFailure("reading the exported positions was " + read.describe() + ".");
          case Outcome.Unreachable<Map<String, Map<Integer, Long>>> unreachable -> Optional.of("reading the exported positions failed: " + read.describe());
        };
      });
      List<Component> importers = apps.keySet().stream().filter(app -> app == Component.OPERATE || app == Component.TASKLIST).toList();
      for (Component app : importers) {
        String name = app.name().toLowerCase(java.util.Locale.ROOT);
        awaitTrue(deadline, app + "'s import caught up", () -> {
          Outcome<List<RestoreApis.ImportPosition>> positions = context.apis().importPositions(name);
          if (!(positions instanceof Outcome.Ok<List<RestoreApis.ImportPosition>> ok)) {
            return Optional.of(positions.describe());
          }
          if (ok.value().isEmpty() && !exported.isEmpty()) {
            return Optional.of("no import positions yet");
          }
          List<String> behind = new ArrayList<>();
          for (RestoreApis.ImportPosition at : ok.value()) {
            long target = exported.getOrDefault(at.kind(), Map.of()).getOrDefault(at.partition(), -1L);
            if (at.position() < target) {
              behind.add(at.kind() + " on partition " + at.partition() + " at " + at.position() + " of " + target);
            }
          }
          return behind.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", behind));
        });
      }
      return "Zeebe led and exporting on every partition; ready: %s; %s caught up with the exported records (%d kinds)"
          .formatted(apps.keySet(), importers, exported.size());
    }

    /** Polls until {@code problem} is empty; fails with the last problem at the deadline. */
    private void awaitTrue(Waits.Deadline deadline, String what, Supplier<Optional<String>> problem) {
      Waits.Poll poll = waits.poll();
      while (true) {
        Optional<String> left = problem.get();
        if (left.isEmpty()) {
          return;
        }
        if (deadline.passed()) {
          throw new PhaseFailure("not " + what + " within " + deadline.length().toSeconds() + " s: " + left.get() + ".");
        }
        poll.pause();
      }
    }

    private <T> T ok(Outcome<T> outcome, String doing) {
      return switch (outcome) {
        case Outcome.Ok<T> ok -> ok.value();
        case Outcome.Refused<T> refused -> throw new PhaseFailure(doing + " was " + outcome.describe() + ".");
        case Outcome.Unreachable<T> unreachable -> throw new PhaseFailure(doing + " failed: " + outcome.describe() + ".");
      };
    }
  }

  /** A phase failed; the message says why, for the operator. */
  static final class PhaseFailure extends RuntimeException {
    PhaseFailure(String message) {
      super(message);
    }
  }
}
