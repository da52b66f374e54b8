package dev.backstop.server.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backstop.core.backup.Backup;
import dev.backstop.core.backup.BackupId;
import dev.backstop.core.backup.BackupRepository;
import dev.backstop.core.backup.BackupType;
import dev.backstop.core.backup.Component;
import dev.backstop.core.operation.Ownership;
import dev.backstop.core.operation.Ticket;
import dev.backstop.core.replication.Replication;
import dev.backstop.core.verification.Verification;
import dev.backstop.core.verification.VerificationState;
import dev.backstop.core.testing.BackupRepositoryContract;
import dev.backstop.server.operation.OperationEngine;
import dev.backstop.server.support.MigratedDatabase;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.converter.json.Jackson2ObjectMapperBuilder;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The JDBC repository keeps the repository contract on a real PostgreSQL, migrated by Flyway. */
class JdbcBackupRepositoryTest extends BackupRepositoryContract {

  private static final Instant T = Instant.parse("2026-11-23T12:00:00Z");

  private static MigratedDatabase database;
  private static DataSource dataSource;

  private final JdbcClient jdbc = JdbcClient.create(dataSource);
  private JdbcBackupRepository repository;
  private String cluster;

  @BeforeAll
  static void startDatabase() throws IOException {
    database = MigratedDatabase.start();
    dataSource = database.dataSource();
  }

  @AfterAll
  static void stopDatabase() throws IOException {
    database.close();
  }

  @BeforeEach
  void registerCluster() {
    ObjectMapper json = Jackson2ObjectMapperBuilder.json().build();
    repository = new JdbcBackupRepository(jdbc, new TransactionTemplate(new DataSourceTransactionManager(dataSource)), json);
    UUID organization = UUID.randomUUID();
    jdbc.sql("insert into organizations (id, name, plan, created_at) values (:id, :name, 'ENTERPRISE', now())")
        .param("id", organization).param("name", "org-" + organization).update();
    cluster = "cluster-" + UUID.randomUUID();
    jdbc.sql("insert into clusters (id, name, organization_id, generation, region, location_type, components, storage, created_at)"
            + " values (:id, 'contract', :org, '8.6.0', 'local-a', 'SAME_REGION', '{}'::jsonb, '{}'::jsonb, now())")
        .param("id", cluster).param("org", organization).update();
  }

  @Override
  protected BackupRepository repository() {
    return repository;
  }

  @Override
  protected String cluster() {
    return cluster;
  }

  @Override
  protected Ticket nextRun(String operation) {
    // What db-scheduler does to its row when an instance picks the execution: the version goes up.
    long version =
        jdbc.sql("insert into scheduled_tasks (task_name, task_instance, execution_time, picked, version)"
                + " values (:task, :operation, now(), true, 1)"
                + " on conflict (task_name, task_instance) do update set version = scheduled_tasks.version + 1 returning version")
            .param("task", OperationEngine.BACKUP_OPERATION)
            .param("operation", operation)
            .query(Long.class)
            .single();
    return new Ticket(operation, version);
  }

  @Test
  void shouldRecordAVerificationOnACompletedBackupOnlyAndNeverAnOlderOverANewer() {
    // given: a completed backup and a running one
    Backup completed = Backup.requested(cluster, new BackupId(10), Optional.empty(), BackupType.MANUAL, Set.of(Component.ZEEBE), T).complete(T);
    repository.insert(completed);
    assertThat(repository.find(cluster, new BackupId(10)).orElseThrow().verification().state()).isEqualTo(VerificationState.PENDING);
    Backup running = Backup.requested(cluster, new BackupId(11), Optional.empty(), BackupType.MANUAL, Set.of(Component.ZEEBE), T);
    repository.insert(running);

    // when
    Verification damaged = Verification.pending().checked(List.of("local-a: zeebe/1/10/0/segments/1.log is missing"), T.plusSeconds(60));
    boolean recorded = repository.record(cluster, new BackupId(10), damaged);
    boolean older = repository.record(cluster, new BackupId(10), Verification.pending().checked(List.of(), T.plusSeconds(30)));
    boolean notCompleted = repository.record(cluster, new BackupId(11), Verification.pending().checked(List.of(), T.plusSeconds(60)));

    // then
    assertThat(recorded).isTrue();
    assertThat(older).isFalse();
    assertThat(notCompleted).isFalse();
    assertThat(repository.find(cluster, new BackupId(10)).orElseThrow().verification()).isEqualTo(damaged);
    assertThat(repository.find(cluster, new BackupId(11)).orElseThrow().verification().state()).isEqualTo(VerificationState.PENDING);
  }

  @Test
  void shouldFindOnlyTheCompletedBackupsDueForACheckTheLongestUncheckedFirstUpToTheLimit() {
    // given: completed backups never checked (20), checked long ago (21), checked just now (22),
    // checked just now but copied to the secondary region since (23); and one still running (24)
    Instant now = T.plus(Duration.ofDays(1));
    repository.insert(completedAt(20));
    repository.insert(completedAt(21));
    repository.record(cluster, new BackupId(21), Verification.pending().checked(List.of(), now.minus(Duration.ofHours(7))));
    repository.insert(completedAt(22));
    repository.record(cluster, new BackupId(22), Verification.pending().checked(List.of(), now.minus(Duration.ofMinutes(5))));
    repository.insert(completedAt(23).withReplication(Replication.pending().inProgress(T).completed(now.minus(Duration.ofMinutes(1)))));
    repository.record(cluster, new BackupId(23), Verification.pending().checked(List.of(), now.minus(Duration.ofMinutes(5))));
    repository.insert(Backup.requested(cluster, new BackupId(24), Optional.empty(), BackupType.MANUAL, Set.of(Component.ZEEBE), T));

    // when
    List<Backup> due = repository.dueForVerification(now.minus(Duration.ofHours(6)), 10_000);

    // then: the never checked, the one checked 7 hours ago and the one copied since its check
    assertThat(due.stream().filter(b -> b.clusterId().equals(cluster)).map(Backup::id))
        .containsExactly(new BackupId(20), new BackupId(21), new BackupId(23));
    // and a limit takes the first of that order
    List<Backup> two = repository.dueForVerification(now.minus(Duration.ofHours(6)), 2);
    assertThat(two).extracting(Backup::id).containsExactlyElementsOf(due.subList(0, 2).stream().map(Backup::id).toList());
  }

  private Backup completedAt(long id) {
    return Backup.requested(cluster, new BackupId(id), Optional.empty(), BackupType.MANUAL, Set.of(Component.ZEEBE), T).complete(T);
  }

  @Test
  void shouldKeepTheVerificationWhenTheBackupsOperationSavesItsProgress() {
    // given: a completed backup found damaged
    Backup completed = Backup.requested(cluster, new BackupId(12), Optional.empty(), BackupType.MANUAL, Set.of(Component.ZEEBE), T).complete(T);
    repository.insert(completed);
    Ownership owner = repository.claim(cluster, new BackupId(12), nextRun(cluster + "/12"));
    repository.record(cluster, new BackupId(12), Verification.pending().checked(List.of("gone"), T.plusSeconds(5)));

    // when: its operation (e.g. its replication) saves the copy of the backup it read before
    repository.update(completed.withRetry(null), owner);

    // then
    assertThat(repository.find(cluster, new BackupId(12)).orElseThrow().verification().damaged()).isTrue();
  }

  @Test
  void shouldRememberTheFirstSizeOfAnObjectAndForgetThemWithTheBackup() {
    // given
    Backup completed = Backup.requested(cluster, new BackupId(13), Optional.empty(), BackupType.MANUAL, Set.of(Component.ZEEBE), T).complete(T);
    repository.insert(completed);

    // when
    repository.remember(cluster, new BackupId(13), Map.of("zeebe/1/13/0/segments/1.log", 134217728L));
    repository.remember(cluster, new BackupId(13), Map.of("zeebe/1/13/0/segments/1.log", 4096L, "zeebe/1/13/0/snapshot/a", 7L));

    // then
    assertThat(repository.rememberedSizes(cluster, new BackupId(13)))
        .containsExactlyInAnyOrderEntriesOf(Map.of("zeebe/1/13/0/segments/1.log", 134217728L, "zeebe/1/13/0/snapshot/a", 7L));
    Ownership owner = repository.claim(cluster, new BackupId(13), nextRun(cluster + "/13"));
    repository.remove(cluster, new BackupId(13), owner);
    assertThat(repository.rememberedSizes(cluster, new BackupId(13))).isEmpty();
  }

  @Test
  void shouldCountTheIdsAllocatedForTheSameZeebeUnderAnotherClusterEvenOnceThatClusterIsGone() {
    // given: two clusters registered with the same Zeebe, and a third with another one
    String first = clusterWithZeebe("http://zeebe-a:9600");
    String second = clusterWithZeebe("http://zeebe-a:9600");
    String elsewhere = clusterWithZeebe("http://zeebe-b:9600");

    // when: an id is allocated for the first, which is then deleted
    repository.recordAllocatedId(first, new BackupId(2_000_000_000L));
    jdbc.sql("delete from clusters where id = :id").param("id", first).update();

    // then: the second cluster's next id must be above it; the other Zeebe's need not
    assertThat(repository.lastAllocatedId(second)).contains(new BackupId(2_000_000_000L));
    assertThat(repository.lastAllocatedId(elsewhere)).isEmpty();
    repository.recordAllocatedId(second, new BackupId(2_000_000_001L));
    assertThat(repository.lastAllocatedId(second)).contains(new BackupId(2_000_000_001L));
  }

  private String clusterWithZeebe(String zeebeManagementUrl) {
    UUID organization = UUID.randomUUID();
    jdbc.sql("insert into organizations (id, name, plan, created_at) values (:id, :name, 'ENTERPRISE', now())")
        .param("id", organization).param("name", "org-" + organization).update();
    String id = "cluster-" + UUID.randomUUID();
    jdbc.sql("insert into clusters (id, name, organization_id, generation, region, location_type, components, storage, created_at)"
            + " values (:id, 'shared-zeebe', :org, '8.6.0', 'local-a', 'SAME_REGION', cast(:components as jsonb), '{}'::jsonb, now())")
        .param("id", id).param("org", organization)
        .param("components", "{\"zeebeManagementUrl\": \"" + zeebeManagementUrl + "\"}").update();
    return id;
  }
}
