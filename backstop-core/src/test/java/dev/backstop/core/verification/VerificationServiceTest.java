package dev.backstop.core.verification;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstop.core.backup.Backup;
import dev.backstop.core.backup.BackupId;
import dev.backstop.core.backup.BackupType;
import dev.backstop.core.backup.Component;
import dev.backstop.core.cluster.Cluster;
import dev.backstop.core.event.Event;
import dev.backstop.core.testing.InMemoryBackupRepository;
import dev.backstop.core.testing.InMemoryClusters;
import dev.backstop.core.testing.InMemoryOperationEngine;
import dev.backstop.core.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The verification use case on hand-written stand-ins: a verifier whose findings the test sets
 * (the storage adapter is tested against S3Proxy in backstop-storage), the in-memory repository
 * and engine, a settable clock.
 */
class VerificationServiceTest {

  private static final Instant T = Instant.parse("2026-11-23T12:00:00Z");
  private static final BackupId ID = new BackupId(42);
  private static final String SEGMENT = "zeebe/1/42/0/segments/raft-partition-partition-1-1.log";

  private final SettableClock clock = new SettableClock(T);
  private final InMemoryBackupRepository backups = new InMemoryBackupRepository("orders");
  private final InMemoryClusters clusters = new InMemoryClusters();
  private final InMemoryOperationEngine engine = new InMemoryOperationEngine(clock);
  private final ScriptedVerifier verifier = new ScriptedVerifier();
  private final InMemoryVerifications store = new InMemoryVerifications();
  private final List<Event> events = new ArrayList<>();
  private final VerificationService service =
      new VerificationService(backups, clusters, verifier, store, engine, clock, new VerificationService.Settings(Duration.ofHours(6), Duration.ofMinutes(1)));

  @BeforeEach
  void setUp() {
    clusters.add("orders", UUID.randomUUID());
    engine.handledBy(service);
    service.publishEventsTo(events::add);
  }

  @Test
  void shouldRecordAWholeBackupVerifiedWithTheTimeOfTheCheck() {
    // given
    Backup completed = completedBackup();
    verifier.findings.put("local-a", new BackupVerifier.Findings(List.of(), Map.of(SEGMENT, 1024L)));

    // when
    service.verify(completed);
    clock.advance(Duration.ofSeconds(5));
    engine.runDue();

    // then
    Verification verification = backups.find("orders", ID).orElseThrow().verification();
    assertThat(verification.state()).isEqualTo(VerificationState.VERIFIED);
    assertThat(verification.at()).contains(T.plusSeconds(5));
    assertThat(store.remembered).containsEntry(SEGMENT, 1024L);
    assertThat(events).isEmpty();
  }

  @Test
  void shouldRecordAMissingObjectDamagedNamingRegionAndKeyAndTellItOnce() {
    // given
    Backup completed = completedBackup();
    verifier.findings.put("local-a", new BackupVerifier.Findings(List.of(SEGMENT + " is missing"), Map.of()));

    // when
    service.verify(completed);
    engine.runDue();

    // then
    Backup damaged = backups.find("orders", ID).orElseThrow();
    assertThat(damaged.verification().state()).isEqualTo(VerificationState.DAMAGED);
    assertThat(damaged.verification().detail()).contains("local-a: " + SEGMENT + " is missing");
    assertThat(damaged.isGood()).isFalse();
    assertThat(events).singleElement().isInstanceOfSatisfying(Event.BackupDamaged.class, e -> assertThat(e.detail()).contains(SEGMENT));

    // and a later check that finds it still damaged tells nothing new
    clock.advance(Duration.ofHours(6));
    assertThat(service.queueDue()).isEqualTo(1);
    engine.runDue();
    assertThat(backups.find("orders", ID).orElseThrow().verification().at()).contains(T.plus(Duration.ofHours(6)));
    assertThat(events).hasSize(1);
  }

  @Test
  void shouldFindAZeebeFileAtAnotherSizeThanAtTheFirstCheck() {
    // given: verified once with the segment at its full size
    Backup completed = completedBackup();
    verifier.findings.put("local-a", new BackupVerifier.Findings(List.of(), Map.of(SEGMENT, 134217728L)));
    service.verify(completed);
    engine.runDue();

    // when: six hours later the segment is shorter
    verifier.findings.put("local-a", new BackupVerifier.Findings(List.of(), Map.of(SEGMENT, 4096L)));
    clock.advance(Duration.ofHours(6));
    service.queueDue();
    engine.runDue();

    // then
    Verification verification = backups.find("orders", ID).orElseThrow().verification();
    assertThat(verification.state()).isEqualTo(VerificationState.DAMAGED);
    assertThat(verification.detail()).contains("local-a: " + SEGMENT + " is 4096 bytes, 134217728 when first verified");
    assertThat(store.remembered).containsEntry(SEGMENT, 134217728L);
  }

  @Test
  void shouldRetryLaterAndRecordNothingWhileTheRegionCannotBeRead() {
    // given
    Backup completed = completedBackup();
    verifier.unavailable = true;

    // when
    service.verify(completed);
    engine.runDue();

    // then
    assertThat(backups.find("orders", ID).orElseThrow().verification().state()).isEqualTo(VerificationState.PENDING);
    String operation = VerificationService.operationOf("orders", ID);
    assertThat(engine.dueAt(operation)).isEqualTo(T.plus(Duration.ofMinutes(1)));

    // and once it can be read again
    verifier.unavailable = false;
    verifier.findings.put("local-a", new BackupVerifier.Findings(List.of(), Map.of()));
    clock.advance(Duration.ofMinutes(1));
    engine.runDue();
    assertThat(backups.find("orders", ID).orElseThrow().verification().state()).isEqualTo(VerificationState.VERIFIED);
  }

  @Test
  void shouldCheckTheSecondaryCopyAgainWhenItCompletedWhileACheckRan() {
    // given: a check of the primary starts; the copy to the secondary completes while it runs
    Backup completed = completedBackup();
    backups.reopen(completed.withReplication(dev.backstop.core.replication.Replication.pending().inProgress(T)));
    verifier.whileInspecting = () -> {
      clock.advance(Duration.ofSeconds(10));
      Backup now = backups.find("orders", ID).orElseThrow();
      backups.reopen(now.withReplication(now.replication().completed(clock.instant())));
    };

    // when
    service.verify(completed);
    engine.runDue();

    // then: recorded at the check's start, before the copy completed, so the next check is due at once
    Backup checked = backups.find("orders", ID).orElseThrow();
    assertThat(checked.verification().at()).contains(T);
    assertThat(verifier.inspected).containsExactly("local-a");
    assertThat(service.queueDue()).isEqualTo(1);
  }

  @Test
  void shouldQueueOnlyCompletedBackupsWhoseCheckIsDue() {
    // given: one completed and verified just now, one completed never checked, one failed
    Backup verified = completedBackup();
    backups.reopen(verified.withVerification(verified.verification().checked(List.of(), T)));
    Backup unchecked = Backup.requested("orders", new BackupId(43), Optional.empty(), BackupType.MANUAL, Set.of(Component.ZEEBE), T).complete(T);
    backups.insert(unchecked);
    backups.insert(Backup.requested("orders", new BackupId(44), Optional.empty(), BackupType.MANUAL, Set.of(Component.ZEEBE), T).fail("x", T));

    // when
    int queued = service.queueDue();

    // then
    assertThat(queued).isEqualTo(1);
    assertThat(engine.queued()).containsExactly(VerificationService.operationOf("orders", new BackupId(43)));
  }

  @Test
  void shouldQueueAtMostPerSweepChecksTheLongestUncheckedFirst() {
    // given: a sweep that queues two at most, and four completed backups never checked or checked long ago
    VerificationService twoPerSweep =
        new VerificationService(backups, clusters, verifier, store, engine, clock, new VerificationService.Settings(Duration.ofHours(6), Duration.ofMinutes(1), 2));
    for (long id = 50; id < 54; id++) {
      Backup backup = Backup.requested("orders", new BackupId(id), Optional.empty(), BackupType.MANUAL, Set.of(Component.ZEEBE), T).complete(T);
      backups.insert(backup.withVerification(backup.verification().checked(List.of(), T.minus(Duration.ofHours(id - 40)))));
    }

    // when
    int first = twoPerSweep.queueDue();

    // then: two, the ones checked longest ago (53, 52)
    assertThat(first).isEqualTo(2);
    assertThat(engine.queued()).containsExactlyInAnyOrder(
        VerificationService.operationOf("orders", new BackupId(53)), VerificationService.operationOf("orders", new BackupId(52)));
  }

  @Test
  void shouldRecordNothingForABackupDeletedBeforeItsCheckRan() {
    // given
    Backup completed = completedBackup();
    service.verify(completed);
    backups.startDeleting(completed.startDeleting(T));
    verifier.findings.put("local-a", new BackupVerifier.Findings(List.of(SEGMENT + " is missing"), Map.of()));

    // when
    engine.runDue();

    // then
    assertThat(verifier.inspected).isEmpty();
    assertThat(events).isEmpty();
    assertThat(engine.queued()).isEmpty();
  }

  private Backup completedBackup() {
    Backup completed = Backup.requested("orders", ID, Optional.empty(), BackupType.MANUAL, Set.of(Component.ZEEBE), T).complete(T);
    backups.insert(completed);
    return completed;
  }

  /** Findings per region as the test sets them; or a store that cannot be read. */
  private static final class ScriptedVerifier implements BackupVerifier {
    final Map<String, Findings> findings = new ConcurrentHashMap<>();
    final List<String> inspected = new ArrayList<>();
    volatile boolean unavailable;
    volatile Runnable whileInspecting = () -> {};

    @Override
    public Findings inspect(Cluster cluster, BackupId id, String region) {
      inspected.add(region);
      whileInspecting.run();
      if (unavailable) {
        throw new VerificationUnavailable("connection refused", null);
      }
      return findings.getOrDefault(region, new Findings(List.of(), Map.of()));
    }
  }

  /** Records outcomes on the in-memory repository's backups, as the database keeps them on the backup's row. */
  private final class InMemoryVerifications implements VerificationStore {
    final Map<String, Long> remembered = new HashMap<>();

    @Override
    public boolean record(String clusterId, BackupId id, Verification verification) {
      Optional<Backup> backup = backups.find(clusterId, id).filter(b -> b.state() == dev.backstop.core.backup.BackupState.COMPLETED);
      if (backup.isEmpty()) {
        return false;
      }
      backups.reopen(backup.get().withVerification(verification));
      return true;
    }

    @Override
    public Map<String, Long> rememberedSizes(String clusterId, BackupId id) {
      return Map.copyOf(remembered);
    }

    @Override
    public void remember(String clusterId, BackupId id, Map<String, Long> sizes) {
      sizes.forEach(remembered::putIfAbsent);
    }

    @Override
    public List<Backup> dueForVerification(Instant checkedBefore, int limit) {
      // a store may return more than are due: this one returns every completed backup, in the order asked for
      return backups.list("orders").stream()
          .filter(b -> b.state() == dev.backstop.core.backup.BackupState.COMPLETED)
          .sorted(java.util.Comparator.comparing((Backup b) -> b.verification().at().orElse(Instant.MIN)))
          .limit(limit)
          .toList();
    }
  }
}
