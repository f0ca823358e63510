package dev.traceinsights.analysis;

/**
 * Totals over a whole trace.
 *
 * @param durationNanos end of the last span minus start of the first
 * @param allocatedBytes bytes allocated by the trace's spans, counting each thread's outermost
 *     measured span once; {@link #NOT_MEASURED} when no span carries a measurement
 */
public record TraceTotals(long durationNanos, int spanCount, int errorCount, long allocatedBytes) {

  public static final long NOT_MEASURED = -1;

  public boolean hasAllocatedBytes() {
    return allocatedBytes != NOT_MEASURED;
  }
}
