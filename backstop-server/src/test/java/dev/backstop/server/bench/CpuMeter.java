package dev.backstop.server.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * CPU time spent, read from the JVM and from Linux's /proc: what a benchmark's figures cost in CPU
 * does not depend on how many other processes share the cores, unlike its latencies and rates, so
 * it is printed beside them (and tells what the same work would sustain on dedicated cores).
 */
final class CpuMeter {

  /** Linux's clock ticks per second ({@code getconf CLK_TCK}), 100 on every architecture it runs here. */
  private static final long TICK_NANOS = 10_000_000L;

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private CpuMeter() {}

  /** This JVM's CPU time, all threads (GC and JIT included). */
  static long jvmNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  /** The CPU time of this JVM's live threads whose names match. */
  static long threadsNanos(Predicate<String> name) {
    long sum = 0;
    for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
      if (info != null && name.test(info.getThreadName())) {
        sum += Math.max(0, THREADS.getThreadCpuTime(info.getThreadId()));
      }
    }
    return sum;
  }

  /** The calling thread's CPU time. */
  static long currentThreadNanos() {
    return THREADS.getCurrentThreadCpuTime();
  }

  /** The process id of the PostgreSQL server behind {@code sql} (the parent of a backend): it must run on this machine. */
  static int postmasterOf(JdbcClient sql) {
    int backend = sql.sql("select pg_backend_pid()").query(Integer.class).single();
    return Integer.parseInt(stat(backend)[1]);
  }

  /**
   * The CPU time of a PostgreSQL server: the postmaster's own and its children's that ended (it
   * waits for them), and that of its live children (the backends, the writers, autovacuum).
   */
  static long postgresNanos(int postmaster) {
    String[] main = stat(postmaster);
    long ticks = Long.parseLong(main[11]) + Long.parseLong(main[12]) + Long.parseLong(main[13]) + Long.parseLong(main[14]);
    try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
      for (Path process : processes.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        String[] child = statOrNull(Integer.parseInt(process.getFileName().toString()));
        if (child != null && Integer.parseInt(child[1]) == postmaster) {
          ticks += Long.parseLong(child[11]) + Long.parseLong(child[12]);
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return ticks * TICK_NANOS;
  }

  /** The fields of /proc/pid/stat after the command's name: [0] is the state (field 3), [1] the parent. */
  private static String[] stat(int pid) {
    String[] fields = statOrNull(pid);
    if (fields == null) {
      throw new IllegalStateException("no process " + pid);
    }
    return fields;
  }

  private static String[] statOrNull(int pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Integer.toString(pid), "stat"));
      return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    } catch (IOException e) {
      return null; // ended meanwhile
    }
  }

  /** The 1 and 5 minute load averages: how busy the shared machine was. */
  static String loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return parts[0] + "/" + parts[1];
    } catch (IOException e) {
      return "?";
    }
  }
}
