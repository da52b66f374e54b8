package dev.backstop.core.backup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstop.core.cluster.BackupLocation;
import dev.backstop.core.cluster.Cluster;
import dev.backstop.core.cluster.ClusterDirectory;
import dev.backstop.core.cluster.ComponentEndpoints;
import dev.backstop.core.cluster.Generation;
import dev.backstop.core.operation.Backoff;
import dev.backstop.core.organization.Plan;
import dev.backstop.core.policy.BackupPolicy;
import dev.backstop.core.procedure.BackupProcedure;
import dev.backstop.core.procedure.Observation;
import dev.backstop.core.replication.ReplicationException;
import dev.backstop.core.replication.ReplicationState;
import dev.backstop.core.replication.Replicator;
import dev.backstop.core.testing.FakeClusterApis;
import dev.backstop.core.testing.InMemoryBackupRepository;
import dev.backstop.core.testing.InMemoryOperationEngine;
import dev.backstop.core.testing.SettableClock;
import java.time.Duration;
import dev.backstop.core.event.Event;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The replication lifecycle of a dual-region cluster's backups, as the backup's operation drives
 * it: copied after the backup completes, retried with backoff, FAILED once the attempts are spent,
 * asked for again, and removed from the secondary region with the backup. The replicator is a
 * scripted stand-in for the port (the real one is tested against real object stores in
 * backstop-storage and backstop-server).
 */
class BackupReplicationTest {

  private static final Instant START = Instant.parse("2026-11-23T10:00:00Z");
  private static final Backoff RETRIES = new Backoff(Duration.ofSeconds(5), Duration.ofSeconds(20));

  private final SettableClock clock = new SettableClock(START);
  private final InMemoryBackupRepository repository = new InMemoryBackupRepository("c-1");
  private final InMemoryOperationEngine engine = new InMemoryOperationEngine(clock);
  private final FakeClusterApis apis = new FakeClusterApis(Component.OPERATE);
  private final Cluster cluster = dualRegionCluster();
  private final ClusterDirectory directory =
      id -> id.equals("c-1")
          ? Optional.of(new ClusterDirectory.ClusterContext(cluster, Plan.ENTERPRISE, new BackupPolicy(Duration.ZERO, 3, 3), false))
          : Optional.empty();
  private final BackupProcedure procedure =
      new BackupProcedure(
          clock,
          new BackupProcedure.Settings(
              Duration.ofMinutes(5), Duration.ofMinutes(5), Duration.ofMinutes(5), Duration.ofSeconds(10),
              Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofSeconds(4), RETRIES),
          clock::advance,
          BackupProcedure.StepListener.NONE);
  private final ScriptedReplicator replicator = new ScriptedReplicator();
  private final BackupService service =
      new BackupService(
          repository, directory, c -> apis, procedure, clock, engine, replicator,
          new BackupService.ReplicationSettings(RETRIES, 3, Duration.ofSeconds(2)));

  @BeforeEach
  void wire() {
    engine.handledBy(service);
    repository.checkClaimsAgainst(engine::currentRun);
  }

  @Test
  void shouldReplicateADualRegionBackupOnceItCompleted() {
    Backup requested = request();
    assertThat(requested.replication().state()).isEqualTo(ReplicationState.PENDING);

    engine.runDue();

    Backup done = find(requested);
    assertThat(done.state()).isEqualTo(BackupState.COMPLETED);
    assertThat(done.replication().state()).isEqualTo(ReplicationState.COMPLETED);
    assertThat(done.replication().objects()).isEqualTo(3);
    assertThat(done.replication().bytes()).isEqualTo(300);
    assertThat(done.replication().startedAt()).isPresent();
    assertThat(done.replication().endedAt()).isPresent();
    assertThat(replicator.replicated).containsExactly(done.id().value());
    assertThat(done.hasWork()).isFalse();
    assertThat(engine.queued()).isEmpty();
  }

  @Test
  void shouldSendTheBackupToBeVerifiedWhenItCompletesAndAgainWhenItsCopyCompletes() {
    // given
    List<String> verifications = new ArrayList<>();
    service.verifyWith(backup -> verifications.add(backup.state() + "/" + backup.replication().state()));

    // when
    request();
    engine.runDue();

    // then: once for the primary, once more with the secondary copy completed
    assertThat(verifications).containsExactly("COMPLETED/PENDING", "COMPLETED/COMPLETED");
  }

  @Test
  void shouldNotSendAFailedBackupToBeVerified() {
    // given
    List<String> verifications = new ArrayList<>();
    service.verifyWith(backup -> verifications.add(backup.id().toString()));
    apis.webApps.get(Component.OPERATE).failBackups = true;

    // when
    request();
    engine.runDue();

    // then
    assertThat(verifications).isEmpty();
  }

  @Test
  void shouldRetryAFailedReplicationWithBackoffUntilItCompletes() {
    replicator.failures = 2;
    Backup requested = request();

    engine.runDue();
    Backup first = find(requested);
    assertThat(first.replication().state()).isEqualTo(ReplicationState.IN_PROGRESS);
    assertThat(first.retry().orElseThrow().attempts()).isEqualTo(1);
    assertThat(first.retry().orElseThrow().lastError()).contains("secondary down");
    assertThat(engine.dueAt(operation(first))).isEqualTo(first.retry().orElseThrow().nextAttemptAt().orElseThrow());

    clock.advance(Duration.ofSeconds(5));
    engine.runDue();
    assertThat(find(requested).retry().orElseThrow().attempts()).isEqualTo(2);
    clock.advance(Duration.ofSeconds(10));
    engine.runDue();

    Backup done = find(requested);
    assertThat(done.replication().state()).isEqualTo(ReplicationState.COMPLETED);
    assertThat(done.retry().orElseThrow().pending()).isFalse();
    assertThat(done.retry().orElseThrow().attempts()).isEqualTo(2);
    assertThat(engine.queued()).isEmpty();
  }

  @Test
  void shouldFailTheReplicationWithItsReasonOnceTheAttemptsAreSpentAndRetryItWhenAskedAgain() {
    replicator.failures = 3;
    Backup requested = request();
    engine.runDue();
    clock.advance(Duration.ofSeconds(5));
    engine.runDue();
    clock.advance(Duration.ofSeconds(10));
    engine.runDue();

    Backup failed = find(requested);
    assertThat(failed.state()).isEqualTo(BackupState.COMPLETED);
    assertThat(failed.replication().state()).isEqualTo(ReplicationState.FAILED);
    assertThat(failed.replication().failureReason().orElseThrow()).contains("local-b").contains("3 times").contains("secondary down");
    assertThat(failed.hasWork()).isFalse();
    assertThat(engine.queued()).isEmpty();

    // when: asked for again (the secondary is back)
    BackupService.ReplicationRetryResult result = service.retryReplication("c-1", failed.id());

    assertThat(result).isInstanceOf(BackupService.ReplicationRetried.class);
    assertThat(find(requested).replication().state()).isEqualTo(ReplicationState.PENDING);
    engine.runDue();
    assertThat(find(requested).replication().state()).isEqualTo(ReplicationState.COMPLETED);
  }

  @Test
  void shouldTellEachEndOfAReplicationFailedThenCompletedAndKeepGoingWhenTheSinkFails() {
    replicator.failures = 3;
    List<Event> told = new ArrayList<>();
    service.publishEventsTo(event -> {
      told.add(event);
      throw new IllegalStateException("the audit database is away");
    });
    Backup requested = request();
    engine.runDue();
    clock.advance(Duration.ofSeconds(5));
    engine.runDue();
    clock.advance(Duration.ofSeconds(10));
    engine.runDue();
    service.retryReplication("c-1", requested.id());
    engine.runDue();

    // then: one end per outcome, the failure before the completion, each with its own key
    List<Event.ReplicationEnded> ends = told.stream().filter(Event.ReplicationEnded.class::isInstance).map(Event.ReplicationEnded.class::cast).toList();
    assertThat(ends).extracting(Event::action).containsExactly("replication.failed", "replication.completed");
    assertThat(ends.get(0).detail()).contains("3 times").contains("secondary down");
    assertThat(ends.get(0).key()).isNotEqualTo(ends.get(1).key()).startsWith("replication-ended/c-1/" + requested.id() + "/");
    assertThat(find(requested).replication().state()).isEqualTo(ReplicationState.COMPLETED);
    assertThat(engine.queued()).isEmpty();
  }

  @Test
  void shouldRefuseToRetryAReplicationThatDidNotFail() {
    Backup done = request();
    engine.runDue();

    assertThat(service.retryReplication("c-1", done.id())).isInstanceOf(BackupService.ReplicationNotFailed.class);
    assertThat(service.retryReplication("c-1", new BackupId(1))).isInstanceOf(BackupService.NoSuchBackup.class);
    assertThat(engine.queued()).isEmpty();
  }

  @Test
  void shouldRetryTheClusterFailedReplicationsOnceAnotherReplicationCompletes() {
    replicator.failures = 3;
    Backup first = request();
    engine.runDue();
    clock.advance(Duration.ofSeconds(5));
    engine.runDue();
    clock.advance(Duration.ofSeconds(10));
    engine.runDue();
    assertThat(find(first).replication().state()).isEqualTo(ReplicationState.FAILED);

    clock.advance(Duration.ofMinutes(1));
    Backup second = request();
    engine.runDue();
    engine.runDue();

    assertThat(find(second).replication().state()).isEqualTo(ReplicationState.COMPLETED);
    assertThat(find(first).replication().state()).isEqualTo(ReplicationState.COMPLETED);
  }

  @Test
  void shouldNotReplicateABackupThatFailed() {
    apis.zeebe.statusOverride = id -> new Observation.Failed("disk full");
    Backup requested = request();

    engine.runDue();

    Backup failed = find(requested);
    assertThat(failed.state()).isEqualTo(BackupState.FAILED);
    assertThat(failed.replication().state()).isEqualTo(ReplicationState.NOT_REQUIRED);
    assertThat(replicator.replicated).isEmpty();
  }

  @Test
  void shouldRemoveADeletedBackupFromTheSecondaryRegionTooAndRetryUntilItCould() {
    Backup done = request();
    engine.runDue();
    replicator.removalFailures = 1;

    service.delete("c-1", done.id());
    engine.runDue();

    Backup deleting = find(done);
    assertThat(deleting.state()).isEqualTo(BackupState.DELETING);
    assertThat(deleting.retry().orElseThrow().lastError()).contains("secondary region local-b").contains("bucket unreachable");

    clock.advance(Duration.ofSeconds(5));
    engine.runDue();

    assertThat(repository.find("c-1", done.id())).isEmpty();
    assertThat(replicator.removed).containsExactly(done.id().value(), done.id().value());
  }

  private Backup request() {
    return ((BackupService.Accepted) service.requestManualBackup("c-1", Optional.empty())).backup();
  }

  private Backup find(Backup backup) {
    return repository.find("c-1", backup.id()).orElseThrow();
  }

  private static String operation(Backup backup) {
    return BackupService.operationOf(backup.clusterId(), backup.id());
  }

  /** Copies three objects of 100 bytes per backup, after failing as often as told. */
  private static final class ScriptedReplicator implements Replicator {
    int failures;
    int removalFailures;
    final List<Long> replicated = new ArrayList<>();
    final List<Long> removed = new ArrayList<>();

    @Override
    public synchronized Copied replicate(Cluster cluster, BackupId id, Progress progress) {
      if (failures > 0) {
        failures--;
        progress.copied("zeebe/1/" + id + "/0/segments/1", 100);
        throw new ReplicationException("secondary down");
      }
      for (int i = 0; i < 3; i++) {
        progress.copied("zeebe/1/" + id + "/0/file-" + i, 100);
      }
      replicated.add(id.value());
      return new Copied(3, 300, 0);
    }

    @Override
    public synchronized void removeFromSecondary(Cluster cluster, BackupId id) {
      removed.add(id.value());
      if (removalFailures > 0) {
        removalFailures--;
        throw new ReplicationException("bucket unreachable");
      }
    }
  }

  private static Cluster dualRegionCluster() {
    return new Cluster(
        "c-1",
        "orders",
        UUID.randomUUID(),
        Generation.parse("8.6.0"),
        "local-a",
        BackupLocation.dualRegion("local-b"),
        new ComponentEndpoints(
            "http://zeebe:9600",
            Optional.of("http://operate:9600"),
            Optional.empty(),
            Optional.empty(),
            new ComponentEndpoints.Search("http://search:9200", "camunda-backups", "zeebe-record")),
        new Cluster.StorageLayout("zeebe", "search"),
        START);
  }
}
