package dev.backstop.core.verification;

import dev.backstop.core.backup.Backup;
import dev.backstop.core.backup.BackupId;
import dev.backstop.core.backup.BackupRepository;
import dev.backstop.core.backup.BackupService;
import dev.backstop.core.backup.BackupState;
import dev.backstop.core.cluster.Cluster;
import dev.backstop.core.cluster.ClusterDirectory;
import dev.backstop.core.cluster.ClusterDirectory.ClusterContext;
import dev.backstop.core.event.Event;
import dev.backstop.core.event.EventSink;
import dev.backstop.core.operation.OperationHandler;
import dev.backstop.core.operation.OperationQueue;
import dev.backstop.core.operation.RunOutcome;
import dev.backstop.core.operation.Ticket;
import dev.backstop.core.replication.ReplicationState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Verifies completed backups without restoring them, and records the outcome on the backup.
 *
 * <p>A verification is an operation of its own engine queue ({@link OperationQueue}, keyed like
 * the backup's operation), so that it survives a crash: queued when a backup completes ({@link
 * #verify}) and when its copy in the secondary region completes, and by {@link #queueDue} for
 * every completed backup whose check is due ({@link Backup#verificationDue}: never checked, last
 * checked an interval ago, or its secondary copy not checked yet). A run checks every region that
 * holds the backup (its cluster's region; the secondary once replication COMPLETED); a region that
 * cannot be read makes the run retry later and records nothing.
 *
 * <p>Zeebe's manifests list file names without sizes: the sizes found at the first check are
 * remembered ({@link VerificationStore#remember}) and every later check, in every region,
 * compares against them.
 */
public final class VerificationService implements OperationHandler, BackupService.VerificationRequests {

  private static final Logger LOG = Logger.getLogger(VerificationService.class.getName());

  /**
   * @param interval how often a completed backup is checked again
   * @param retryAfter how long a verification waits when a region's store could not be read
   * @param perSweep how many checks one sweep queues at most: the longest unchecked first, the
   *     rest at the next sweeps, so that a backlog (every backup after an upgrade) is spread out
   *     and never crowds the backups' own operations
   */
  public record Settings(Duration interval, Duration retryAfter, int perSweep) {
    public static final int DEFAULT_PER_SWEEP = 20;

    public static final Settings DEFAULTS = new Settings(Duration.ofHours(6), Duration.ofMinutes(1), DEFAULT_PER_SWEEP);

    public Settings {
      if (interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException("interval must be positive");
      }
      if (perSweep < 1) {
        throw new IllegalArgumentException("perSweep must be at least 1");
      }
    }

    public Settings(Duration interval, Duration retryAfter) {
      this(interval, retryAfter, DEFAULT_PER_SWEEP);
    }
  }

  private final BackupRepository backups;
  private final ClusterDirectory clusters;
  private final BackupVerifier verifier;
  private final VerificationStore store;
  private final OperationQueue queue;
  private final Clock clock;
  private final Settings settings;
  private volatile EventSink events = EventSink.NONE;

  public VerificationService(
      BackupRepository backups, ClusterDirectory clusters, BackupVerifier verifier, VerificationStore store, OperationQueue queue, Clock clock,
      Settings settings) {
    this.backups = backups;
    this.clusters = clusters;
    this.verifier = verifier;
    this.store = store;
    this.queue = queue;
    this.clock = clock;
    this.settings = settings;
  }

  /** Where a backup found damaged is told (audit, notifications). */
  public void publishEventsTo(EventSink sink) {
    this.events = sink;
  }

  /** The queue's key of a backup's verification. */
  public static String operationOf(String clusterId, BackupId id) {
    return clusterId + "/" + id;
  }

  /** Queues the check of a completed backup (idempotent: one already queued is not queued again). */
  @Override
  public void verify(Backup backup) {
    if (backup.state() == BackupState.COMPLETED) {
      queue.submit(operationOf(backup.clusterId(), backup.id()));
    }
  }

  /**
   * Queues the checks of completed backups that are due now: at most {@link Settings#perSweep},
   * the longest unchecked first.
   */
  public int queueDue() {
    Instant now = clock.instant();
    int queued = 0;
    for (Backup backup : store.dueForVerification(now.minus(settings.interval()), settings.perSweep())) {
      if (backup.verificationDue(now, settings.interval())) {
        queue.submit(operationOf(backup.clusterId(), backup.id()));
        queued++;
      }
    }
    return queued;
  }

  /** One check of one backup, in every region that holds it. */
  @Override
  public RunOutcome run(Ticket ticket) {
    int slash = ticket.operation().lastIndexOf('/');
    String clusterId = ticket.operation().substring(0, slash);
    BackupId id = new BackupId(Long.parseLong(ticket.operation().substring(slash + 1)));
    // The check's time is when it started: a secondary copy that completes while it runs (and is
    // not checked by it) then ends after it, which makes the next check due.
    Instant started = clock.instant();
    Optional<Backup> found = backups.find(clusterId, id);
    Optional<ClusterContext> context = clusters.find(clusterId);
    if (found.isEmpty() || found.get().state() != BackupState.COMPLETED || context.isEmpty() || context.get().deleting()) {
      return RunOutcome.finished(); // nothing to check any more
    }
    Backup backup = found.get();
    Cluster cluster = context.get().cluster();
    List<String> regions = new ArrayList<>(List.of(cluster.region()));
    if (backup.replication().state() == ReplicationState.COMPLETED) {
      cluster.location().secondaryRegion().ifPresent(regions::add);
    }
    List<String> problems = new ArrayList<>();
    Map<String, Long> remembered = new HashMap<>(store.rememberedSizes(clusterId, id));
    try {
      for (String region : regions) {
        BackupVerifier.Findings findings = verifier.inspect(cluster, id, region);
        findings.problems().forEach(problem -> problems.add(region + ": " + problem));
        problems.addAll(sizeProblems(region, findings.unrecordedSizes(), remembered));
        Map<String, Long> first = new HashMap<>(findings.unrecordedSizes());
        first.keySet().removeAll(remembered.keySet());
        if (!first.isEmpty()) {
          store.remember(clusterId, id, first);
          remembered.putAll(first);
        }
      }
    } catch (VerificationUnavailable e) {
      Instant next = clock.instant().plus(settings.retryAfter());
      LOG.info(() -> "Backup " + id + " of " + clusterId + " could not be verified now, retried at " + next + ": " + e.getMessage());
      return new RunOutcome.RetryAt(next, e.getMessage());
    }
    Verification checked = backup.verification().checked(problems, started);
    if (!store.record(clusterId, id, checked)) {
      return RunOutcome.finished(); // deleted meanwhile, or a later check was recorded
    }
    if (checked.damaged()) {
      LOG.warning(() -> "Backup " + id + " of " + clusterId + " is damaged: " + checked.detail().orElse(""));
      if (!backup.verification().damaged()) {
        publish(new Event.BackupDamaged(checked.at().orElseThrow(), clusterId, id, checked.detail().orElse("")));
      }
    } else {
      LOG.info(() -> "Backup " + id + " of " + clusterId + " verified in " + String.join(", ", regions));
    }
    return RunOutcome.finished();
  }

  /**
   * The objects found at another size than the one remembered at the first check. Pure.
   *
   * @param found key → size found now in {@code region}
   * @param remembered key → size remembered
   */
  static List<String> sizeProblems(String region, Map<String, Long> found, Map<String, Long> remembered) {
    return found.entrySet().stream()
        .filter(e -> remembered.containsKey(e.getKey()) && !remembered.get(e.getKey()).equals(e.getValue()))
        .sorted(Map.Entry.comparingByKey())
        .map(e -> region + ": " + e.getKey() + " is " + e.getValue() + " bytes, " + remembered.get(e.getKey()) + " when first verified")
        .toList();
  }

  private void publish(Event event) {
    try {
      events.publish(event);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Could not tell " + event.key(), e);
    }
  }
}
