package dev.backstop.core.restore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstop.core.backup.Backup;
import dev.backstop.core.backup.BackupId;
import dev.backstop.core.backup.BackupType;
import dev.backstop.core.backup.Component;
import dev.backstop.core.cluster.BackupLocation;
import dev.backstop.core.cluster.Cluster;
import dev.backstop.core.cluster.ClusterDirectory;
import dev.backstop.core.cluster.ComponentEndpoints;
import dev.backstop.core.cluster.Generation;
import dev.backstop.core.operation.Ownership;
import dev.backstop.core.operation.Ticket;
import dev.backstop.core.organization.Plan;
import dev.backstop.core.policy.BackupPolicy;
import dev.backstop.core.procedure.Waits;
import dev.backstop.core.replication.Replication;
import dev.backstop.core.testing.FakeClusterApis;
import dev.backstop.core.testing.InMemoryBackupRepository;
import dev.backstop.core.testing.InMemoryOperationEngine;
import dev.backstop.core.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The restore requests' refusals, which the real-component tests reach only in part: each is
 * refused naming the field, and a refused request records and queues nothing.
 */
class RestoreServiceTest {

  private static final BackupId ID = new BackupId(42);

  private final SettableClock clock = new SettableClock(Instant.parse("2026-11-23T10:00:00Z"));
  private final InMemoryBackupRepository backups = new InMemoryBackupRepository("c1");
  private final InMemoryRestores restores = new InMemoryRestores();
  private final InMemoryOperationEngine engine = new InMemoryOperationEngine(clock);
  private Optional<String> secondaryRepository = Optional.of("camunda-backups-secondary");
  private String takenBy = "8.6.0";
  private boolean storeUnreadable;
  private int storeReads;
  private final BackupInventory inventory = (cluster, region, id) -> {
    storeReads++;
    if (storeUnreadable) {
      throw new IllegalStateException("connection refused");
    }
    return new BackupInventory.ZeebeCopy(2, Optional.of(takenBy), List.of());
  };
  private final ClusterDirectory clusters =
      id -> Optional.of(new ClusterDirectory.ClusterContext(cluster(), Plan.ENTERPRISE, new BackupPolicy(Duration.ZERO, 3, 3), false));
  private final RestoreProcedureTest.FakeRuntime runtime = new RestoreProcedureTest.FakeRuntime();
  private final RestoreService service = new RestoreService(
      restores, backups, clusters,
      new RestoreProcedure(clock, new Waits(clock, Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(10), clock::advance),
          RestoreProcedure.Settings.DEFAULTS, inventory),
      cluster -> new FakeClusterApis(Component.OPERATE), cluster -> new RestoreProcedureTest.FakeRestoreApis(runtime),
      cluster -> runtime, inventory, engine, clock);

  @Test
  void shouldRefuseTheSecondaryRegionUntilTheBackupIsReplicatedThereAndItsRepositoryIsNamed() {
    backups.insert(completed().withReplication(Replication.pending().inProgress(clock.instant())));

    assertRefused(service.request("c1", ID, Optional.of("region-b")), "sourceRegion", "IN_PROGRESS");
  }

  @Test
  void shouldRefuseTheSecondaryRegionWithoutARepositoryThere() {
    secondaryRepository = Optional.empty();
    backups.insert(completed().withReplication(Replication.pending().inProgress(clock.instant()).completed(clock.instant())));

    assertRefused(service.request("c1", ID, Optional.of("region-b")), "sourceRegion", "storage.secondarySearchRepository");
  }

  @Test
  void shouldRefuseABackupTakenByAnotherMinorVersion() {
    takenBy = "8.5.3";
    backups.insert(completed());

    assertRefused(service.request("c1", ID, Optional.empty()), "backupId", "Zeebe 8.5.3");
  }

  @Test
  void shouldRefuseWhileABackupOfTheClusterRuns() {
    backups.insert(completed());
    backups.insert(Backup.requested("c1", new BackupId(43), Optional.empty(), BackupType.MANUAL, EnumSet.of(Component.ZEEBE), clock.instant()));

    assertThat(service.request("c1", ID, Optional.empty())).isInstanceOf(RestoreService.Busy.class);
    assertThat(restores.all).isEmpty();
  }

  @Test
  void shouldLeaveTheGenerationToThePreflightWhenTheStoreCannotBeReadAtTheRequest() {
    storeUnreadable = true;
    backups.insert(completed());

    RestoreService.RequestResult result = service.request("c1", ID, Optional.empty());

    assertThat(result).isInstanceOf(RestoreService.Accepted.class);
    assertThat(engine.isQueued(RestoreService.operationOf("c1", ((RestoreService.Accepted) result).restore().id()))).isTrue();
  }

  @Test
  void shouldNotReadTheStoreForABackupThatCannotBeRestored() {
    backups.insert(Backup.requested("c1", ID, Optional.empty(), BackupType.MANUAL, EnumSet.of(Component.ZEEBE), clock.instant())
        .fail("Zeebe refused", clock.instant()));

    // (refused: a failed backup that still owes its cleanup keeps the cluster busy)
    assertThat(service.request("c1", ID, Optional.empty())).isNotInstanceOf(RestoreService.Accepted.class);
    assertThat(restores.all).isEmpty();
    assertThat(storeReads).as("the request answered without the object store").isZero();
  }

  @Test
  void shouldAdmitOneRestoreAtATimeAndConfirmOnlyThePhaseItWaitsFor() {
    backups.insert(completed());
    Restore first = ((RestoreService.Accepted) service.request("c1", ID, Optional.empty())).restore();
    assertThat(storeReads).as("a restorable backup's generation is read from the store").isEqualTo(1);

    assertThat(service.request("c1", ID, Optional.empty())).isInstanceOf(RestoreService.Busy.class);
    assertThat(service.confirm("c1", first.id(), RestorePhase.STOP_COMPONENTS)).isInstanceOf(RestoreService.NotWaiting.class);
    assertThat(service.confirm("c1", "unknown", RestorePhase.STOP_COMPONENTS)).isInstanceOf(RestoreService.NoSuchRestore.class);
    assertThat(restores.all).hasSize(1);
  }

  @Test
  void shouldTellTheEndOfARestoreOnceItHasEnded() {
    backups.insert(completed());
    List<dev.backstop.core.event.Event> told = new ArrayList<>();
    service.publishEventsTo(told::add);
    engine.handledBy(service);
    Restore requested = ((RestoreService.Accepted) service.request("c1", ID, Optional.empty())).restore();

    engine.runDue();

    Restore ended = service.find("c1", requested.id()).orElseThrow();
    assertThat(ended.state()).isEqualTo(RestoreState.COMPLETED);
    assertThat(told).singleElement().satisfies(event -> {
      assertThat(event).isInstanceOf(dev.backstop.core.event.Event.RestoreEnded.class);
      assertThat(event.action()).isEqualTo("restore.completed");
      assertThat(event.key()).isEqualTo("restore-ended/c1/" + requested.id());
      assertThat(event.restoreId()).contains(requested.id());
      assertThat(event.backupId()).contains(ID);
      assertThat(event.at()).isEqualTo(ended.endedAt().orElseThrow());
    });
  }

  private void assertRefused(RestoreService.RequestResult result, String field, String saying) {
    assertThat(result).isInstanceOfSatisfying(RestoreService.Invalid.class, invalid -> {
      assertThat(invalid.error().field()).isEqualTo(field);
      assertThat(invalid.error().message()).contains(saying);
    });
    assertThat(restores.all).as("a refused request records nothing").isEmpty();
  }

  private Backup completed() {
    return Backup.requested("c1", ID, Optional.empty(), BackupType.MANUAL, EnumSet.of(Component.ZEEBE, Component.ZEEBE_RECORDS), clock.instant())
        .complete(clock.instant());
  }

  private Cluster cluster() {
    return new Cluster(
        "c1", "cluster", UUID.randomUUID(), Generation.parse("8.6.0"), "region-a", BackupLocation.dualRegion("region-b"),
        new ComponentEndpoints("http://zeebe:9600", Optional.empty(), Optional.empty(), Optional.empty(),
            new ComponentEndpoints.Search("http://search:9200", "camunda-backups", "zeebe-record")),
        new Cluster.StorageLayout("zeebe", "search", secondaryRepository),
        Instant.parse("2026-11-01T00:00:00Z"));
  }

  /** Restores in memory, with the database's guard: one active restore per cluster. */
  private static final class InMemoryRestores implements RestoreRepository {
    final List<Restore> all = new ArrayList<>();

    @Override
    public void insert(Restore restore) {
      if (active(restore.clusterId()).isPresent()) {
        throw new RestoreRunningException("another restore is active");
      }
      all.add(restore);
    }

    @Override
    public Optional<Restore> find(String clusterId, String restoreId) {
      return all.stream().filter(r -> r.clusterId().equals(clusterId) && r.id().equals(restoreId)).findFirst();
    }

    @Override
    public List<Restore> list(String clusterId) {
      return all.stream().filter(r -> r.clusterId().equals(clusterId)).toList();
    }

    @Override
    public Optional<Restore> active(String clusterId) {
      return list(clusterId).stream().filter(Restore::active).findFirst();
    }

    @Override
    public List<Restore> withWork() {
      return all.stream().filter(r -> r.state() == RestoreState.REQUESTED || r.state() == RestoreState.RUNNING).toList();
    }

    @Override
    public Ownership claim(String clusterId, String restoreId, Ticket ticket) {
      return new Ownership(ticket.operation(), ticket.version());
    }

    @Override
    public void update(Restore restore, Ownership owner) {
      reopen(restore);
    }

    @Override
    public void reopen(Restore restore) {
      all.replaceAll(r -> r.id().equals(restore.id()) ? restore : r);
    }
  }
}
