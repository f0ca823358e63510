package dev.traceinsights.assembly.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.traceinsights.assembly.AssemblyLimits;
import dev.traceinsights.assembly.ReleaseReason;
import dev.traceinsights.testing.TestSpans;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import javax.annotation.Nullable;
import org.junit.jupiter.api.Test;

class LocalTraceBufferTest {

  private static final String TRACE_A = "0af7651916cd43dd8448eb211c80319c";
  private static final String TRACE_B = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String TRACE_C = "5b8efff798038103d269b633813fc60c";
  private static final long GRACE = Duration.ofMillis(200).toNanos();
  private static final long TIMEOUT = Duration.ofSeconds(30).toNanos();

  private final RecordingSink sink = new RecordingSink();
  private final AssemblyCounters stats = new AssemblyCounters();

  @Test
  void completesLocalTraceOnlyAfterGraceAndIncludesStragglers() {
    LocalTraceBuffer buffer = buffer(limits());
    buffer.add(child(TRACE_A, "c1", "root"), 0);
    buffer.add(localRoot(TRACE_A, "root"), 10);
    buffer.advance(10 + GRACE - 1);
    assertThat(sink.completed).isEmpty();

    buffer.add(child(TRACE_A, "c2", "root"), 10 + GRACE - 1); // async child, ends after the root
    buffer.advance(10 + GRACE);

    assertThat(sink.completed).hasSize(1);
    assertThat(ids(sink.completed.get(0))).containsExactly("c1", "root", "c2");
    assertThat(sink.completedRoots).containsExactly("root");
    assertThat(buffer.bufferedTraces()).isZero();
    assertThat(buffer.bufferedSpans()).isZero();
    assertThat(buffer.bufferedBytes()).isZero();
  }

  @Test
  void remoteParentMakesALocalRoot() {
    LocalTraceBuffer buffer = buffer(limits());
    buffer.add(child(TRACE_A, "c1", "server"), 0);
    buffer.add(span(TRACE_A, "server", "caller", /* remoteParent= */ true), 0);
    buffer.completeEnded();

    assertThat(sink.completed).hasSize(1);
    assertThat(ids(sink.completed.get(0))).containsExactly("c1", "server");
  }

  @Test
  void twoLocalRootsOfOneTraceCompleteSeparately() {
    // The same service called twice in one request: two server spans with remote parents.
    LocalTraceBuffer buffer = buffer(limits());
    buffer.add(child(TRACE_A, "q1", "server1"), 0);
    buffer.add(span(TRACE_A, "server1", "client1", true), 0);
    buffer.add(child(TRACE_A, "q2", "server2"), 0); // second call already running
    buffer.advance(GRACE);

    assertThat(sink.completed).hasSize(1);
    assertThat(ids(sink.completed.get(0))).containsExactly("q1", "server1");
    assertThat(buffer.bufferedSpans()).isEqualTo(1);

    buffer.add(span(TRACE_A, "server2", "client2", true), GRACE + 5);
    buffer.advance(2 * GRACE + 5);

    assertThat(sink.completed).hasSize(2);
    assertThat(ids(sink.completed.get(1))).containsExactly("q2", "server2");
    assertThat(sink.late).isEmpty();
  }

  @Test
  void spanEndingAfterItsTraceWasAnalysedIsLateWithItsBufferedChildren() {
    LocalTraceBuffer buffer = buffer(limits());
    buffer.add(localRoot(TRACE_A, "root"), 0);
    buffer.advance(GRACE);
    assertThat(sink.completed).hasSize(1);

    // A fire-and-forget task under the root: its child ends first, then the task itself.
    buffer.add(child(TRACE_A, "taskChild", "task"), GRACE + 1);
    assertThat(sink.late).isEmpty();
    buffer.add(child(TRACE_A, "task", "root"), GRACE + 2);
    // and a grandchild that ends even later
    buffer.add(child(TRACE_A, "taskLateChild", "task"), GRACE + 3);

    assertThat(sink.late)
        .extracting(SpanData::getSpanId)
        .containsExactly(spanId("taskChild"), spanId("task"), spanId("taskLateChild"));
    assertThat(sink.lateReasons).containsOnlyNulls();
    assertThat(stats.lateSpans()).isEqualTo(3);
    assertThat(buffer.bufferedSpans()).isZero();
    assertThat(buffer.bufferedTraces()).isZero();
  }

  @Test
  void traceLongerThanSpanLimitIsReleasedAndItsLaterSpansFollow() {
    LocalTraceBuffer buffer = buffer(limits(100, 3, Long.MAX_VALUE));
    buffer.add(child(TRACE_A, "c1", "root"), 0);
    buffer.add(child(TRACE_A, "c2", "root"), 0);
    buffer.add(child(TRACE_A, "c3", "root"), 0);
    assertThat(sink.released).isEmpty();

    buffer.add(child(TRACE_A, "c4", "root"), 0);

    assertThat(sink.released).hasSize(1);
    assertThat(ids(sink.released.get(0))).containsExactly("c1", "c2", "c3", "c4");
    assertThat(sink.releaseReasons).containsExactly(ReleaseReason.SPAN_LIMIT);
    assertThat(buffer.bufferedSpans()).isZero();
    assertThat(buffer.bufferedBytes()).isZero();

    buffer.add(localRoot(TRACE_A, "root"), 1);
    assertThat(sink.late).extracting(SpanData::getSpanId).containsExactly(spanId("root"));
    assertThat(sink.lateReasons).containsExactly(ReleaseReason.SPAN_LIMIT);
    assertThat(stats.releasedSpans(ReleaseReason.SPAN_LIMIT)).isEqualTo(5);
    buffer.advance(TIMEOUT * 2);
    assertThat(sink.completed).isEmpty();
  }

  @Test
  void tooManyTracesEvictsTheOldestAnalysingItIfItsRootEnded() {
    LocalTraceBuffer buffer = buffer(limits(2, 100, Long.MAX_VALUE));
    buffer.add(localRoot(TRACE_A, "rootA"), 0); // ended, waiting for its grace
    buffer.add(child(TRACE_B, "b1", "rootB"), 1); // root still running
    buffer.add(child(TRACE_C, "c1", "rootC"), 2); // third trace: A must make room

    assertThat(sink.completed).hasSize(1);
    assertThat(ids(sink.completed.get(0))).containsExactly("rootA");
    assertThat(sink.released).isEmpty();

    buffer.add(localRoot(TRACE_A, "otherRootA"), 3); // A's slot was taken again
    assertThat(sink.released).hasSize(1);
    assertThat(ids(sink.released.get(0))).containsExactly("b1");
    assertThat(sink.releaseReasons).containsExactly(ReleaseReason.TRACE_LIMIT);
    assertThat(buffer.bufferedTraces()).isEqualTo(2);
    assertThat(stats.releasedSpans(ReleaseReason.TRACE_LIMIT)).isEqualTo(1);
  }

  @Test
  void byteLimitEvictsOldestTracesUntilUnderTheLimit() {
    long oneSpan = SpanSizeEstimator.estimate(child(TRACE_A, "a1", "rootA"));
    LocalTraceBuffer buffer = buffer(limits(100, 100, 2 * oneSpan));
    buffer.add(child(TRACE_A, "a1", "rootA"), 0);
    buffer.add(child(TRACE_B, "b1", "rootB"), 0);
    assertThat(sink.released).isEmpty();

    buffer.add(child(TRACE_C, "c1", "rootC"), 0);

    assertThat(sink.released).hasSize(1);
    assertThat(ids(sink.released.get(0))).containsExactly("a1");
    assertThat(sink.releaseReasons).containsExactly(ReleaseReason.BYTE_LIMIT);
    assertThat(buffer.bufferedBytes()).isEqualTo(2 * oneSpan);
  }

  @Test
  void traceWhoseRootNeverEndsTimesOut() {
    LocalTraceBuffer buffer = buffer(limits());
    buffer.add(child(TRACE_A, "a1", "rootA"), 0);
    buffer.add(child(TRACE_B, "b1", "rootB"), 10);
    buffer.advance(TIMEOUT - 1);
    assertThat(sink.released).isEmpty();

    buffer.advance(TIMEOUT);

    assertThat(sink.released).hasSize(1);
    assertThat(ids(sink.released.get(0))).containsExactly("a1");
    assertThat(sink.releaseReasons).containsExactly(ReleaseReason.TIMEOUT);
    assertThat(buffer.bufferedTraces()).isEqualTo(1);
    assertThat(buffer.nanosUntilNextDue(TIMEOUT)).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void drainCompletesEndedTracesAndReleasesTheRest() {
    LocalTraceBuffer buffer = buffer(limits());
    buffer.add(child(TRACE_A, "a1", "rootA"), 0);
    buffer.add(localRoot(TRACE_A, "rootA"), 0);
    buffer.add(child(TRACE_B, "b1", "rootB"), 0);

    buffer.drain(ReleaseReason.SHUTDOWN);

    assertThat(sink.completed).hasSize(1);
    assertThat(ids(sink.completed.get(0))).containsExactly("a1", "rootA");
    assertThat(sink.released).hasSize(1);
    assertThat(ids(sink.released.get(0))).containsExactly("b1");
    assertThat(sink.releaseReasons).containsExactly(ReleaseReason.SHUTDOWN);
    assertThat(stats.bufferedTraces()).isZero();
    assertThat(stats.bufferedSpans()).isZero();
  }

  @Test
  void nanosUntilNextDueFollowsTheOldestEndedRoot() {
    LocalTraceBuffer buffer = buffer(limits());
    assertThat(buffer.nanosUntilNextDue(0)).isEqualTo(Long.MAX_VALUE);
    buffer.add(localRoot(TRACE_A, "rootA"), 100);
    buffer.add(localRoot(TRACE_B, "rootB"), 150);

    assertThat(buffer.nanosUntilNextDue(120)).isEqualTo(GRACE - 20);
    assertThat(buffer.nanosUntilNextDue(100 + GRACE + 7)).isZero();
  }

  @Test
  void gaugesTrackWhatIsBuffered() {
    LocalTraceBuffer buffer = buffer(limits());
    SpanData a1 = child(TRACE_A, "a1", "rootA");
    buffer.add(a1, 0);
    buffer.add(child(TRACE_B, "b1", "rootB"), 0);

    assertThat(stats.bufferedTraces()).isEqualTo(2);
    assertThat(stats.bufferedSpans()).isEqualTo(2);
    assertThat(stats.bufferedBytes()).isEqualTo(2 * SpanSizeEstimator.estimate(a1));
  }

  @Test
  void sizeEstimateGrowsWithAttributesEventsAndLinks() {
    SpanData bare = child(TRACE_A, "a1", "rootA");
    SpanData rich =
        builder(TRACE_A, "a1", "rootA", false)
            .attribute(AttributeKey.longKey("a"), 1L)
            .attribute(AttributeKey.longKey("b"), 2L)
            .build();

    assertThat(SpanSizeEstimator.estimate(rich) - SpanSizeEstimator.estimate(bare))
        .isEqualTo(2L * SpanSizeEstimator.PER_ATTRIBUTE_BYTES);
  }

  private LocalTraceBuffer buffer(AssemblyLimits limits) {
    return new LocalTraceBuffer(limits, sink, stats);
  }

  private static AssemblyLimits limits() {
    return limits(100, 100, Long.MAX_VALUE);
  }

  private static AssemblyLimits limits(int maxTraces, int maxSpansPerTrace, long maxBytes) {
    return new AssemblyLimits(
        maxTraces,
        maxSpansPerTrace,
        maxBytes,
        Duration.ofNanos(GRACE),
        Duration.ofNanos(TIMEOUT),
        1000);
  }

  static SpanData localRoot(String traceId, String name) {
    return span(traceId, name, null, false);
  }

  static SpanData child(String traceId, String name, String parent) {
    return span(traceId, name, parent, false);
  }

  static SpanData span(String traceId, String name, @Nullable String parent, boolean remoteParent) {
    return builder(traceId, name, parent, remoteParent).build();
  }

  /** A span of {@code traceId} from 1 to 2 ns, its id and its parent's given by {@link #spanId}. */
  private static TestSpans.Builder builder(
      String traceId, String name, @Nullable String parent, boolean remoteParent) {
    TestSpans.Builder span = TestSpans.span(name).spanId(spanId(name)).traceId(traceId).at(1, 2);
    if (parent != null && remoteParent) {
      span.remoteParentId(spanId(parent));
    } else if (parent != null) {
      span.parentId(spanId(parent));
    }
    return span;
  }

  /** A stable 16-hex-digit span id per readable name. */
  static String spanId(String name) {
    return String.format("%016x", name.hashCode() & 0xffffffffL | 0x100000000L);
  }

  private static List<String> ids(List<SpanData> spans) {
    return spans.stream().map(SpanData::getName).collect(Collectors.toList());
  }

  private static final class RecordingSink implements LocalTraceSink {
    final List<List<SpanData>> completed = new ArrayList<>();
    final List<String> completedRoots = new ArrayList<>();
    final List<List<SpanData>> released = new ArrayList<>();
    final List<ReleaseReason> releaseReasons = new ArrayList<>();
    final List<SpanData> late = new ArrayList<>();
    final List<ReleaseReason> lateReasons = new ArrayList<>();

    @Override
    public void complete(SpanData localRoot, List<SpanData> spans) {
      completedRoots.add(localRoot.getName());
      completed.add(List.copyOf(spans));
    }

    @Override
    public void release(List<SpanData> spans, ReleaseReason reason) {
      released.add(List.copyOf(spans));
      releaseReasons.add(reason);
    }

    @Override
    public void late(SpanData span, @Nullable ReleaseReason earlierReason) {
      late.add(span);
      lateReasons.add(earlierReason);
    }
  }
}
