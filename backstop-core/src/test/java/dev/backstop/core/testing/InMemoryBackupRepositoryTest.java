package dev.backstop.core.testing;

import dev.backstop.core.backup.BackupRepository;
import dev.backstop.core.operation.Ticket;
import java.time.Instant;

/** The in-memory stand-in keeps the repository contract, so that unit tests built on it mean something. */
class InMemoryBackupRepositoryTest extends BackupRepositoryContract {

  private final InMemoryOperationEngine engine = new InMemoryOperationEngine(new SettableClock(Instant.parse("2026-11-22T10:00:00Z")));
  private final InMemoryBackupRepository repository = new InMemoryBackupRepository("c-1");

  InMemoryBackupRepositoryTest() {
    repository.checkClaimsAgainst(engine::currentRun);
  }

  @Override
  protected BackupRepository repository() {
    return repository;
  }

  @Override
  protected String cluster() {
    return "c-1";
  }

  @Override
  protected Ticket nextRun(String operation) {
    engine.submit(operation);
    return engine.pick(operation);
  }
}
