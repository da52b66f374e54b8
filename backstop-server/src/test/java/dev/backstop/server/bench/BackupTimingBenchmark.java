package dev.backstop.server.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backstop.testbed.Http;
import dev.backstop.testbed.Testbed;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * How long one backup takes on the test bed, and how long exporting stays paused, through Backstop
 * and, as the baseline measured in the same run on the same cluster, through the documented
 * procedure run as a plain sequential script polling once a second ({@link BenchBed#byScript()}).
 * Rounds alternate which of the two goes first, and every backup, of either, follows the same
 * fresh load (process instances started just before it): a backup after a load does more work
 * (new segments to snapshot, importers busy), so each faces the same, not only the first. Before
 * the rounds, two untimed backups by the script take the repository's first snapshots, which copy
 * every index whole and then what the importers wrote meanwhile (later ones copy only what
 * changed): whoever went first would pay for it.
 *
 * <p><b>Total</b>: Backstop's from just before the POST until the completion it records (after
 * Zeebe confirmed the resume); the script's from its first call until its resume returned.
 *
 * <p><b>Paused</b>: measured from outside: a watcher polls Zeebe's partitions every 20 ms and
 * times from the first poll that sees a partition paused to the first that sees all exporting again.
 *
 * <p><b>Backstop's overhead</b>: its total minus the time at least one component was at work on
 * the backup by the component's own account: the union of the web apps' and the records' snapshot
 * intervals (the search engine's {@code start_time_in_millis} to {@code end_time_in_millis}) and
 * Zeebe's backup (its partitions' {@code createdAt} to their last {@code lastUpdatedAt}). What is
 * left is Backstop's own: the request (id allocation, version check), dispatch to a worker,
 * saving each step, HTTP round trips, and the time between a component finishing and Backstop's
 * poll noticing it. The same figure is printed for the script, for comparison.
 *
 * <p>Run: {@code bench/backup-timing.sh [rounds] [instances before each backup]} (default 5 and
 * 100). Prints one line per backup with its timeline (milliseconds from its start), then medians,
 * ratios and targets.
 */
public final class BackupTimingBenchmark {

  private static final double TOTAL_TARGET = 0.6;
  private static final double WORST_ROUND_TARGET = 1.0;
  private static final double PAUSE_TARGET = 0.5;
  private static final long OVERHEAD_TARGET_MILLIS = 100;

  private record Sample(long totalMillis, long pausedMillis, long overheadMillis) {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int loadPerBackup = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    try (BenchBed bed = BenchBed.start()) {
      bed.testbed.startProcessInstances(Testbed.ORDER_PROCESS_ID, 200);
      // Two untimed backups by the script: the first copies every index whole; while it runs the
      // importers still write the initial load, which the second copies. Then the repository is
      // at the steady state every measured backup starts from.
      for (int warmUp = 1; warmUp <= 2; warmUp++) {
        System.out.printf("untimed backup %d by the script (the repository's first copies): %d ms%n", warmUp, bed.byScript().totalMillis());
      }
      System.out.printf("test bed ready in %d s; 200 process instances loaded; %d rounds; %d more instances started before each backup; load average %s%n",
          bed.testbed.startDuration().toSeconds(), rounds, loadPerBackup, BenchBed.loadAverage());

      List<Sample> backstop = new ArrayList<>();
      List<Sample> script = new ArrayList<>();
      List<Double> totalRatios = new ArrayList<>();
      for (int round = 1; round <= rounds; round++) {
        boolean backstopFirst = round % 2 == 1;
        Sample b = null;
        Sample s = null;
        for (int turn = 0; turn < 2; turn++) {
          bed.testbed.startProcessInstances(Testbed.ORDER_PROCESS_ID, loadPerBackup);
          if ((turn == 0) == backstopFirst) {
            b = measure(bed, "backstop", round, () -> bed.throughBackstop(), "camunda_zeebe_records_backup_");
          } else {
            s = measure(bed, "script  ", round, () -> bed.byScript(), "bench_records_");
          }
        }
        backstop.add(b);
        script.add(s);
        double ratio = (double) b.totalMillis() / s.totalMillis();
        totalRatios.add(ratio);
        System.out.printf("round %d (%s first): total ratio %.2f, paused ratio %.2f; load average %s%n",
            round, backstopFirst ? "backstop" : "script", ratio, (double) b.pausedMillis() / Math.max(1, s.pausedMillis()), BenchBed.loadAverage());
      }
      long bTotal = median(backstop.stream().map(Sample::totalMillis).toList());
      long bPaused = median(backstop.stream().map(Sample::pausedMillis).toList());
      long bOverhead = median(backstop.stream().map(Sample::overheadMillis).toList());
      long sTotal = median(script.stream().map(Sample::totalMillis).toList());
      long sPaused = median(script.stream().map(Sample::pausedMillis).toList());
      long sOverhead = median(script.stream().map(Sample::overheadMillis).toList());
      double totalRatio = (double) bTotal / sTotal;
      double worst = Collections.max(totalRatios);
      double pauseRatio = (double) bPaused / Math.max(1, sPaused);
      System.out.printf("median backstop: total %d ms, paused %d ms, overhead %d ms%n", bTotal, bPaused, bOverhead);
      System.out.printf("median script (documented, sequential, 1 s polling): total %d ms, paused %d ms, overhead %d ms%n", sTotal, sPaused, sOverhead);
      System.out.printf("backup latency backstop/script (medians): %.2f  target <= %.1f  %s%n", totalRatio, TOTAL_TARGET, verdict(totalRatio <= TOTAL_TARGET));
      System.out.printf("worst round backstop/script:             %.2f  target <= %.1f  %s%n", worst, WORST_ROUND_TARGET, verdict(worst <= WORST_ROUND_TARGET));
      System.out.printf("pause window backstop/script (medians):  %.2f  target <= %.1f  %s%n", pauseRatio, PAUSE_TARGET, verdict(pauseRatio <= PAUSE_TARGET));
      System.out.printf("backstop's overhead (median):            %d ms  target < %d ms  %s%n", bOverhead, OVERHEAD_TARGET_MILLIS, verdict(bOverhead < OVERHEAD_TARGET_MILLIS));
      System.out.printf("load average at the end: %s (2 cores, shared with other developers' runs)%n", BenchBed.loadAverage());
    }
  }

  private static String verdict(boolean met) {
    return met ? "PASS" : "MISS";
  }

  /** Runs one backup while a watcher times how long exporting is paused; prints its timeline. */
  private static Sample measure(BenchBed bed, String who, int round, Supplier<BenchBed.Run> backup, String recordsPrefix)
      throws InterruptedException {
    Http http = new Http();
    AtomicBoolean running = new AtomicBoolean(true);
    long[] pausedNanos = new long[1];
    Thread watcher =
        Thread.ofPlatform().start(() -> {
          long pausedSince = -1;
          while (running.get()) {
            JsonNode partitions = http.get(bed.testbed.zeebe().managementUrl() + "/actuator/partitions").json();
            boolean paused = partitions.findValuesAsText("exporterPhase").stream().anyMatch(phase -> !phase.equals("EXPORTING"));
            long now = System.nanoTime();
            if (paused && pausedSince < 0) {
              pausedSince = now;
            } else if (!paused && pausedSince >= 0) {
              pausedNanos[0] += now - pausedSince;
              pausedSince = -1;
            }
            BenchBed.sleep(20);
          }
        });
    BenchBed.Run run = backup.get();
    BenchBed.sleep(200); // let the watcher see the resume
    running.set(false);
    watcher.join();
    List<BenchBed.Work> work = bed.componentWork(run.id(), recordsPrefix + run.id());
    long overhead = run.totalMillis() - BenchBed.busyMillis(work);
    long paused = Duration.ofNanos(pausedNanos[0]).toMillis();
    System.out.printf("round %d %s: total %5d ms, exporting paused %5d ms, components busy %5d ms, overhead %5d ms | %s%n",
        round, who, run.totalMillis(), paused, BenchBed.busyMillis(work), overhead, BenchBed.timeline(run, work));
    return new Sample(run.totalMillis(), paused, overhead);
  }

  private static long median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }
}
