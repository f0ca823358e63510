package dev.traceinsights.benchmarks.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time of a process's threads by group, read from Linux's {@code /proc/PID/task/TID}: the JIT
 * compilers, GC and the VM's own threads run native code that JFR's execution samples never see,
 * and the JVM's CPU total does not say which thread spent it. Empty where there is no {@code
 * /proc}. Threads that end between two readings take their time with them (the load run's threads
 * live as long as the service).
 *
 * <p>The time is {@code schedstat}'s run time, which the scheduler accounts to the nanosecond;
 * {@code stat}'s {@code utime} and {@code stime} charge whole 10 ms ticks to whichever thread is
 * running when the tick fires, so a thread that runs often and briefly (the analysis thread's
 * wake-ups) is under- or over-counted by them. {@code stat} still gives the name, and its times are
 * the fallback where a kernel has no {@code schedstat}.
 */
final class ThreadCpu {

  /** Thread groups in the order the report lists them. */
  static final List<String> GROUPS =
      List.of(
          "application and agent",
          "Trace Insights threads",
          "export (batch processor, HTTP client)",
          "JIT compilers",
          "GC and VM",
          "measurement (JMX, attach)");

  // USER_HZ: the unit of utime and stime. 100 on every Linux this project runs on.
  private static final long NANOS_PER_TICK = 10_000_000L;

  private ThreadCpu() {}

  /**
   * Nanoseconds of CPU (user plus system) of each thread alive now, keyed by {@code
   * GROUP/THREAD-ID}: a difference of two readings must be taken per thread, or a thread that ended
   * in between would subtract its whole life from its group.
   */
  static Map<String, Long> read(long pid) {
    Map<String, Long> byThread = new LinkedHashMap<>();
    Path tasks = Path.of("/proc", Long.toString(pid), "task");
    if (!Files.isDirectory(tasks)) {
      return Map.of();
    }
    try (Stream<Path> threads = Files.list(tasks)) {
      for (Path thread : threads.toList()) {
        String stat;
        long nanos;
        try {
          stat = Files.readString(thread.resolve("stat"));
          nanos = runNanos(thread.resolve("schedstat"), stat);
        } catch (IOException e) {
          continue; // the thread ended meanwhile
        }
        byThread.put(group(threadName(stat)) + "/" + thread.getFileName(), nanos);
      }
    } catch (IOException e) {
      return Map.of();
    }
    return byThread;
  }

  /** The thread's name in a {@code stat} line: {@code pid (comm) state ...}. */
  static String threadName(String stat) {
    // comm may hold spaces and parentheses: it ends at the last ')'.
    return stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
  }

  private static long runNanos(Path schedstat, String stat) throws IOException {
    if (!Files.exists(schedstat)) {
      return cpuNanos(stat);
    }
    return scheduledNanos(Files.readString(schedstat));
  }

  /** Time on a CPU from a {@code schedstat} line: run time, wait time (both ns), time slices. */
  static long scheduledNanos(String schedstat) {
    String line = schedstat.trim();
    int end = line.indexOf(' ');
    return Long.parseLong(end < 0 ? line : line.substring(0, end));
  }

  /** User plus system time of a {@code stat} line (fields 14 and 15 of proc(5)), in nanoseconds. */
  static long cpuNanos(String stat) {
    String[] afterName = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    // afterName[0] is field 3 (state), so field k is afterName[k - 3].
    return (Long.parseLong(afterName[11]) + Long.parseLong(afterName[12])) * NANOS_PER_TICK;
  }

  /**
   * CPU per group between two {@link #read} readings: each thread alive at {@code later} counts
   * what it used since {@code earlier} (all of it if it started since); threads that ended in
   * between are missing.
   */
  static Map<String, Long> difference(Map<String, Long> earlier, Map<String, Long> later) {
    Map<String, Long> byGroup = new LinkedHashMap<>();
    if (later.isEmpty()) {
      return byGroup;
    }
    GROUPS.forEach(group -> byGroup.put(group, 0L));
    later.forEach(
        (thread, nanos) ->
            byGroup.merge(
                thread.substring(0, thread.lastIndexOf('/')),
                nanos - earlier.getOrDefault(thread, 0L),
                Long::sum));
    return byGroup;
  }

  /** The group of a thread by its name as Linux keeps it (the first 15 characters). */
  static String group(String name) {
    if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
      return "JIT compilers";
    }
    if (name.startsWith("GC Thread")
        || name.startsWith("G1 ")
        || name.startsWith("VM ")
        || name.startsWith("Sweeper")) {
      return "GC and VM";
    }
    if (name.startsWith("traceinsights")) {
      return "Trace Insights threads";
    }
    if (name.startsWith("BatchSpanProces")
        || name.startsWith("OkHttp")
        || name.startsWith("okhttp")
        || name.startsWith("otel-")) {
      return "export (batch processor, HTTP client)";
    }
    if (name.startsWith("RMI ") || name.startsWith("JMX ") || name.startsWith("Attach ")) {
      return "measurement (JMX, attach)";
    }
    return "application and agent";
  }
}
