package dev.backstop.server.bench;

import dev.backstop.server.BackstopApplication;
import dev.backstop.server.support.Api;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
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
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * What one Backstop instance sustains with many schedules (100,000 by default): the cost of holding
 * them while idle (CPU of the Backstop JVM and of its PostgreSQL, and the latency of db-scheduler's
 * poll for due work) against two baselines measured in the same run, the instance with no clusters
 * and with the same clusters but no schedules; how fast schedules are set through the API; and how
 * fast runs that all come due at once are dispatched (each recorded and rescheduled).
 *
 * <p>No Camunda cluster is involved: the clusters are rows only, of an organization whose plan
 * excludes backups, so every dispatched run is recorded as skipped without touching a component;
 * that isolates the scheduler's own work. The first {@code throughApi} schedules (10,000 by
 * default) are set through the API, which gives the rate; the rest are written with SQL as the API
 * writes them (the schedule's row, and db-scheduler's execution due at the next run), checked
 * against the rows the API wrote. Other people's work shares the machine: the load average is
 * printed beside each figure. Run: {@code bench/scheduler-overhead.sh [schedules] [throughApi]
 * [dispatch limit in minutes, 20]}.
 */
public final class SchedulerOverheadBenchmark {

  private static final Duration IDLE_WINDOW = Duration.ofSeconds(30);
  private static final Duration SETTLE = Duration.ofSeconds(40);

  /** The next run of a DAILY schedule at its time in Europe/Berlin, as SQL over the rows of {@code s(id, t)}. */
  private static final String NEXT_RUN =
      "case when ((now() at time zone 'Europe/Berlin')::date + s.t) at time zone 'Europe/Berlin' > now()"
          + " then ((now() at time zone 'Europe/Berlin')::date + s.t) at time zone 'Europe/Berlin'"
          + " else ((now() at time zone 'Europe/Berlin')::date + 1 + s.t) at time zone 'Europe/Berlin' end";

  public static void main(String[] args) throws Exception {
    int schedules = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int throughApi = Math.min(schedules, args.length > 1 ? Integer.parseInt(args[1]) : 10_000);
    Duration dispatchLimit = Duration.ofMinutes(args.length > 2 ? Long.parseLong(args[2]) : 20);
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
      // one connection, kept: the library's data source connects anew for every statement, which would be timed as the poll
      JdbcClient sql = JdbcClient.create(new SingleConnectionDataSource(database.getPostgresDatabase().getConnection(), true));
      int postmaster = CpuMeter.postmasterOf(sql);
      Api operator = Api.as(url, "bench", "bench-secret-0123456789");

      System.out.printf("scheduler overhead benchmark: %d schedules (%d set through the API), db-scheduler polling every 10 s, %d cores%n",
          schedules, throughApi, Runtime.getRuntime().availableProcessors());
      System.out.println("CPU: % of one core over " + IDLE_WINDOW.toSeconds() + " s idle, Backstop's JVM + its PostgreSQL; the machine is shared (load averages 1/5 min)");
      Measurement none = measureIdle(sql, postmaster);
      System.out.println("baseline, no clusters:            " + none);

      List<String> clusters = insertClusters(sql, schedules);
      settle();
      Measurement unscheduled = measureIdle(sql, postmaster);
      System.out.printf("baseline, %d clusters, no schedule: %s%n", schedules, unscheduled);

      long start = System.nanoTime();
      putSchedules(operator, clusters.subList(0, throughApi));
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf("set %d schedules through the API in %.1f s: %.0f per second (4 clients; load %s)%n",
          throughApi, seconds, throughApi / seconds, CpuMeter.loadAverage());
      insertSchedulesAsTheApiDoes(sql, throughApi, schedules);
      settle();

      Measurement loaded = measureIdle(sql, postmaster);
      System.out.printf("holding %d schedules:           %s%n", schedules, loaded);
      System.out.printf("schedules' own overhead (against the same clusters without): CPU %+.2f points of one core, due-poll query %.2f x%n",
          loaded.cpuPercent() - unscheduled.cpuPercent(), loaded.pollMillis() / Math.max(unscheduled.pollMillis(), 0.001));
      System.out.printf("clusters' and schedules' overhead (against no clusters): CPU %+.2f points of one core%n", loaded.cpuPercent() - none.cpuPercent());
      System.out.printf("heap in use after a GC hint: %d MB%n", usedHeapAfterGc() / (1024 * 1024));

      // all come due at once (runs recorded before, of schedules whose time of day came while setting up, are not counted)
      long recordedBefore = sql.sql("select count(*) from schedule_runs").query(Long.class).single();
      sql.sql("update scheduled_tasks set execution_time = :now where task_name = 'scheduled-backup'").param("now", Timestamp.from(Instant.now())).update();
      start = System.nanoTime();
      long cpuBefore = CpuMeter.jvmNanos();
      long postgresBefore = CpuMeter.postgresNanos(postmaster);
      long recorded = 0;
      long lastReport = start;
      while (recorded < schedules && System.nanoTime() - start < dispatchLimit.toNanos()) {
        Thread.sleep(200);
        recorded = sql.sql("select count(*) from schedule_runs").query(Long.class).single() - recordedBefore;
        if (System.nanoTime() - lastReport > Duration.ofSeconds(30).toNanos()) {
          lastReport = System.nanoTime();
          System.out.printf("  ... %d runs recorded after %.0f s (load %s)%n", recorded, (lastReport - start) / 1e9, CpuMeter.loadAverage());
        }
      }
      seconds = (System.nanoTime() - start) / 1e9;
      double cpuSeconds = (CpuMeter.jvmNanos() - cpuBefore + CpuMeter.postgresNanos(postmaster) - postgresBefore) / 1e9;
      System.out.printf("dispatched %d of %d due runs (each recorded and rescheduled) in %.1f s: %.0f runs per second;"
              + " CPU %.2f ms per run (Backstop and PostgreSQL; load %s)%n",
          recorded, schedules, seconds, recorded / seconds, 1000 * cpuSeconds / Math.max(1, recorded), CpuMeter.loadAverage());
      long rescheduled = sql.sql("select count(*) from scheduled_tasks where task_name = 'scheduled-backup' and execution_time > now()").query(Long.class).single();
      System.out.printf("rescheduled to their next due time: %d of %d%n", rescheduled, schedules);
    }
  }

  /** CPU in % of one core while idle (Backstop's JVM and PostgreSQL's processes), the median due-poll query, the load average. */
  private record Measurement(double cpuPercent, double backstopPercent, double postgresPercent, double pollMillis, String load) {
    @Override
    public String toString() {
      return String.format("CPU %.2f%% (Backstop %.2f%%, PostgreSQL %.2f%%), due-poll query %.2f ms (load %s)",
          cpuPercent, backstopPercent, postgresPercent, pollMillis, load);
    }
  }

  /**
   * Waits until the per-cluster metrics have read the new clusters once (every 15 s): registering
   * 100,000 clusters' series is a one-time cost, not the idle one.
   */
  private static void settle() throws InterruptedException {
    Thread.sleep(SETTLE);
  }

  private static Measurement measureIdle(JdbcClient sql, int postmaster) throws InterruptedException {
    long cpuBefore = CpuMeter.jvmNanos();
    long postgresBefore = CpuMeter.postgresNanos(postmaster);
    long wallBefore = System.nanoTime();
    Thread.sleep(IDLE_WINDOW);
    long wall = System.nanoTime() - wallBefore;
    double backstop = 100.0 * (CpuMeter.jvmNanos() - cpuBefore) / wall;
    double postgres = 100.0 * (CpuMeter.postgresNanos(postmaster) - postgresBefore) / wall;
    // db-scheduler's poll: the due, unpicked executions, oldest first
    List<Long> samples = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      long t = System.nanoTime();
      sql.sql("select task_name, task_instance from scheduled_tasks where picked = false and execution_time <= now() order by execution_time asc limit 32")
          .query((rs, row) -> rs.getString(1)).list();
      samples.add(System.nanoTime() - t);
    }
    samples.sort(Long::compare);
    return new Measurement(backstop + postgres, backstop, postgres, samples.get(samples.size() / 2) / 1e6, CpuMeter.loadAverage());
  }

  /**
   * The schedules of clusters {@code from}..{@code to - 1} in SQL, as {@link #putSchedules} sets them
   * through the API; first checks the SQL against the rows the API wrote for the ones before (a
   * due time the clock passed since the API wrote it is a day later in SQL).
   */
  private static void insertSchedulesAsTheApiDoes(JdbcClient sql, int from, int to) {
    String rows = "(select 'bench-' || n as id, make_time((n / 60) % 24, n % 60, 0) as t from generate_series(:first, :last) n) s";
    long differing =
        sql.sql("select count(*) from " + rows + " join scheduled_tasks x on x.task_name = 'scheduled-backup' and x.task_instance = s.id"
                + " join backup_schedules b on b.cluster_id = s.id where (x.execution_time <> " + NEXT_RUN
                + " and x.execution_time + interval '1 day' <> " + NEXT_RUN + ") or b.local_time <> to_char(s.t, 'HH24:MI')")
            .param("first", 0).param("last", from - 1).query(Long.class).single();
    if (differing != 0) {
      throw new IllegalStateException(differing + " of the schedules set through the API differ from what the SQL would write");
    }
    if (from >= to) {
      return;
    }
    sql.sql("insert into backup_schedules (cluster_id, frequency, day_of_week, local_time, time_zone, enabled, updated_at)"
            + " select s.id, 'DAILY', null, to_char(s.t, 'HH24:MI'), 'Europe/Berlin', true, now() from " + rows)
        .param("first", from).param("last", to - 1).update();
    sql.sql("insert into scheduled_tasks (task_name, task_instance, task_data, execution_time, picked, version, priority)"
            + " select 'scheduled-backup', s.id, template.task_data, " + NEXT_RUN + ", false, 1, template.priority from " + rows + ","
            + " (select task_data, priority from scheduled_tasks where task_name = 'scheduled-backup' limit 1) template")
        .param("first", from).param("last", to - 1).update();
    sql.sql("analyze").update();
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
