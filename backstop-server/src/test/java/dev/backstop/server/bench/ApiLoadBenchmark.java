package dev.backstop.server.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backstop.core.backup.Component;
import dev.backstop.core.backup.ComponentPart;
import dev.backstop.core.backup.PartState;
import dev.backstop.core.cluster.Cluster;
import dev.backstop.core.cluster.ComponentEndpoints;
import dev.backstop.core.cluster.PreflightReport;
import dev.backstop.core.replication.Replication;
import dev.backstop.server.BackstopApplication;
import dev.backstop.server.support.Api;
import dev.backstop.server.support.BackstopProcess;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import javax.sql.DataSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * The read API under load: 10,000 registered clusters (1,000 organizations of 10) holding 100,000
 * backups (10 each), on the embedded default database and on an external PostgreSQL (a second
 * server started here and given to Backstop as {@code spring.datasource.url}), in one run.
 *
 * <p>The rows are seeded with SQL in the shapes Backstop writes (components, storage, runtime,
 * preflight, parts and replication serialized by Backstop's own ObjectMapper from the domain's
 * records): most backups completed with their parts' snapshot names, one failed with a reason,
 * the newest in progress with pending parts. Each organization has one API client (read
 * permissions). Its secret's BCrypt hash has cost 4 instead of the default 10, only so that 1,000
 * tokens are had in seconds; the token endpoint is not measured.
 *
 * <p>A closed-loop load generator in this JVM ({@code clients} platform threads sharing one
 * {@link HttpClient}, each sending its next request when the last is answered) measures, for a
 * fixed window after a warm-up, each endpoint alone and the four mixed, every request as a random
 * organization's client on one of its clusters and backups: GET /clusters, GET /clusters/{id}, GET
 * /clusters/{id}/backups, GET /clusters/{id}/backups/{backupId}. It prints p50/p90/p99/max and
 * requests per second, against the targets (p99 below 50 ms, above 2,000 requests per second on
 * 2 cores); then the operator's GET /clusters over all clusters, which has no target.
 *
 * <p>Backstop, its database and the load generator share the machine's cores, and other people's
 * work shares them too: the load average is printed beside each figure, and so is the CPU time a
 * request cost Backstop (this JVM less the load generator's threads) and PostgreSQL (its
 * processes, from /proc), which tells what 2 cores of their own would sustain. Run: {@code bench/api-load.sh
 * [clients, 16] [window seconds, 15]}.
 */
public final class ApiLoadBenchmark {

  static final int ORGANIZATIONS = 1_000;
  static final int CLUSTERS_PER_ORGANIZATION = 10;
  static final int BACKUPS_PER_CLUSTER = 10;
  static final long FIRST_BACKUP_ID = 1_700_000_000_000L;
  static final double TARGET_P99_MILLIS = 50;
  static final double TARGET_REQUESTS_PER_SECOND = 2_000;
  static final String SECRET = "bench-client-secret-0123456789";
  static final String OPERATOR = "bench";
  static final String OPERATOR_SECRET = "bench-secret-0123456789";

  /** One organization's client, its clusters and their backup ids, as the load picks from. */
  record Tenant(String token, List<String> clusters) {}

  /**
   * What one window measured; {@code backstopCpuNanos} is the JVM's CPU less the load generator's
   * threads (its clients and the HttpClient's), {@code postgresCpuNanos} the database server's;
   * {@code loadAverage} the machine's at the window's end.
   */
  record Figures(String scenario, int requests, int errors, double seconds, long[] sortedNanos, long backstopCpuNanos, long postgresCpuNanos,
      String loadAverage) {
    Figures named(String name) {
      return new Figures(name, requests, errors, seconds, sortedNanos, backstopCpuNanos, postgresCpuNanos, loadAverage);
    }

    double cpuMillisPerRequest() {
      return (backstopCpuNanos + postgresCpuNanos) / 1e6 / Math.max(1, requests);
    }

    double percentile(double p) {
      return sortedNanos.length == 0 ? Double.NaN : sortedNanos[(int) Math.min(sortedNanos.length - 1, Math.ceil(p * sortedNanos.length) - 1)] / 1e6;
    }

    double perSecond() {
      return requests / seconds;
    }
  }

  public static void main(String[] args) throws Exception {
    int clients = args.length > 0 ? Integer.parseInt(args[0]) : 16;
    Duration window = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 15);
    System.out.printf("API load benchmark: %d organizations x %d clusters x %d backups, %d closed-loop clients, %d s windows, %d cores%n",
        ORGANIZATIONS, CLUSTERS_PER_ORGANIZATION, BACKUPS_PER_CLUSTER, clients, window.toSeconds(), Runtime.getRuntime().availableProcessors());
    System.out.println("Backstop, its PostgreSQL and the load generator share the machine (with others' work: see the load averages).");
    List<Figures> all = new ArrayList<>();
    Path work = Files.createTempDirectory("backstop-api-bench");
    try (ConfigurableApplicationContext server = start(work.resolve("embedded"), Optional.empty())) {
      all.addAll(run("embedded default database", server, clients, window, window.multipliedBy(2)));
    }
    try (EmbeddedPostgres external = EmbeddedPostgres.builder().setServerConfig("listen_addresses", "127.0.0.1").start();
        ConfigurableApplicationContext server = start(work.resolve("external"), Optional.of(external))) {
      all.addAll(run("external PostgreSQL", server, clients, window, window.dividedBy(2)));
    }
    System.out.println();
    System.out.println("summary (target: p99 < 50 ms and > 2,000 requests/s):");
    all.forEach(f -> System.out.println("  " + line(f)));
  }

  private static ConfigurableApplicationContext start(Path dataDir, Optional<EmbeddedPostgres> external) {
    List<String> args = new ArrayList<>(List.of(
        "--server.port=0",
        "--backstop.data-dir=" + dataDir,
        "--backstop.admin.client-id=" + OPERATOR,
        "--backstop.admin.client-secret=" + OPERATOR_SECRET,
        "--backstop.security.component-networks=127.0.0.0/8",
        "--backstop.regions.local-a.endpoint=http://127.0.0.1:1",
        "--backstop.regions.local-a.bucket=unused"));
    external.ifPresent(db -> {
      args.add("--spring.datasource.url=" + db.getJdbcUrl("postgres", "postgres"));
      args.add("--spring.datasource.username=postgres");
      args.add("--backstop.security.key-encryption-key=" + BackstopProcess.KEY_ENCRYPTION_KEY);
    });
    return new SpringApplicationBuilder(BackstopApplication.class).run(args.toArray(String[]::new));
  }

  private static List<Figures> run(String database, ConfigurableApplicationContext server, int clients, Duration window, Duration warmUp)
      throws Exception {
    String url = "http://127.0.0.1:" + server.getEnvironment().getProperty("local.server.port");
    JdbcClient sql = JdbcClient.create(server.getBean(DataSource.class));
    System.out.printf("%n== %s (%s) ==%n", database, sql.sql("select version()").query(String.class).single().replaceAll(" on .*", ""));
    long start = System.nanoTime();
    seed(sql, server.getBean(ObjectMapper.class));
    System.out.printf("seeded %d clusters and %d backups in %.1f s%n",
        sql.sql("select count(*) from clusters").query(Long.class).single(),
        sql.sql("select count(*) from backups").query(Long.class).single(),
        (System.nanoTime() - start) / 1e9);

    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    start = System.nanoTime();
    List<Tenant> tenants = tenants(sql, http, url);
    System.out.printf("obtained %d client tokens in %.1f s%n", tenants.size(), (System.nanoTime() - start) / 1e9);

    Map<String, Function<Tenant, String>> endpoints = new java.util.LinkedHashMap<>();
    endpoints.put("GET /clusters", t -> "/clusters");
    endpoints.put("GET /clusters/{id}", t -> "/clusters/" + any(t.clusters()));
    endpoints.put("GET /clusters/{id}/backups", t -> "/clusters/" + any(t.clusters()) + "/backups");
    endpoints.put("GET /clusters/{id}/backups/{backupId}",
        t -> "/clusters/" + any(t.clusters()) + "/backups/" + (FIRST_BACKUP_ID + ThreadLocalRandom.current().nextInt(BACKUPS_PER_CLUSTER)));
    List<Function<Tenant, String>> each = List.copyOf(endpoints.values());
    Function<Tenant, String> mixed = t -> each.get(ThreadLocalRandom.current().nextInt(each.size())).apply(t);

    int postmaster = CpuMeter.postmasterOf(sql);
    // warm-up, not counted: the JIT compiles each path (its threads' CPU counts as Backstop's), the
    // database caches its pages; the first database warms the JVM for the second too
    for (Function<Tenant, String> endpoint : each) {
      load(http, url, postmaster, tenants, clients, warmUp, endpoint);
    }
    List<Figures> figures = new ArrayList<>();
    for (Map.Entry<String, Function<Tenant, String>> endpoint : endpoints.entrySet()) {
      figures.add(report(database, endpoint.getKey(), load(http, url, postmaster, tenants, clients, window, endpoint.getValue())));
    }
    figures.add(report(database, "mixed (the four, evenly)", load(http, url, postmaster, tenants, clients, window, mixed)));

    String operatorToken = token(http, url, OPERATOR, OPERATOR_SECRET);
    Tenant operator = new Tenant(operatorToken, List.of());
    HttpResponse<byte[]> all = http.send(get(url, "/clusters", operatorToken), HttpResponse.BodyHandlers.ofByteArray());
    Figures listAll = load(http, url, postmaster, List.of(operator), 1, window, t -> "/clusters");
    System.out.printf("extra, no target: the operator's GET /clusters lists all %d clusters in one answer of %.1f MB (no paging: it grows with the installation)%n",
        Api.JSON.readTree(all.body()).size(), all.body().length / 1e6);
    System.out.printf("  %s%n", line(listAll.named(database + ": operator's GET /clusters (1 client)")));
    return figures;
  }

  private static Figures report(String database, String scenario, Figures measured) {
    Figures named = measured.named(database + ": " + scenario);
    System.out.println("  " + line(named));
    return named;
  }

  private static String line(Figures f) {
    boolean pass = f.percentile(0.99) < TARGET_P99_MILLIS && f.perSecond() > TARGET_REQUESTS_PER_SECOND && f.errors() == 0;
    return String.format(
        "%-62s %6.0f req/s  p50 %6.2f  p90 %6.2f  p99 %7.2f  max %7.1f ms  errors %d  load %s  %s%n      CPU per request %.2f ms"
            + " (Backstop %.2f, PostgreSQL %.2f): on 2 cores of its own, ~%.0f req/s",
        f.scenario(), f.perSecond(), f.percentile(0.50), f.percentile(0.90), f.percentile(0.99), f.percentile(1.0), f.errors(), f.loadAverage(),
        f.scenario().contains("operator") ? "(no target)" : pass ? "PASS" : "MISS",
        f.cpuMillisPerRequest(), f.backstopCpuNanos() / 1e6 / Math.max(1, f.requests()), f.postgresCpuNanos() / 1e6 / Math.max(1, f.requests()),
        2000 / f.cpuMillisPerRequest());
  }

  /** Closed loop: each client sends its next request as soon as its last is answered, for the window. */
  private static Figures load(
      HttpClient http, String url, int postmaster, List<Tenant> tenants, int clients, Duration window, Function<Tenant, String> path) throws Exception {
    AtomicBoolean stop = new AtomicBoolean();
    record Samples(long[] nanos, int count, int errors, long cpuNanos) {}
    try (ExecutorService pool = Executors.newFixedThreadPool(clients, Thread.ofPlatform().name("load-client-", 0).factory())) {
      List<Future<Samples>> running = new ArrayList<>();
      long jvmBefore = CpuMeter.jvmNanos();
      long httpClientBefore = CpuMeter.threadsNanos(ApiLoadBenchmark::httpClientThread);
      long postgresBefore = CpuMeter.postgresNanos(postmaster);
      long begin = System.nanoTime();
      for (int c = 0; c < clients; c++) {
        running.add(pool.submit(() -> {
          long cpuBefore = CpuMeter.currentThreadNanos();
          long[] nanos = new long[1 << 16];
          int count = 0;
          int errors = 0;
          while (!stop.get()) {
            Tenant tenant = tenants.get(ThreadLocalRandom.current().nextInt(tenants.size()));
            HttpRequest request = get(url, path.apply(tenant), tenant.token());
            long t = System.nanoTime();
            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
            long took = System.nanoTime() - t;
            if (response.statusCode() != 200) {
              errors++;
            }
            if (count == nanos.length) {
              nanos = Arrays.copyOf(nanos, nanos.length * 2);
            }
            nanos[count++] = took;
          }
          return new Samples(nanos, count, errors, CpuMeter.currentThreadNanos() - cpuBefore);
        }));
      }
      Thread.sleep(window);
      stop.set(true);
      List<Samples> samples = new ArrayList<>();
      for (Future<Samples> future : running) {
        samples.add(future.get());
      }
      double seconds = (System.nanoTime() - begin) / 1e9;
      long loadGenerator = samples.stream().mapToLong(Samples::cpuNanos).sum() + CpuMeter.threadsNanos(ApiLoadBenchmark::httpClientThread) - httpClientBefore;
      long backstop = CpuMeter.jvmNanos() - jvmBefore - loadGenerator;
      long postgres = CpuMeter.postgresNanos(postmaster) - postgresBefore;
      long[] merged = samples.stream().flatMapToLong(s -> Arrays.stream(s.nanos(), 0, s.count())).sorted().toArray();
      return new Figures("", merged.length, samples.stream().mapToInt(Samples::errors).sum(), seconds, merged, backstop, postgres, CpuMeter.loadAverage());
    }
  }

  private static boolean httpClientThread(String name) {
    return name.startsWith("HttpClient-");
  }

  private static <T> T any(List<T> values) {
    return values.get(ThreadLocalRandom.current().nextInt(values.size()));
  }

  private static HttpRequest get(String url, String path, String token) {
    return HttpRequest.newBuilder(URI.create(url + path)).header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)).GET().build();
  }

  private static String token(HttpClient http, String url, String clientId, String secret) throws Exception {
    HttpResponse<String> answer = http.send(
        HttpRequest.newBuilder(URI.create(url + "/oauth/token"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=" + clientId + "&client_secret=" + secret))
            .build(),
        HttpResponse.BodyHandlers.ofString());
    if (answer.statusCode() != 200) {
      throw new IllegalStateException("token for " + clientId + ": " + answer.statusCode() + " " + answer.body());
    }
    return Api.JSON.readTree(answer.body()).path("access_token").asText();
  }

  /** Every organization's client gets its token once, before any measurement (4 at a time). */
  private static List<Tenant> tenants(JdbcClient sql, HttpClient http, String url) throws Exception {
    Map<String, List<String>> clustersByClient = new java.util.TreeMap<>();
    sql.sql("select a.client_id, c.id from api_clients a join clusters c on c.organization_id = a.organization_id")
        .query((rs, row) -> clustersByClient.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2)))
        .list();
    try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
      List<Future<Tenant>> tenants = new ArrayList<>();
      clustersByClient.forEach((client, clusters) -> tenants.add(pool.submit(() -> new Tenant(token(http, url, client, SECRET), List.copyOf(clusters)))));
      List<Tenant> result = new ArrayList<>();
      for (Future<Tenant> tenant : tenants) {
        result.add(tenant.get());
      }
      return result;
    }
  }

  /** Organizations, their clients, clusters and backups, in the shapes Backstop writes them. */
  static void seed(JdbcClient sql, ObjectMapper json) throws Exception {
    Instant now = Instant.now();
    String components = json.writeValueAsString(new ComponentEndpoints(
        "http://127.0.0.1:9600", Optional.of("http://127.0.0.1:9601"), Optional.of("http://127.0.0.1:9602"), Optional.empty(),
        new ComponentEndpoints.Search("http://127.0.0.1:9200", "backstop", ComponentEndpoints.Search.DEFAULT_RECORDS_INDEX_PREFIX, Optional.empty(), Optional.empty()),
        Optional.empty()));
    String storage = json.writeValueAsString(new Cluster.StorageLayout("zeebe", "search", Optional.empty()));
    String runtime = json.writeValueAsString(Cluster.Runtime.MANUAL);
    List<PreflightReport.Check> checks = new ArrayList<>();
    for (String component : List.of("zeebe", "operate", "tasklist", "search")) {
      checks.add(new PreflightReport.Check(component, true, true, Optional.of("8.6.0"), "reachable, backups configured"));
    }
    String preflight = json.writeValueAsString(new PreflightReport(now, checks));
    Map<Component, ComponentPart> completedParts = new EnumMap<>(Component.class);
    Map<Component, ComponentPart> failedParts = new EnumMap<>(Component.class);
    for (Component component : List.of(Component.ZEEBE, Component.OPERATE, Component.TASKLIST, Component.ZEEBE_RECORDS)) {
      completedParts.put(component, new ComponentPart(PartState.COMPLETED, "completed",
          component == Component.ZEEBE ? List.of() : List.of("camunda_" + component.name().toLowerCase() + "_snapshot_1_of_2", "camunda_" + component.name().toLowerCase() + "_snapshot_2_of_2")));
      failedParts.put(component, component == Component.OPERATE
          ? new ComponentPart(PartState.FAILED, "Operate did not complete its backup within PT30M", List.of())
          : new ComponentPart(PartState.DELETED, "removed after the backup failed", List.of()));
    }
    String replication = json.writeValueAsString(Replication.notRequired());

    sql.sql("insert into organizations (id, name, plan, created_at) select gen_random_uuid(), 'org-' || n, 'BUSINESS', now() from generate_series(1, :n) n")
        .param("n", ORGANIZATIONS).update();
    sql.sql("insert into api_clients (client_id, name, secret_hash, organization_id, permissions, created_at)"
            + " select 'client-' || o.name, 'bench', :hash, o.id, array['clusters:read', 'backups:read'], now() from organizations o")
        .param("hash", new BCryptPasswordEncoder(4).encode(SECRET)).update();
    sql.sql("insert into clusters (id, name, organization_id, generation, region, location_type, components, storage, preflight, created_at, runtime, last_backup_id)"
            + " select gen_random_uuid()::text, 'cluster-' || n, o.id, '8.6.0', 'local-a', 'SAME_REGION', cast(:components as jsonb), cast(:storage as jsonb),"
            + " cast(:preflight as jsonb), now(), cast(:runtime as jsonb), :last from organizations o, generate_series(1, :n) n")
        .param("components", components).param("storage", storage).param("preflight", preflight).param("runtime", runtime)
        .param("last", FIRST_BACKUP_ID + BACKUPS_PER_CLUSTER - 1).param("n", CLUSTERS_PER_ORGANIZATION).update();
    // the newest backup of each cluster failed (its parts cleaned up), the rest completed; none has work left,
    // so that no operation runs against the clusters' unreachable components during the measurement
    sql.sql("insert into backups (cluster_id, backup_id, name, type, state, step, step_started_at, exporting_paused, parts, created_at, completed_at,"
            + " failure_reason, replication, has_work, occupies_cluster)"
            + " select c.id, :first + k, case when k % 2 = 0 then 'scheduled' else 'before-upgrade-' || k end,"
            + " case when k % 2 = 0 then 'SCHEDULED' else 'MANUAL' end,"
            + " case k when :last then 'FAILED' else 'COMPLETED' end, case k when :last then 'CLEANED_UP' else 'DONE' end, now(), false,"
            + " cast(case k when :last then :failed else :completed end as jsonb), now() - (:last - k) * interval '1 day',"
            + " now() - (:last - k) * interval '1 day' + interval '3 minutes',"
            + " case k when :last then 'Operate did not complete its backup within PT30M' end, cast(:replication as jsonb), false, false"
            + " from clusters c, generate_series(0, :last) k")
        .param("first", FIRST_BACKUP_ID).param("last", BACKUPS_PER_CLUSTER - 1)
        .param("failed", json.writeValueAsString(failedParts)).param("completed", json.writeValueAsString(completedParts))
        .param("replication", replication).update();
    sql.sql("analyze").update();
  }
}
