package dev.traceinsights.benchmarks.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time of a process's threads by group, read from Linux's {@code /proc/PID/task/TID/stat}: the
 * JIT compilers, GC and the VM's own threads run native code that JFR's execution samples never
 * see, and the JVM's CPU total does not say which thread spent it. Empty where there is no {@code
 * /proc}. Threads that end between two readings take their time with them (the load run's threads
 * live as long as the service).
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

  /** Nanoseconds of CPU (user plus system) per group, for the threads alive now. */
  static Map<String, Long> read(long pid) {
    Map<String, Long> byGroup = new LinkedHashMap<>();
    GROUPS.forEach(group -> byGroup.put(group, 0L));
    Path tasks = Path.of("/proc", Long.toString(pid), "task");
    if (!Files.isDirectory(tasks)) {
      return Map.of();
    }
    try (Stream<Path> threads = Files.list(tasks)) {
      for (Path thread : threads.toList()) {
        String stat;
        try {
          stat = Files.readString(thread.resolve("stat"));
        } catch (IOException e) {
          continue; // the thread ended meanwhile
        }
        byGroup.merge(group(threadName(stat)), cpuNanos(stat), Long::sum);
      }
    } catch (IOException e) {
      return Map.of();
    }
    return byGroup;
  }

  /** The thread's name in a {@code stat} line: {@code pid (comm) state ...}. */
  static String threadName(String stat) {
    // comm may hold spaces and parentheses: it ends at the last ')'.
    return stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
  }

  /** User plus system time of a {@code stat} line (fields 14 and 15 of proc(5)), in nanoseconds. */
  static long cpuNanos(String stat) {
    String[] afterName = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    // afterName[0] is field 3 (state), so field k is afterName[k - 3].
    return (Long.parseLong(afterName[11]) + Long.parseLong(afterName[12])) * NANOS_PER_TICK;
  }

  /** {@code later - earlier} per group. */
  static Map<String, Long> difference(Map<String, Long> earlier, Map<String, Long> later) {
    Map<String, Long> difference = new LinkedHashMap<>();
    later.forEach((group, nanos) -> difference.put(group, nanos - earlier.getOrDefault(group, 0L)));
    return difference;
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
