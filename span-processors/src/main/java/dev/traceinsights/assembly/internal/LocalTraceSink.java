package dev.traceinsights.assembly.internal;

import dev.traceinsights.assembly.ReleaseReason;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;
import javax.annotation.Nullable;

/** Where {@link LocalTraceBuffer} sends spans once it has decided what happens to them. */
public interface LocalTraceSink {

  /** A local trace is complete: {@code localRoot} and every buffered span below it. */
  void complete(SpanData localRoot, List<SpanData> spans);

  /** Spans leave the buffer without analysis. */
  void release(List<SpanData> spans, ReleaseReason reason);

  /**
   * A span arrived after the decision on its local trace: {@code earlierReason} is null when the
   * trace was analysed, else why it was released.
   */
  void late(SpanData span, @Nullable ReleaseReason earlierReason);
}
