package dev.traceinsights.capture;

import io.opentelemetry.sdk.trace.ReadableSpan;
import java.util.Arrays;

/**
 * The spans a thread started and has not yet ended, with the thread's allocation and CPU counters
 * at their start. One per thread, touched only by that thread, so no synchronisation.
 *
 * <p>Spans usually end in reverse start order on the thread that started them, so the match is
 * nearly always the top entry. A span that ends on another thread is never found here (its readings
 * are reported absent, not wrong); its entry lingers until the stack is full, when entries of spans
 * that have ended elsewhere are purged, and then the oldest entry is dropped. That bounds memory
 * per thread to {@link #CAPACITY} entries and never allocates once the arrays reach it.
 */
final class OpenSpanStack {

  static final int CAPACITY = 32;
  private static final int INITIAL_CAPACITY = 8;

  private ReadableSpan[] spans = new ReadableSpan[INITIAL_CAPACITY];
  private long[] allocatedAtStart = new long[INITIAL_CAPACITY];
  private long[] cpuAtStart = new long[INITIAL_CAPACITY];
  private int size;
  private long removedAllocatedBytes;
  private long removedCpuTimeNanos;

  void push(ReadableSpan span, long allocatedBytes, long cpuTimeNanos) {
    if (size == spans.length) {
      if (spans.length < CAPACITY) {
        grow();
      } else if (purgeEndedElsewhere() == 0) {
        dropOldest();
      }
    }
    spans[size] = span;
    allocatedAtStart[size] = allocatedBytes;
    cpuAtStart[size] = cpuTimeNanos;
    size++;
  }

  /**
   * Removes {@code span}; its start readings are then {@link #removedAllocatedBytes()} and {@link
   * #removedCpuTimeNanos()}. Returns false when this thread did not start the span (or forgot it).
   */
  boolean remove(ReadableSpan span) {
    for (int i = size - 1; i >= 0; i--) {
      if (spans[i] == span) {
        removedAllocatedBytes = allocatedAtStart[i];
        removedCpuTimeNanos = cpuAtStart[i];
        int moved = size - 1 - i;
        if (moved > 0) {
          System.arraycopy(spans, i + 1, spans, i, moved);
          System.arraycopy(allocatedAtStart, i + 1, allocatedAtStart, i, moved);
          System.arraycopy(cpuAtStart, i + 1, cpuAtStart, i, moved);
        }
        size--;
        spans[size] = null;
        return true;
      }
    }
    return false;
  }

  long removedAllocatedBytes() {
    return removedAllocatedBytes;
  }

  long removedCpuTimeNanos() {
    return removedCpuTimeNanos;
  }

  int size() {
    return size;
  }

  private void grow() {
    int capacity = Math.min(CAPACITY, spans.length * 2);
    spans = Arrays.copyOf(spans, capacity);
    allocatedAtStart = Arrays.copyOf(allocatedAtStart, capacity);
    cpuAtStart = Arrays.copyOf(cpuAtStart, capacity);
  }

  /** Removes entries of spans that have already ended (on another thread); returns how many. */
  private int purgeEndedElsewhere() {
    int kept = 0;
    for (int i = 0; i < size; i++) {
      if (!spans[i].hasEnded()) {
        spans[kept] = spans[i];
        allocatedAtStart[kept] = allocatedAtStart[i];
        cpuAtStart[kept] = cpuAtStart[i];
        kept++;
      }
    }
    int purged = size - kept;
    Arrays.fill(spans, kept, size, null);
    size = kept;
    return purged;
  }

  private void dropOldest() {
    System.arraycopy(spans, 1, spans, 0, size - 1);
    System.arraycopy(allocatedAtStart, 1, allocatedAtStart, 0, size - 1);
    System.arraycopy(cpuAtStart, 1, cpuAtStart, 0, size - 1);
    size--;
    spans[size] = null;
  }
}
