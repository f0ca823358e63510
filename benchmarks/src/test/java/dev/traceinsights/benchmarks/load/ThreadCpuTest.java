package dev.traceinsights.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ThreadCpuTest {

  // A real line's shape (proc(5)): utime 250 and stime 14 ticks; the name holds a space and ')'.
  private static final String STAT =
      "4242 (C2 Compiler) x) S 4200 4200 1 0 -1 4194624 1516 0 0 0 250 14 0 0 20 0 21 0 2105 "
          + "3937009664 33790 18446744073709551615 1 1 0 0 0 0 4 0 17640 0 0 0 17 1 0 0 0 0 0";

  @Test
  void readsTheNameUpToTheLastParenthesisAndUserPlusSystemTime() {
    assertThat(ThreadCpu.threadName(STAT)).isEqualTo("C2 Compiler) x");
    assertThat(ThreadCpu.cpuNanos(STAT)).isEqualTo(264 * 10_000_000L);
  }

  @Test
  void readsTheExactRunTimeFromSchedstat() {
    // run time 906 525 ns, 1 200 ns waiting for a CPU, 3 time slices
    assertThat(ThreadCpu.scheduledNanos("906525 1200 3\n")).isEqualTo(906_525L);
  }

  @Test
  void groupsThreadsByWhatTheyDo() {
    assertThat(ThreadCpu.group("C2 CompilerThre")).isEqualTo("JIT compilers");
    assertThat(ThreadCpu.group("G1 Conc#0")).isEqualTo("GC and VM");
    assertThat(ThreadCpu.group("GC Thread#1")).isEqualTo("GC and VM");
    assertThat(ThreadCpu.group("traceinsights-a")).isEqualTo("Trace Insights threads");
    assertThat(ThreadCpu.group("BatchSpanProces"))
        .isEqualTo("export (batch processor, HTTP client)");
    assertThat(ThreadCpu.group("RMI TCP Connect")).isEqualTo("measurement (JMX, attach)");
    assertThat(ThreadCpu.group("pool-1-thread-3")).isEqualTo("application and agent");
  }

  @Test
  void differencesAreTakenPerThreadSoThatAnEndedThreadSubtractsNothing() {
    Map<String, Long> earlier =
        Map.of("application and agent/11", 500L, "application and agent/12", 9_000L);
    Map<String, Long> later =
        Map.of("application and agent/11", 800L, "application and agent/13", 50L);

    Map<String, Long> difference = ThreadCpu.difference(earlier, later);

    // Thread 12 ended (its 9 000 are not taken off), 13 started: 300 + 50.
    assertThat(difference.get("application and agent")).isEqualTo(350L);
    assertThat(difference.get("JIT compilers")).isZero();
  }

  @Test
  void readsThisProcessThreadsWhereThereIsProc() {
    Map<String, Long> cpu = ThreadCpu.read(ProcessHandle.current().pid());
    if (Files.isDirectory(Path.of("/proc/self/task"))) {
      assertThat(cpu.keySet()).anyMatch(thread -> thread.startsWith("application and agent/"));
      assertThat(cpu.values().stream().mapToLong(Long::longValue).sum()).isPositive();
    } else {
      assertThat(cpu).isEmpty();
    }
  }
}
