package dev.traceinsights.capture;

import java.lang.management.ManagementFactory;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Reads the current thread's allocated bytes and CPU time from the JVM's {@code
 * com.sun.management.ThreadMXBean}. Either reading is {@link #UNAVAILABLE} where the JVM does not
 * support it (or for virtual threads on JVMs that do not measure them).
 *
 * <p>Costs measured on this project's machine: allocated bytes ≈ 10 ns, CPU time ≈ 580 ns per call,
 * which is why CPU time is opt-in.
 */
final class ThreadResourceMeter {

  static final long UNAVAILABLE = -1;

  private static final Logger logger = Logger.getLogger(ThreadResourceMeter.class.getName());

  private final com.sun.management.ThreadMXBean threads;
  private final boolean allocationSupported;
  private final boolean cpuSupported;

  private ThreadResourceMeter(
      com.sun.management.ThreadMXBean threads, boolean allocationSupported, boolean cpuSupported) {
    this.threads = threads;
    this.allocationSupported = allocationSupported;
    this.cpuSupported = cpuSupported;
  }

  /** The JVM's meter, or one that measures nothing where the JVM lacks the extended MXBean. */
  static ThreadResourceMeter platform() {
    try {
      java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
      if (bean instanceof com.sun.management.ThreadMXBean) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        return new ThreadResourceMeter(
            threads,
            threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
            threads.isCurrentThreadCpuTimeSupported() && threads.isThreadCpuTimeEnabled());
      }
    } catch (RuntimeException | LinkageError e) {
      logger.log(Level.FINE, "Thread allocation and CPU measurement unavailable", e);
    }
    return new ThreadResourceMeter(null, false, false);
  }

  boolean allocationSupported() {
    return allocationSupported;
  }

  boolean cpuSupported() {
    return cpuSupported;
  }

  long allocatedBytes() {
    return allocationSupported ? threads.getCurrentThreadAllocatedBytes() : UNAVAILABLE;
  }

  long cpuTimeNanos() {
    return cpuSupported ? threads.getCurrentThreadCpuTime() : UNAVAILABLE;
  }

  @Override
  public String toString() {
    return "ThreadResourceMeter{allocation=" + allocationSupported + ", cpu=" + cpuSupported + '}';
  }
}
