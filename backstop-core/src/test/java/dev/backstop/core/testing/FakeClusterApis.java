package dev.backstop.core.testing;

import dev.backstop.core.backup.BackupId;
import dev.backstop.core.backup.Component;
import dev.backstop.core.procedure.ClusterApis;
import dev.backstop.core.procedure.Observation;
import dev.backstop.core.procedure.Outcome;
import dev.backstop.core.procedure.SnapshotApi;
import dev.backstop.core.procedure.WebAppBackupApi;
import dev.backstop.core.procedure.ZeebeApi;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * A hand-written stand-in for a cluster's components, for the procedure's unit tests: it keeps
 * the state a real cluster would (backups, snapshots, exporting), completes what was started after
 * a number of polls, records every call in order, and fails on demand.
 */
public final class FakeClusterApis implements ClusterApis {

  /** Every call, in order, as "COMPONENT operation". */
  public final List<String> calls = Collections.synchronizedList(new ArrayList<>());

  public final FakeZeebe zeebe = new FakeZeebe();
  public final FakeSearch search = new FakeSearch();
  public final Map<Component, FakeWebApp> webApps = new EnumMap<>(Component.class);

  public FakeClusterApis(Component... apps) {
    for (Component app : apps) {
      // Optimize answers a start with a message, naming no snapshot.
      webApps.put(app, new FakeWebApp(app.name(), app.name().toLowerCase(), "8.6.0", app != Component.OPTIMIZE));
    }
  }

  /**
   * A cluster of generation 8.8: Operate and Tasklist answered by one history backup API (the
   * orchestration cluster's {@code /actuator/backupHistory}, snapshots {@code camunda_webapps_…}),
   * recorded as "HISTORY"; with Optimize, whose start names no snapshot (it answers 202 with a
   * message), if asked.
   */
  public static FakeClusterApis generation88(boolean withOptimize) {
    FakeClusterApis apis = new FakeClusterApis();
    FakeWebApp history = apis.new FakeWebApp("HISTORY", "webapps", "8.8.0", true);
    apis.webApps.put(Component.OPERATE, history);
    apis.webApps.put(Component.TASKLIST, history);
    if (withOptimize) {
      apis.webApps.put(Component.OPTIMIZE, apis.new FakeWebApp("OPTIMIZE", "optimize", "8.8.0", false));
    }
    return apis;
  }

  @Override
  public ZeebeApi zeebe() {
    return zeebe;
  }

  @Override
  public Optional<WebAppBackupApi> webApp(Component component) {
    return Optional.ofNullable(webApps.get(component));
  }

  @Override
  public SnapshotApi search() {
    return search;
  }

  /** How many polls a started backup or snapshot stays in progress. */
  public int pollsUntilDone = 2;

  public final class FakeWebApp implements WebAppBackupApi {
    final String app;
    final String snapshotName;
    final String version;
    /** Whether a start answers with the snapshot names (Operate, Tasklist, the history backup) or none (Optimize). */
    final boolean namesSnapshotsOnStart;
    public final Map<Long, Integer> backups = new TreeMap<>(); // id -> polls seen
    public boolean down;
    public boolean failBackups;
    /** Thrown by the next start: a defect in Backstop's own code, not an answer of the app. */
    public RuntimeException startThrows;

    FakeWebApp(String app, String snapshotName, String version, boolean namesSnapshotsOnStart) {
      this.app = app;
      this.snapshotName = snapshotName;
      this.version = version;
      this.namesSnapshotsOnStart = namesSnapshotsOnStart;
    }

    @Override
    public Outcome<List<String>> start(BackupId id) {
      calls.add(app + " start");
      if (startThrows != null) throw startThrows;
      if (down) return new Outcome.Unreachable<>("connection refused");
      if (backups.containsKey(id.value())) return new Outcome.Refused<>(400, "duplicate id");
      backups.put(id.value(), 0);
      List<String> names = List.of(snapshotPrefix(id) + version + "_part_1_of_2", snapshotPrefix(id) + version + "_part_2_of_2");
      names.forEach(search.snapshots::add);
      return Outcome.ok(namesSnapshotsOnStart ? names : List.of());
    }

    @Override
    public Observation status(BackupId id) {
      calls.add(app + " status");
      if (down) return new Observation.Unreachable("connection refused");
      Integer polls = backups.get(id.value());
      if (polls == null) return new Observation.NotFound("no backup " + id);
      if (failBackups) return new Observation.Failed("snapshot part 2 FAILED");
      backups.put(id.value(), polls + 1);
      return polls + 1 >= pollsUntilDone ? new Observation.Completed("ok") : new Observation.InProgress("part 1 of 2");
    }

    @Override
    public Outcome<Void> delete(BackupId id) {
      calls.add(app + " delete");
      if (down) return new Outcome.Unreachable<>("connection refused");
      backups.remove(id.value());
      search.snapshots.removeIf(name -> name.startsWith(snapshotPrefix(id)));
      return Outcome.done();
    }

    @Override
    public String snapshotPrefix(BackupId id) {
      return "camunda_" + snapshotName + "_" + id + "_";
    }
  }

  public final class FakeZeebe implements ZeebeApi {
    public final Map<Long, Integer> backups = new TreeMap<>();
    public long latestCheckpoint;
    public boolean paused;
    public boolean down;
    /** How many pause or resume calls fail before they work. */
    public int exportingFailures;
    public Function<BackupId, Observation> statusOverride;
    /** How many resumes answer success while a partition stays paused (a resume that did not reach it). */
    public int resumesNotReachingAPartition;

    @Override
    public Outcome<Void> startBackup(BackupId id) {
      calls.add("ZEEBE start");
      if (down) return new Outcome.Unreachable<>("connection refused");
      if (id.value() <= latestCheckpoint) return new Outcome.Refused<>(409, "not above the latest backup id " + latestCheckpoint);
      latestCheckpoint = id.value();
      backups.put(id.value(), 0);
      return Outcome.done();
    }

    @Override
    public Observation backupStatus(BackupId id) {
      calls.add("ZEEBE status");
      if (down) return new Observation.Unreachable("connection refused");
      Integer polls = backups.get(id.value());
      if (polls == null) return new Observation.NotFound("no backup " + id);
      if (statusOverride != null) return statusOverride.apply(id);
      backups.put(id.value(), polls + 1);
      return polls + 1 >= pollsUntilDone ? new Observation.Completed("ok") : new Observation.InProgress("1 of 2 partitions");
    }

    @Override
    public Optional<BackupId> latestIdNamedIn(String failureReason) {
      java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("not above the latest backup id (\\d+)").matcher(failureReason);
      return matcher.find() ? Optional.of(new BackupId(Long.parseLong(matcher.group(1)))) : Optional.empty();
    }

    @Override
    public Outcome<Optional<BackupId>> latestBackupId() {
      calls.add("ZEEBE list");
      if (down) return new Outcome.Unreachable<>("connection refused");
      return Outcome.ok(backups.keySet().stream().max(Long::compare).map(BackupId::new));
    }

    @Override
    public Outcome<Void> deleteBackup(BackupId id) {
      calls.add("ZEEBE delete");
      if (down) return new Outcome.Unreachable<>("connection refused");
      backups.remove(id.value());
      return Outcome.done();
    }

    @Override
    public Outcome<Void> pauseExporting() {
      calls.add("ZEEBE pause");
      if (down) return new Outcome.Unreachable<>("connection refused");
      if (exportingFailures > 0) {
        exportingFailures--;
        return new Outcome.Refused<>(500, "pause failed on partition 2");
      }
      paused = true;
      return Outcome.done();
    }

    @Override
    public Outcome<Void> resumeExporting() {
      calls.add("ZEEBE resume");
      if (down) return new Outcome.Unreachable<>("connection refused");
      if (exportingFailures > 0) {
        exportingFailures--;
        return new Outcome.Refused<>(500, "resume failed on partition 2");
      }
      if (resumesNotReachingAPartition > 0) {
        resumesNotReachingAPartition--;
        return Outcome.done();
      }
      paused = false;
      return Outcome.done();
    }

    @Override
    public Outcome<Map<Integer, String>> exporterPhases() {
      return Outcome.ok(Map.of(1, paused ? "SOFT_PAUSED" : "EXPORTING"));
    }
  }

  public final class FakeSearch implements SnapshotApi {
    public final TreeSet<String> snapshots = new TreeSet<>();
    /** Snapshots that ended FAILED (they are in the repository too). */
    public final TreeSet<String> failedSnapshots = new TreeSet<>();
    /** What the engine reports running now (fake snapshots complete at once: none, unless a test says so). */
    public final TreeSet<String> running = new TreeSet<>();
    public boolean down;
    /**
     * The call creating the records snapshot (the one taken while exporting is paused) is cut
     * short by an interrupt of the calling thread (Backstop stopping).
     */
    public boolean interruptCreate;

    @Override
    public Outcome<Void> createSnapshot(String name, String indexPattern) {
      calls.add("SEARCH snapshot " + indexPattern);
      if (interruptCreate && name.startsWith("camunda_zeebe_records_backup_")) {
        // As the HTTP client does when the calling thread is interrupted mid-call.
        Thread.currentThread().interrupt();
        return new Outcome.Unreachable<>("interrupted");
      }
      if (down) return new Outcome.Unreachable<>("connection refused");
      if (!snapshots.add(name)) return new Outcome.Refused<>(400, "snapshot exists");
      return Outcome.done();
    }

    @Override
    public Observation snapshotStatus(String name) {
      calls.add("SEARCH status");
      if (down) return new Observation.Unreachable("connection refused");
      if (failedSnapshots.contains(name)) return new Observation.Failed("snapshot " + name + " FAILED");
      return snapshots.contains(name) ? new Observation.Completed("SUCCESS") : new Observation.NotFound(name);
    }

    @Override
    public Outcome<Void> deleteSnapshots(List<String> namesOrPatterns) {
      calls.add("SEARCH delete " + namesOrPatterns);
      if (down) return new Outcome.Unreachable<>("connection refused");
      for (String pattern : namesOrPatterns) {
        if (pattern.endsWith("*")) {
          String prefix = pattern.substring(0, pattern.length() - 1);
          snapshots.removeIf(name -> name.startsWith(prefix));
          failedSnapshots.removeIf(name -> name.startsWith(prefix));
        } else {
          snapshots.remove(pattern);
          failedSnapshots.remove(pattern);
        }
      }
      return Outcome.done();
    }

    @Override
    public Outcome<List<String>> snapshotNames(String pattern) {
      String prefix = pattern.replace("*", "");
      return Outcome.ok(snapshots.stream().filter(n -> n.startsWith(prefix)).toList());
    }

    /** The engine's snapshot threads, over all its nodes. */
    public int snapshotThreads = 2;

    @Override
    public Outcome<Integer> snapshotThreads() {
      calls.add("SEARCH threads");
      if (down) return new Outcome.Unreachable<>("connection refused");
      return Outcome.ok(snapshotThreads);
    }

    @Override
    public Outcome<Set<String>> runningSnapshots() {
      calls.add("SEARCH running");
      if (down) return new Outcome.Unreachable<>("connection refused");
      return Outcome.ok(Set.copyOf(running));
    }
  }
}
