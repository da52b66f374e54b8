package dev.backstop.core.backup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstop.core.cluster.BackupLocation;
import dev.backstop.core.cluster.Cluster;
import dev.backstop.core.cluster.ClusterDirectory;
import dev.backstop.core.cluster.ComponentEndpoints;
import dev.backstop.core.cluster.Generation;
import dev.backstop.core.organization.Plan;
import dev.backstop.core.policy.Admission;
import dev.backstop.core.policy.BackupPolicy;
import dev.backstop.core.procedure.BackupProcedure;
import dev.backstop.core.testing.FakeClusterApis;
import dev.backstop.core.testing.InMemoryBackupRepository;
import dev.backstop.core.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The backup use cases with hand-written fakes: work runs on the calling thread, the clock moves
 * only when told (or when the procedure "sleeps"), and the cluster's components keep real state.
 */
class BackupServiceTest {

  private static final Instant START = Instant.parse("2026-11-22T10:00:00Z");
  private static final Duration LEASE = Duration.ofSeconds(30);

  private final SettableClock clock = new SettableClock(START);
  private final InMemoryBackupRepository repository = new InMemoryBackupRepository("c-1");
  private final FakeClusterApis apis = new FakeClusterApis(Component.OPERATE);
  private BackupPolicy policy = new BackupPolicy(Duration.ofHours(5), 3, 3);
  private final Cluster cluster = cluster();
  private final ClusterDirectory directory =
      id -> id.equals("c-1") ? Optional.of(new ClusterDirectory.ClusterContext(cluster, Plan.ENTERPRISE, policy, false)) : Optional.empty();
  private final BackupProcedure.Settings settings =
      new BackupProcedure.Settings(
          Duration.ofMinutes(5), Duration.ofMinutes(5), Duration.ofMinutes(5), Duration.ofSeconds(10),
          Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofSeconds(4));
  private final BackupProcedure procedure =
      new BackupProcedure(repository::update, clock, settings, clock::advance, BackupProcedure.StepListener.NONE);
  private final BackupService service =
      new BackupService(repository, directory, c -> apis, procedure, clock, Runnable::run, "instance-1", LEASE);

  @Test
  void shouldRunAnAdmittedBackupAndReleaseItsLease() {
    BackupService.RequestResult result = service.requestManualBackup("c-1", Optional.of("before-upgrade"));

    assertThat(result).isInstanceOf(BackupService.Accepted.class);
    Backup backup = repository.list("c-1").getFirst();
    assertThat(backup.state()).isEqualTo(BackupState.COMPLETED);
    assertThat(backup.name()).isEqualTo("before-upgrade");
    assertThat(backup.id().value()).isEqualTo(START.getEpochSecond());
    assertThat(apis.zeebe.backups).containsKey(backup.id().value());
    assertThat(repository.leased("c-1", backup.id())).isFalse();
  }

  @Test
  void shouldChangeNothingWhenItRejectsARequest() {
    service.requestManualBackup("c-1", Optional.empty());
    List<Backup> before = repository.list("c-1");
    int callsBefore = apis.calls.size();

    BackupService.RequestResult result = service.requestManualBackup("c-1", Optional.empty());

    assertThat(result).isInstanceOf(BackupService.Rejected.class);
    assertThat(((BackupService.Rejected) result).rejection().rejection()).isEqualTo(Admission.Rejection.RATE_LIMITED);
    assertThat(repository.list("c-1")).isEqualTo(before);
    assertThat(repository.lastAllocatedId("c-1")).contains(before.getFirst().id());
    assertThat(apis.calls).hasSize(callsBefore);
    assertThat(service.requestManualBackup("c-2", Optional.empty())).isInstanceOf(BackupService.ClusterNotFound.class);
  }

  @Test
  void shouldDeleteTheOldestCompletedBackupWhenAFourthCompletes() {
    policy = new BackupPolicy(Duration.ZERO, 3, 3);
    for (int i = 0; i < 4; i++) {
      service.requestManualBackup("c-1", Optional.empty());
      clock.advance(Duration.ofMinutes(1));
    }

    List<Backup> kept = repository.list("c-1");
    assertThat(kept).hasSize(3).allMatch(b -> b.state() == BackupState.COMPLETED);
    long oldest = START.getEpochSecond();
    assertThat(kept).noneMatch(b -> b.id().value() == oldest);
    assertThat(apis.zeebe.backups).doesNotContainKey(oldest).hasSize(3);
    assertThat(apis.search.snapshots).noneMatch(name -> name.contains("_" + oldest));
  }

  @Test
  void shouldRetryADeletionThatCouldNotFinishOnceItsLeaseRunsOut() {
    // given: a completed backup whose deletion meets Operate down (and its snapshots unreachable)
    service.requestManualBackup("c-1", Optional.empty());
    BackupId id = repository.list("c-1").getFirst().id();
    apis.webApps.get(Component.OPERATE).down = true;
    apis.search.down = true;

    // when
    assertThat(service.delete("c-1", id)).isInstanceOf(BackupService.DeletionStarted.class);

    // then: it stays DELETING, leased, and nobody takes it over while the lease holds
    assertThat(repository.find("c-1", id)).get().extracting(Backup::state).isEqualTo(BackupState.DELETING);
    assertThat(repository.leased("c-1", id)).isTrue();
    int callsBefore = apis.calls.size();
    clock.advance(LEASE.minusSeconds(1));
    service.recoverAbandonedWork();
    assertThat(apis.calls).hasSize(callsBefore);
    assertThat(repository.find("c-1", id)).isPresent();

    // when: the components are back and the lease has run out
    apis.webApps.get(Component.OPERATE).down = false;
    apis.search.down = false;
    clock.advance(Duration.ofSeconds(2));
    service.recoverAbandonedWork();

    // then: the deletion is finished
    assertThat(repository.find("c-1", id)).isEmpty();
    assertThat(apis.zeebe.backups).isEmpty();
    assertThat(apis.search.snapshots).isEmpty();
  }

  @Test
  void shouldKeepResumingExportingUntilZeebeTakesIt() {
    // given: a backup that fails after the pause, and Zeebe refuses every resume for a while
    policy = new BackupPolicy(Duration.ZERO, 3, 3);
    apis.zeebe.statusOverride = id -> new dev.backstop.core.procedure.Observation.Failed("leader change");
    apis.zeebe.exportingFailures = 0;
    FakeClusterApis.FakeZeebe zeebe = apis.zeebe;
    BackupProcedure refusingResume =
        new BackupProcedure(
            backup -> {
              repository.update(backup);
              if (backup.state() == BackupState.FAILED && backup.exportingPaused()) {
                zeebe.exportingFailures = 1_000; // resume keeps failing from now on
              }
            },
            clock, settings, clock::advance, BackupProcedure.StepListener.NONE);
    BackupService failing = new BackupService(repository, directory, c -> apis, refusingResume, clock, Runnable::run, "instance-1", LEASE);
    failing.requestManualBackup("c-1", Optional.empty());
    Backup failed = repository.list("c-1").getFirst();
    assertThat(failed.state()).isEqualTo(BackupState.FAILED);
    assertThat(failed.exportingPaused()).isTrue();
    assertThat(zeebe.paused).isTrue();
    assertThat(repository.leased("c-1", failed.id())).as("kept leased while exporting is paused").isTrue();

    // when: Zeebe takes a resume again, and the lease runs out
    zeebe.exportingFailures = 0;
    clock.advance(LEASE.plusSeconds(1));
    service.recoverAbandonedWork();

    // then
    assertThat(zeebe.paused).isFalse();
    assertThat(repository.find("c-1", failed.id())).get().extracting(Backup::exportingPaused).isEqualTo(false);
    assertThat(repository.leased("c-1", failed.id())).isFalse();
  }

  private static Cluster cluster() {
    return new Cluster(
        "c-1",
        "orders",
        UUID.randomUUID(),
        Generation.parse("8.6.0"),
        "local-a",
        BackupLocation.sameRegion(),
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
