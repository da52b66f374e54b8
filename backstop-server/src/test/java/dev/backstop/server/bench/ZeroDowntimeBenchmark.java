package dev.backstop.server.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backstop.testbed.Http;
import dev.backstop.testbed.Testbed;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Whether backups cost the cluster's work: a steady load of the test bed's order process (creators
 * start instances through Zeebe's REST API, workers activate their user-task jobs and complete
 * them, which ends the instance), measured in the same run in three phases of the same length: no
 * backups; Backstop's backups back to back; the documented script's backups back to back ({@link
 * BenchBed#byScript()}). Repetitions alternate which backup phase goes first.
 *
 * <p>The figure of a phase is the process instances completed per second in its window (each
 * completion is an instance created and run to its end), and the failed requests (any answer
 * but success, or no answer) of the load. A backup still running when a window ends is finished
 * before the next phase starts, outside any window.
 *
 * <p>Back to back, the faster of the two takes more backups in a window, and each costs the
 * cluster work (snapshots, Zeebe's full copy of its log, Backstop's check of the backup). So the
 * program also prints the instances per second lost per backup, and with a cadence ({@code
 * cadence} seconds, longer than either backup) both start a backup at the same ticks, take the
 * same number, and their phases compare one backup's cost against the other's.
 *
 * <p>Run: {@code bench/zero-downtime.sh [seconds per phase, 45] [repetitions, 1] [creators, 4]
 * [workers, 2] [cadence in seconds, 0: back to back]}.
 */
public final class ZeroDowntimeBenchmark {

  private static final double TARGET_VS_SCRIPT = 1.0;
  private static final String USER_TASK_JOB = "io.camunda.zeebe:userTask";

  /** The load's counters of one phase. */
  private static final class Counters {
    final AtomicLong created = new AtomicLong();
    final AtomicLong completed = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final List<String> firstFailures = java.util.Collections.synchronizedList(new ArrayList<>());

    void fail(String what) {
      failed.incrementAndGet();
      if (firstFailures.size() < 5) {
        firstFailures.add(what);
      }
    }
  }

  private record Phase(String name, double perSecond, long created, long failed, int backups, List<String> failures) {}

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 45;
    int repetitions = args.length > 1 ? Integer.parseInt(args[1]) : 1;
    int creators = args.length > 2 ? Integer.parseInt(args[2]) : 4;
    int workers = args.length > 3 ? Integer.parseInt(args[3]) : 2;
    int cadence = args.length > 4 ? Integer.parseInt(args[4]) : 0;
    try (BenchBed bed = BenchBed.start()) {
      System.out.printf("test bed ready in %d s; %d s per phase, %d repetitions, %d creators, %d workers, backups %s; load average %s%n",
          bed.testbed.startDuration().toSeconds(), seconds, repetitions, creators, workers,
          cadence == 0 ? "back to back" : "started every " + cadence + " s", BenchBed.loadAverage());
      Load load = new Load(bed.testbed, creators, workers);
      load.start();
      try {
        BenchBed.sleep(10_000); // warm up: the load settles, nothing measured
        // Two untimed backups by the script: the repository's first snapshots copy every index
        // whole (whichever phase took the first backup would pay for it), the second what the
        // importers wrote meanwhile; then the load settles again.
        for (int warmUp = 1; warmUp <= 2; warmUp++) {
          System.out.printf("untimed backup %d by the script under the load: %d ms%n", warmUp, bed.byScript().totalMillis());
        }
        BenchBed.sleep(10_000);
        List<Phase> none = new ArrayList<>();
        List<Phase> backstop = new ArrayList<>();
        List<Phase> script = new ArrayList<>();
        for (int rep = 1; rep <= repetitions; rep++) {
          none.add(phase(load, "no backups", seconds, 0, null));
          boolean backstopFirst = rep % 2 == 1;
          for (int turn = 0; turn < 2; turn++) {
            if ((turn == 0) == backstopFirst) {
              backstop.add(phase(load, "backstop's backups", seconds, cadence, bed::throughBackstop));
            } else {
              script.add(phase(load, "script's backups", seconds, cadence, bed::byScript));
            }
          }
        }
        double n = mean(none);
        double b = mean(backstop);
        double s = mean(script);
        System.out.printf("mean instances/s: no backups %.1f, backstop's backups %.1f, script's backups %.1f%n", n, b, s);
        System.out.printf("backstop / script:      %.2f  target >= %.1f  %s%n", b / s, TARGET_VS_SCRIPT, b / s >= TARGET_VS_SCRIPT ? "PASS" : "MISS");
        System.out.printf("backstop / no backups:  %.2f%n", b / n);
        System.out.printf("script / no backups:    %.2f%n", s / n);
        System.out.printf("instances/s lost per backup in a phase: backstop %.2f (%.1f backups a phase), script %.2f (%.1f backups a phase)%n",
            (n - b) / meanBackups(backstop), meanBackups(backstop), (n - s) / meanBackups(script), meanBackups(script));
        long failed = failedOf(none) + failedOf(backstop) + failedOf(script);
        System.out.printf("failed requests: no backups %d, backstop %d, script %d  target 0  %s%n",
            failedOf(none), failedOf(backstop), failedOf(script), failed == 0 ? "PASS" : "MISS");
        System.out.printf("load average at the end: %s (2 cores, shared with other developers' runs)%n", BenchBed.loadAverage());
      } finally {
        load.stop();
      }
    }
  }

  private static long failedOf(List<Phase> phases) {
    return phases.stream().mapToLong(Phase::failed).sum();
  }

  private static double meanBackups(List<Phase> phases) {
    return phases.stream().mapToInt(Phase::backups).average().orElse(Double.NaN);
  }

  private static double mean(List<Phase> phases) {
    return phases.stream().mapToDouble(Phase::perSecond).average().orElse(Double.NaN);
  }

  /** One measured window; backups (if any) run back to back during it, or start every {@code cadence} seconds. */
  private static Phase phase(Load load, String name, int seconds, int cadence, Supplier<BenchBed.Run> backup) throws InterruptedException {
    AtomicBoolean windowOpen = new AtomicBoolean(true);
    int[] backups = new int[1];
    List<Long> backupMillis = java.util.Collections.synchronizedList(new ArrayList<>());
    Thread backupLoop = backup == null ? null : Thread.ofPlatform().start(() -> {
      long nextStart = System.nanoTime();
      while (windowOpen.get()) {
        backupMillis.add(backup.get().totalMillis());
        backups[0]++;
        nextStart += cadence * 1_000_000_000L;
        while (windowOpen.get() && System.nanoTime() < nextStart) {
          BenchBed.sleep(20);
        }
      }
    });
    Counters counters = load.measure();
    long start = System.nanoTime();
    BenchBed.sleep(seconds * 1000L);
    load.measure(); // the window's counters are final from here on
    double elapsed = BenchBed.sinceNanos(start).toMillis() / 1000.0;
    windowOpen.set(false);
    if (backupLoop != null) {
      backupLoop.join(); // a backup still running is let finish, outside the window
    }
    double perSecond = counters.completed.get() / elapsed;
    Phase phase = new Phase(name, perSecond, counters.created.get(), counters.failed.get(), backups[0], List.copyOf(counters.firstFailures));
    System.out.printf("%-20s %6.1f instances/s completed (%d created), %d failed requests, %d backups %s; load average %s%s%n",
        name, perSecond, phase.created(), phase.failed(), phase.backups(), backupMillis, BenchBed.loadAverage(),
        phase.failures().isEmpty() ? "" : "; first failures " + phase.failures());
    return phase;
  }

  /**
   * The steady load: creators start instances one after another, workers activate up to 32
   * user-task jobs at a time and complete them; all on virtual threads, counting into the counters
   * of the current phase.
   */
  private static final class Load {
    private final Testbed testbed;
    private final int creators;
    private final int workers;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private volatile Counters counters = new Counters();
    private final List<Thread> threads = new ArrayList<>();

    Load(Testbed testbed, int creators, int workers) {
      this.testbed = testbed;
      this.creators = creators;
      this.workers = workers;
    }

    /** Counts into new counters from now on; returns them. */
    Counters measure() {
      Counters fresh = new Counters();
      counters = fresh;
      return fresh;
    }

    void start() {
      String zeebe = testbed.zeebe().url();
      for (int i = 0; i < creators; i++) {
        threads.add(Thread.ofVirtual().start(() -> {
          Http http = new Http();
          while (running.get()) {
            Counters current = counters;
            try {
              Http.Response created = http.postJson(zeebe + "/v2/process-instances", Map.of("processDefinitionId", Testbed.ORDER_PROCESS_ID));
              if (created.isSuccess()) {
                current.created.incrementAndGet();
              } else {
                current.fail("create " + created.status() + " " + created.body());
                BenchBed.sleep(50);
              }
            } catch (RuntimeException e) {
              current.fail("create " + e.getMessage());
              BenchBed.sleep(50);
            }
          }
        }));
      }
      for (int i = 0; i < workers; i++) {
        threads.add(Thread.ofVirtual().start(() -> {
          Http http = new Http();
          while (running.get()) {
            try {
              Http.Response activated = http.postJson(zeebe + "/v2/jobs/activation",
                  Map.of("type", USER_TASK_JOB, "maxJobsToActivate", 32, "timeout", 60_000, "worker", "bench", "requestTimeout", 1000));
              if (!activated.isSuccess()) {
                counters.fail("activate " + activated.status() + " " + activated.body());
                BenchBed.sleep(50);
                continue;
              }
              for (JsonNode job : activated.json().path("jobs")) { // Zeebe 8.6 names the key "key", later ones "jobKey"
                Counters current = counters;
                Http.Response completed = http.postJson(zeebe + "/v2/jobs/" + (job.has("jobKey") ? job.path("jobKey") : job.path("key")).asText() + "/completion", Map.of());
                if (completed.status() == 204) {
                  current.completed.incrementAndGet();
                } else {
                  current.fail("complete " + completed.status() + " " + completed.body());
                }
              }
            } catch (RuntimeException e) {
              counters.fail("activate/complete " + e.getMessage());
              BenchBed.sleep(50);
            }
          }
        }));
      }
    }

    void stop() throws InterruptedException {
      running.set(false);
      for (Thread thread : threads) {
        thread.join();
      }
    }
  }
}
