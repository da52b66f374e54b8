package dev.backstop.server.backup;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;

/**
 * The threads backup procedures and deletions run on: one virtual thread each (they mostly wait
 * on the components). On shutdown they are interrupted; a procedure interrupted mid-way stays
 * saved where it was and is taken over later.
 */
public final class BackupWorkers implements Executor, DisposableBean {

  private static final Logger LOG = LoggerFactory.getLogger(BackupWorkers.class);

  private final ExecutorService threads = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("backup-", 0).factory());

  @Override
  public void execute(Runnable task) {
    threads.execute(
        () -> {
          try {
            task.run();
          } catch (RuntimeException e) {
            LOG.error("Backup work failed unexpectedly; it will be retried when its lease runs out", e);
          }
        });
  }

  @Override
  public void destroy() throws InterruptedException {
    threads.shutdownNow();
    if (!threads.awaitTermination(10, TimeUnit.SECONDS)) {
      LOG.warn("Backup work still running at shutdown");
    }
  }
}
