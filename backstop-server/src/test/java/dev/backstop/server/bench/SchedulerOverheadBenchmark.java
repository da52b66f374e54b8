package dev.backstop.server.bench;

import dev.backstop.server.BackstopApplication;
import dev.backstop.server.support.Api;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What one Backstop instance sustains with many schedules: the cost of holding 10,000 schedules
 * (CPU of the Backstop JVM while idle, and the latency of db-scheduler's poll for due work) against
 * the baseline of the same instance with none, measured in the same run; how fast schedules are
 * set through the API; and how fast 10,000 runs that come due at once are dispatched.
 *
 * <p>No Camunda cluster is involved: the clusters are rows only, of an organization whose plan
 * excludes backups, so every dispatched run is recorded as skipped without touching a component;
 * that isolates the scheduler's own work. Run: {@code bench/scheduler-overhead.sh [schedules]}.
 */
public final class SchedulerOverheadBenchmark {

  private static final Duration IDLE_WINDOW = Duration.ofSeconds(30);

  public static void main(String[] args) throws Exception {
    int schedules = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    Path work = Files.createTempDirectory("backstop-scheduler-bench");
    try (EmbeddedPostgres database = EmbeddedPostgres.builder().setServerConfig("listen_addresses", "127.0.0.1").start();
        ConfigurableApplicationContext server =
            new SpringApplicationBuilder(BackstopApplication.class)
                .run(
                    "--server.port=0",
                    "--spring.datasource.url=" + database.getJdbcUrl("postgres", "postgres"),
                    "--spring.datasource.username=postgres",
                    "--backstop.security.key-encryption-key=" + dev.backstop.server.support.BackstopProcess.KEY_ENCRYPTION_KEY,
                    "--backstop.data-dir=" + work,
                    "--backstop.admin.client-id=bench",
                    "--backstop.security.component-networks=127.0.0.0/8",
                    "--backstop.admin.client-secret=bench-secret-0123456789",
                    "--logging.level.root=WARN")) {
      String url = "http://127.0.0.1:" + server.getEnvironment().getProperty("local.server.port");
      JdbcClient sql = JdbcClient.create(database.getPostgresDatabase());
      Api operator = Api.as(url, "bench", "bench-secret-0123456789");

      System.out.printf("scheduler overhead benchmark: %d schedules, db-scheduler polling every 10 s, %d cores%n",
          schedules, Runtime.getRuntime().availableProcessors());
      Measurement idle = measureIdle(sql);
      System.out.printf("baseline, no schedules:   CPU %.2f%% of one core, due-poll query %.2f ms%n", idle.cpuPercent(), idle.pollMillis());

      List<String> clusters = insertClusters(sql, schedules);
      long start = System.nanoTime();
      putSchedules(operator, clusters);
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf("set %d schedules through the API in %.1f s: %.0f per second (4 clients)%n", schedules, seconds, schedules / seconds);

      Measurement loaded = measureIdle(sql);
      System.out.printf("holding %d schedules: CPU %.2f%% of one core, due-poll query %.2f ms%n", schedules, loaded.cpuPercent(), loaded.pollMillis());
      System.out.printf("ratio loaded/baseline: CPU %.2f, due-poll query %.2f%n",
          loaded.cpuPercent() / Math.max(idle.cpuPercent(), 0.01), loaded.pollMillis() / Math.max(idle.pollMillis(), 0.001));
      System.out.printf("heap in use after a GC hint: %d MB%n", usedHeapAfterGc() / (1024 * 1024));

      // all come due at once
      sql.sql("update scheduled_tasks set execution_time = :now where task_name = 'scheduled-backup'").param("now", Timestamp.from(Instant.now())).update();
      start = System.nanoTime();
      while (sql.sql("select count(*) from schedule_runs").query(Long.class).single() < schedules) {
        Thread.sleep(200);
      }
      seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf("dispatched %d due runs (each recorded and rescheduled) in %.1f s: %.0f runs per second%n", schedules, seconds, schedules / seconds);
      long rescheduled = sql.sql("select count(*) from scheduled_tasks where task_name = 'scheduled-backup' and execution_time > now()").query(Long.class).single();
      System.out.printf("rescheduled to their next due time: %d of %d%n", rescheduled, schedules);
    }
  }

  private record Measurement(double cpuPercent, double pollMillis) {}

  private static Measurement measureIdle(JdbcClient sql) throws InterruptedException {
    com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpuBefore = os.getProcessCpuTime();
    long wallBefore = System.nanoTime();
    Thread.sleep(IDLE_WINDOW);
    double cpu = 100.0 * (os.getProcessCpuTime() - cpuBefore) / (System.nanoTime() - wallBefore);
    // db-scheduler's poll: the due, unpicked executions, oldest first
    List<Long> samples = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      long t = System.nanoTime();
      sql.sql("select task_name, task_instance from scheduled_tasks where picked = false and execution_time <= now() order by execution_time asc limit 32")
          .query((rs, row) -> rs.getString(1)).list();
      samples.add(System.nanoTime() - t);
    }
    samples.sort(Long::compare);
    return new Measurement(cpu, samples.get(samples.size() / 2) / 1e6);
  }

  private static List<String> insertClusters(JdbcClient sql, int count) {
    UUID organization = UUID.randomUUID();
    sql.sql("insert into organizations (id, name, plan, created_at) values (:id, 'bench', 'STARTER', now())").param("id", organization).update();
    sql.sql(
            "insert into clusters (id, name, organization_id, generation, region, location_type, components, storage, created_at)"
                + " select 'bench-' || n, 'bench-' || n, :org, '8.6.0', 'none', 'SAME_REGION', cast(:components as jsonb),"
                + " cast(:storage as jsonb), now() from generate_series(0, :last) as n")
        .param("org", organization)
        .param("last", count - 1)
        .param("components", "{\"zeebeManagementUrl\":\"http://127.0.0.1:1\",\"operateManagementUrl\":null,\"tasklistManagementUrl\":null,"
            + "\"optimizeManagementUrl\":null,\"search\":{\"url\":\"http://127.0.0.1:1\",\"repository\":\"r\",\"recordsIndexPrefix\":\"zeebe-record\"}}")
        .param("storage", "{\"zeebeBasePath\":\"z\",\"searchBasePath\":\"s\"}")
        .update();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ids.add("bench-" + i);
    }
    return ids;
  }

  private static void putSchedules(Api operator, List<String> clusters) throws Exception {
    try (ExecutorService clients = Executors.newFixedThreadPool(4)) {
      List<Future<?>> done = new ArrayList<>();
      for (int c = 0; c < 4; c++) {
        int offset = c;
        done.add(clients.submit(() -> {
          for (int i = offset; i < clusters.size(); i += 4) {
            Api.Answer answer = operator.putJson("/clusters/" + clusters.get(i) + "/backup-schedule",
                Map.of("frequency", "DAILY", "time", String.format("%02d:%02d", (i / 60) % 24, i % 60), "timeZone", "Europe/Berlin", "enabled", true));
            if (answer.status() != 200) {
              throw new IllegalStateException(answer.toString());
            }
          }
          return null;
        }));
      }
      for (Future<?> future : done) {
        future.get();
      }
    }
  }

  private static long usedHeapAfterGc() {
    System.gc();
    return Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
  }
}
