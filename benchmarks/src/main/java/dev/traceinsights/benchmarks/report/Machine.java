package dev.traceinsights.benchmarks.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** A one-line description of the machine the benchmarks ran on, from /proc where there is one. */
public final class Machine {

  private Machine() {}

  public static String describe() {
    String cpu = firstValue(Path.of("/proc/cpuinfo"), "model name");
    String memory = firstValue(Path.of("/proc/meminfo"), "MemTotal");
    StringBuilder text =
        new StringBuilder().append(Runtime.getRuntime().availableProcessors()).append(" CPUs");
    if (cpu != null) {
      text.append(" (").append(cpu).append(')');
    }
    if (memory != null && memory.endsWith(" kB")) {
      long kib = Long.parseLong(memory.substring(0, memory.length() - 3).strip());
      text.append(String.format(Locale.ROOT, ", %.1f GiB RAM", kib / (1024.0 * 1024)));
    }
    text.append(", ")
        .append(System.getProperty("os.name"))
        .append(' ')
        .append(System.getProperty("os.version"));
    return text.toString();
  }

  private static String firstValue(Path file, String key) {
    try {
      List<String> lines = Files.readAllLines(file);
      for (String line : lines) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).strip().equals(key)) {
          return line.substring(colon + 1).strip();
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or not readable: the description says less
    }
    return null;
  }
}
