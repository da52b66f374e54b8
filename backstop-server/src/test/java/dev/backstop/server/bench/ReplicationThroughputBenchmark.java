package dev.backstop.server.bench;

import dev.backstop.core.replication.Replicator;
import dev.backstop.storage.ObjectStore;
import dev.backstop.storage.replication.PrefixCopy;
import dev.backstop.storage.s3.S3Location;
import dev.backstop.storage.s3.S3ObjectStore;
import dev.backstop.testbed.S3ProxyServer;
import dev.backstop.testbed.S3Region;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Replication throughput between two S3-compatible endpoints on this machine (two S3Proxy servers,
 * each a JVM of its own on its own data directory), measured side by side in one run against
 * {@code rclone copy --transfers 8} (Debian's rclone) on the same data between the same servers,
 * and against a plain file copy ({@code cp -r}) of the same bytes on the same disk.
 *
 * <p>The data: {@code objects} objects of 4 KB to 50 MB (sizes spread log-uniformly, about 500 MB
 * in all for 3,000), plus two 128 MiB objects standing in for a Zeebe backup's log segments (the
 * size Zeebe backs up by default). Random bytes, so nothing compresses.
 *
 * <p>Rounds alternate which tool goes first, each copying into a fresh bucket; then each re-runs
 * its copy with nothing changed. Usage: {@code bench/replication-throughput.sh [objects] [rounds]}.
 */
public final class ReplicationThroughputBenchmark {

  private static final long MiB = 1024 * 1024;
  /** Backstop's default ({@code backstop.backup.replication-parallelism}). */
  private static final int PARALLELISM = 16;

  public static void main(String[] args) throws Exception {
    int objectCount = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    Path dir = Files.createTempDirectory("backstop-replication-bench");
    try (S3Region source = S3ProxyServer.start(dir.resolve("source"));
        S3Region target = S3ProxyServer.start(dir.resolve("target"));
        ObjectStore from = store(source, source.bucket())) {
      long bytes = generate(from, objectCount);
      System.out.printf("Data: %d objects, %.1f MB, in %s%n", objectCount + 2, bytes / 1e6, source.endpoint());

      List<double[]> results = new ArrayList<>(); // per round: backstop s, rclone s, cp s
      for (int round = 1; round <= rounds; round++) {
        String ours = "backstop-" + round;
        String theirs = "rclone-" + round;
        target.createBucketIfMissing(ours);
        target.createBucketIfMissing(theirs);
        double backstop;
        double rclone;
        if (round % 2 == 1) {
          backstop = timeBackstop(from, target, ours);
          rclone = timeRclone(source, target, theirs);
        } else {
          rclone = timeRclone(source, target, theirs);
          backstop = timeBackstop(from, target, ours);
        }
        double cp = timeCopy(dir.resolve("source").resolve("data").resolve(source.bucket()), dir.resolve("cp-" + round));
        results.add(new double[] {backstop, rclone, cp});
        System.out.printf(
            "Round %d (%s first): Backstop %.2f s (%.0f MB/s), rclone --transfers 8 %.2f s (%.0f MB/s), cp -r %.2f s (%.0f MB/s)"
                + " -> Backstop/rclone throughput %.2f, Backstop/cp %.2f%n",
            round, round % 2 == 1 ? "Backstop" : "rclone",
            backstop, bytes / 1e6 / backstop, rclone, bytes / 1e6 / rclone, cp, bytes / 1e6 / cp,
            rclone / backstop, cp / backstop);
      }
      // Nothing changed: each tool copies into the bucket it filled in round 1 again.
      double backstopAgain = timeBackstop(from, target, "backstop-1");
      double rcloneAgain = timeRclone(source, target, "rclone-1");
      System.out.printf(
          "Re-run with nothing changed: Backstop %.2f s, rclone %.2f s -> Backstop/rclone time %.2f%n",
          backstopAgain, rcloneAgain, backstopAgain / rcloneAgain);
      double backstop = median(results, 0);
      double rclone = median(results, 1);
      double cp = median(results, 2);
      System.out.printf(
          "Median of %d rounds: Backstop %.0f MB/s, rclone %.0f MB/s, cp %.0f MB/s; throughput ratio to rclone %.2f (target >= 1.5),"
              + " to cp %.2f (target >= 0.8); no-change re-run time ratio to rclone %.2f (target <= 0.5)%n",
          rounds, bytes / 1e6 / backstop, bytes / 1e6 / rclone, bytes / 1e6 / cp, rclone / backstop, cp / backstop, backstopAgain / rcloneAgain);
    } finally {
      deleteRecursively(dir);
    }
  }

  private static ObjectStore store(S3Region region, String bucket) {
    return new S3ObjectStore(
        new S3Location(URI.create(region.endpoint()), bucket, region.signingRegion(), true, region.accessKey(), region.secretKey()));
  }

  /** Writes the data set; returns its size in bytes. */
  private static long generate(ObjectStore store, int count) throws Exception {
    Random random = new Random(42);
    List<Long> sizes = new ArrayList<>();
    double min = Math.log(4 * 1024);
    double max = Math.log(50 * MiB);
    for (int i = 0; i < count; i++) {
      sizes.add((long) Math.exp(min + random.nextDouble() * (max - min)));
    }
    // Log-uniform sizes average far above 500 MB for 3,000 objects: scale the spread down to about
    // 500 MB in all, keeping every size between 4 KB and 50 MB.
    double total = sizes.stream().mapToLong(Long::longValue).sum();
    double target = 500e6 * count / 3000.0;
    double scale = Math.min(1.0, target / total);
    sizes.replaceAll(size -> Math.max(4 * 1024, (long) (size * scale)));
    sizes.add(128 * MiB);
    sizes.add(128 * MiB);
    byte[] pool = new byte[(int) (130 * MiB)];
    random.nextBytes(pool);
    long bytes = 0;
    try (ExecutorService threads = Executors.newFixedThreadPool(8)) {
      List<Future<?>> puts = new ArrayList<>();
      for (int i = 0; i < sizes.size(); i++) {
        long size = sizes.get(i);
        bytes += size;
        int offset = random.nextInt((int) (pool.length - size) + 1);
        String key =
            i >= count
                ? "zeebe/" + (i - count + 1) + "/1/0/segments/raft-partition-" + (i - count + 1) + "-1.log"
                : "search/indices/index-" + (i % 40) + "/" + (i % 3) + "/__blob-" + i;
        puts.add(threads.submit(() -> store.put(key, size, new ByteArrayInputStream(pool, offset, (int) size), Map.of())));
      }
      for (Future<?> put : puts) {
        put.get();
      }
    }
    return bytes;
  }

  private static double timeBackstop(ObjectStore from, S3Region target, String bucket) {
    try (ObjectStore to = store(target, bucket)) {
      long start = System.nanoTime();
      Replicator.Copied copied = PrefixCopy.copy(from, to, "", PARALLELISM);
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf("  Backstop copied %d objects (%d already there) in %.2f s%n", copied.objects(), copied.alreadyThere(), seconds);
      return seconds;
    }
  }

  private static double timeRclone(S3Region source, S3Region target, String bucket) throws IOException, InterruptedException {
    ProcessBuilder rclone =
        new ProcessBuilder("rclone", "copy", "--transfers", "8", "src:" + source.bucket(), "dst:" + bucket).inheritIO();
    Map<String, String> env = rclone.environment();
    env.remove("AWS_CA_BUNDLE"); // this machine may set it, and rclone 1.60 rejects it
    remote(env, "SRC", source);
    remote(env, "DST", target);
    long start = System.nanoTime();
    int exit = rclone.start().waitFor();
    double seconds = (System.nanoTime() - start) / 1e9;
    if (exit != 0) {
      throw new IllegalStateException("rclone exited with " + exit);
    }
    System.out.printf("  rclone copy --transfers 8 took %.2f s%n", seconds);
    return seconds;
  }

  private static void remote(Map<String, String> env, String name, S3Region region) {
    String prefix = "RCLONE_CONFIG_" + name + "_";
    env.put(prefix + "TYPE", "s3");
    env.put(prefix + "PROVIDER", "Other");
    env.put(prefix + "ENDPOINT", region.endpoint());
    env.put(prefix + "ACCESS_KEY_ID", region.accessKey());
    env.put(prefix + "SECRET_ACCESS_KEY", region.secretKey());
    env.put(prefix + "REGION", region.signingRegion());
    env.put(prefix + "FORCE_PATH_STYLE", "true");
  }

  private static double timeCopy(Path from, Path to) throws IOException, InterruptedException {
    long start = System.nanoTime();
    int exit = new ProcessBuilder("cp", "-r", from.toString(), to.toString()).inheritIO().start().waitFor();
    double seconds = (System.nanoTime() - start) / 1e9;
    if (exit != 0) {
      throw new IllegalStateException("cp exited with " + exit);
    }
    new ProcessBuilder("sync").start().waitFor();
    return seconds;
  }

  private static double median(List<double[]> rows, int column) {
    double[] values = rows.stream().mapToDouble(row -> row[column]).sorted().toArray();
    return values.length % 2 == 1 ? values[values.length / 2] : (values[values.length / 2 - 1] + values[values.length / 2]) / 2;
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    }
  }
}
