package dev.backstop.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backstop.core.backup.Backup;
import dev.backstop.core.backup.BackupId;
import dev.backstop.core.backup.BackupRepository;
import dev.backstop.core.backup.BackupService;
import dev.backstop.core.backup.BackupState;
import dev.backstop.core.backup.BackupStep;
import dev.backstop.core.backup.BackupType;
import dev.backstop.core.backup.Component;
import dev.backstop.core.backup.ComponentPart;
import dev.backstop.core.backup.PartState;
import dev.backstop.core.operation.Backoff;
import dev.backstop.core.operation.Ownership;
import dev.backstop.core.operation.OwnershipLost;
import dev.backstop.core.operation.RetryState;
import dev.backstop.core.operation.Ticket;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link BackupRepository} passes: the in-memory one of the unit tests and the
 * JDBC one on a real PostgreSQL. Each implementation's test extends this class.
 */
public abstract class BackupRepositoryContract {

  /** Microseconds: what PostgreSQL keeps of an instant. */
  protected static final Instant NOW = Instant.parse("2026-11-22T10:00:00.123456Z");

  /** The repository under test, with {@link #cluster()} existing and no backups. */
  protected abstract BackupRepository repository();

  /** A cluster the repository knows. */
  protected abstract String cluster();

  /** Has the engine hand out a new run of the operation (as a pick or a takeover does): its ticket. */
  protected abstract Ticket nextRun(String operation);

  @Test
  void shouldKeepABackupAsItWasInsertedAndListNewestFirst() {
    Backup older = requested(1);
    Backup newer = failedAndCleanedUp(requested(2));
    repository().insert(older);
    finish(older);
    repository().insert(newer);

    assertThat(repository().find(cluster(), newer.id())).contains(newer);
    assertThat(repository().list(cluster())).extracting(Backup::id).containsExactly(newer.id(), older.id());
    assertThat(repository().find(cluster(), new BackupId(99))).isEmpty();
  }

  @Test
  void shouldRefuseASecondBackupWhileOneOccupiesTheCluster() {
    Backup running = requested(1);
    repository().insert(running);

    assertThatThrownBy(() -> repository().insert(requested(2))).isInstanceOf(BackupRepository.OperationRunningException.class);
    assertThat(repository().list(cluster())).containsExactly(running);
  }

  @Test
  void shouldRefuseASecondBackupWhileAFailedOneOwesItsResume() {
    Backup running = requested(1);
    repository().insert(running);
    Ownership owner = claim(running);
    Backup owing = running.atStep(BackupStep.PAUSE_EXPORTING, NOW).withExportingPaused(true).fail("ZEEBE failed", NOW);
    repository().update(owing, owner);

    assertThatThrownBy(() -> repository().insert(requested(2))).isInstanceOf(BackupRepository.OperationRunningException.class);

    repository().update(owing.withExportingPaused(false).atStep(BackupStep.CLEANED_UP, NOW), owner);
    repository().insert(requested(2));
    assertThat(repository().list(cluster())).hasSize(2);
  }

  @Test
  void shouldSaveAClaimedRunsProgressAndRetryState() {
    Backup backup = requested(1);
    repository().insert(backup);
    Ownership owner = claim(backup);
    RetryState retry = RetryState.failed(Optional.empty(), "resume refused", NOW, new Backoff(Duration.ofSeconds(5), Duration.ofMinutes(1)));
    Backup changed =
        backup.atStep(BackupStep.AWAIT_WEB_APP_BACKUPS, NOW.plusSeconds(1))
            .withPart(Component.OPERATE, new ComponentPart(PartState.IN_PROGRESS, "started", List.of("camunda_operate_1_part_1_of_2")))
            .withRetry(retry);

    repository().update(changed, owner);

    assertThat(repository().find(cluster(), backup.id())).contains(changed);
  }

  @Test
  void shouldFenceOutTheWritesOfARunThatWasTakenOver() {
    Backup backup = requested(1);
    repository().insert(backup);
    Ownership stalled = claim(backup);
    Ownership takeover = claim(backup);
    Backup byTakeover = backup.atStep(BackupStep.START_WEB_APP_BACKUPS, NOW);
    repository().update(byTakeover, takeover);

    assertThatThrownBy(() -> repository().update(backup.atStep(BackupStep.PAUSE_EXPORTING, NOW), stalled)).isInstanceOf(OwnershipLost.class);
    assertThatThrownBy(() -> repository().remove(cluster(), backup.id(), stalled)).isInstanceOf(OwnershipLost.class);
    assertThat(repository().find(cluster(), backup.id())).contains(byTakeover);
  }

  @Test
  void shouldRefuseAClaimWithTheTicketOfARunThatIsNoLongerCurrent() {
    Backup backup = requested(1);
    repository().insert(backup);
    String operation = BackupService.operationOf(cluster(), backup.id());
    Ticket old = nextRun(operation);
    nextRun(operation);

    assertThatThrownBy(() -> repository().claim(cluster(), backup.id(), old)).isInstanceOf(OwnershipLost.class);
  }

  @Test
  void shouldFenceOutTheRunWhenARequestStartsTheDeletion() {
    Backup backup = requested(1);
    repository().insert(backup);
    Ownership owner = claim(backup);
    Backup completed = backup.complete(NOW);
    repository().update(completed, owner);

    Backup deleting = completed.startDeleting(NOW.plusSeconds(1));
    repository().startDeleting(deleting);

    assertThat(repository().find(cluster(), backup.id())).contains(deleting);
    assertThatThrownBy(() -> repository().update(completed, owner)).isInstanceOf(OwnershipLost.class);
    Ownership deleter = claim(backup);
    repository().remove(cluster(), backup.id(), deleter);
    assertThat(repository().find(cluster(), backup.id())).isEmpty();
  }

  @Test
  void shouldListEveryBackupWithWorkLeftAndNoOther() {
    Backup done = requested(1);
    repository().insert(done);
    finish(done);
    Backup running = requested(2);
    repository().insert(running);

    assertThat(repository().withWork()).filteredOn(b -> b.clusterId().equals(cluster())).extracting(Backup::id).containsExactly(running.id());
  }

  @Test
  void shouldNeverReuseAnAllocatedId() {
    Optional<BackupId> before = repository().lastAllocatedId(cluster());
    BackupId next = new BackupId(before.map(BackupId::value).orElse(0L) + 10);

    repository().recordAllocatedId(cluster(), next);

    assertThat(repository().lastAllocatedId(cluster())).contains(next);
  }

  // ------------------------------------------------------------------------------------------

  protected Backup requested(long id) {
    return Backup.requested(
        cluster(), new BackupId(id), Optional.empty(), BackupType.MANUAL, Set.of(Component.ZEEBE, Component.OPERATE, Component.ZEEBE_RECORDS),
        NOW.truncatedTo(ChronoUnit.MICROS));
  }

  private Ownership claim(Backup backup) {
    return repository().claim(cluster(), backup.id(), nextRun(BackupService.operationOf(cluster(), backup.id())));
  }

  private void finish(Backup backup) {
    repository().update(backup.complete(NOW), claim(backup));
  }

  private static Backup failedAndCleanedUp(Backup backup) {
    return backup.fail("OPERATE failed", NOW).atStep(BackupStep.CLEANED_UP, NOW);
  }
}
