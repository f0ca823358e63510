package dev.traceinsights.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ZipkinTraceTest {

  /**
   *
   *
   * <pre>
   * frontend: f1 (parent: the caller, not in the trace)
   *             └ f2 (client)
   * backend:      └ b1 (server, parent f2)
   *                   └ b2
   * </pre>
   */
  @Test
  void localRootIsTheSpanWhoseParentIsElsewhere() {
    ZipkinTrace trace =
        new ZipkinTrace(
            List.of(
                span("b2", "b1", "backend"),
                span("f2", "f1", "frontend"),
                span("b1", "f2", "backend"),
                span("f1", "caller", "frontend")));
    assertThat(trace.localRoot("frontend")).map(ZipkinSpan::id).contains("f1");
    assertThat(trace.localRoot("backend")).map(ZipkinSpan::id).contains("b1");
    assertThat(trace.localRoot("absent")).isEmpty();
    assertThat(trace.childrenOf(trace.span("b1").orElseThrow()))
        .extracting(ZipkinSpan::id)
        .containsExactly("b2");
  }

  private static ZipkinSpan span(String id, String parentId, String service) {
    return new ZipkinSpan(
        "t", id, parentId, id, null, 0, 1, new ZipkinSpan.Endpoint(service), Map.of(), List.of());
  }
}
