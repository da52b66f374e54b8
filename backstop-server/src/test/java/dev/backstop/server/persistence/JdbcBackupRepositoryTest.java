package dev.backstop.server.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backstop.core.backup.BackupId;
import dev.backstop.core.backup.BackupRepository;
import dev.backstop.core.operation.Ticket;
import dev.backstop.core.testing.BackupRepositoryContract;
import dev.backstop.server.operation.OperationEngine;
import dev.backstop.server.support.MigratedDatabase;
import java.io.IOException;
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
