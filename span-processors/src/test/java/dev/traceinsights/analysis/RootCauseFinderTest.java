package dev.traceinsights.analysis;

import static dev.traceinsights.testing.TestSpans.id;
import static dev.traceinsights.testing.TestSpans.span;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Root cause, error chain, per-span error details and error groups. {@code !} marks an error. */
class RootCauseFinderTest {

  private static final String SQL_STACK =
      "org.h2.jdbc.JdbcSQLSyntaxErrorException: Table \"ORDERS\" not found\n"
          + "\tat org.h2.message.DbException.getJdbcSQLException(DbException.java:514)\n"
          + "\tat org.h2.message.DbException.get(DbException.java:223)\n"
          + "\tat org.h2.command.Parser.readTableOrView(Parser.java:8366)\n"
          + "\tat org.h2.command.Parser.parse(Parser.java:1001)\n";

  private static TraceAnalysis analyze(SpanData... spans) {
    return TraceAnalyzer.create().analyze(List.of(spans));
  }

  @Test
  void exceptionThrownThreeLevelsDeepIsTheRootCauseOfTheCascade() {
    // time     0    10   20   30   40   50   60   70   80   90   100
    // request  [===============================================!]     SERVER, status ERROR
    // service       [=====================================!]          exception event, ERROR
    // repo               [============================!]               exception event, ERROR
    // query                   [=====!]                                 thrown here
    // audit                                                 [===]      fine
    TraceAnalysis analysis =
        analyze(
            span("request")
                .at(0, 100)
                .kind(SpanKind.SERVER)
                .attribute("error.type", "500")
                .errorStatus("")
                .build(),
            span("service")
                .parent("request")
                .at(10, 90)
                .exception("com.example.OrderException", "loading order 42 failed", null)
                .errorStatus("loading order 42 failed")
                .build(),
            span("repo")
                .parent("service")
                .at(20, 80)
                .exception(
                    "org.springframework.dao.InvalidDataAccessResourceUsageException",
                    "could not prepare statement",
                    null)
                .errorStatus("")
                .build(),
            span("query")
                .parent("repo")
                .at(30, 40)
                .kind(SpanKind.CLIENT)
                .exception(
                    "org.h2.jdbc.JdbcSQLSyntaxErrorException",
                    "Table \"ORDERS\" not found",
                    SQL_STACK)
                .errorStatus("Table \"ORDERS\" not found")
                .build(),
            span("audit").parent("request").at(90, 95).build());

    RootCause rootCause = analysis.rootCause();
    assertThat(rootCause).isNotNull();
    assertThat(rootCause.spanId()).isEqualTo(id("query"));
    assertThat(rootCause.spanName()).isEqualTo("query");
    assertThat(rootCause.chain())
        .containsExactly(id("query"), id("repo"), id("service"), id("request"));
    assertThat(rootCause.errorType()).isEqualTo("org.h2.jdbc.JdbcSQLSyntaxErrorException");
    assertThat(rootCause.message()).isEqualTo("Table \"ORDERS\" not found");
    assertThat(rootCause.fingerprint())
        .isEqualTo(
            ErrorFingerprint.of(
                "org.h2.jdbc.JdbcSQLSyntaxErrorException",
                "Table \"ORDERS\" not found",
                SQL_STACK,
                "query"));

    assertThat(analysis.totals().errorCount()).isEqualTo(4);
    assertThat(analysis.span(id("audit")).error()).isFalse();
    assertThat(analysis.span(id("audit")).errorFingerprint()).isNull();
    assertThat(analysis.span(id("query")).errorFingerprint()).isEqualTo(rootCause.fingerprint());
    // Without an exception event the type is error.type and the span name is fingerprinted.
    assertThat(analysis.span(id("request")).errorFingerprint())
        .isEqualTo(ErrorFingerprint.of("500", "", null, "request"));
    assertThat(analysis.errorGroups())
        .extracting(ErrorGroup::errorType)
        .containsExactly(
            "500",
            "com.example.OrderException",
            "org.springframework.dao.InvalidDataAccessResourceUsageException",
            "org.h2.jdbc.JdbcSQLSyntaxErrorException");
  }

  @Test
  void deepestOfTwoErrorLeavesWins() {
    // time   0    10   20   30   40   50   60   70   80   90   100
    // root   [================================================]
    // a           [===================!]                              depth 2
    // a1               [=========!]                                   depth 3: root cause
    // b                                    [===================!]     depth 2, no errored child
    TraceAnalysis analysis =
        analyze(
            span("root").at(0, 100).build(),
            span("b").parent("root").at(50, 90).errorStatus("b failed").build(),
            span("a").parent("root").at(10, 50).errorStatus("a failed").build(),
            span("a1").parent("a").at(20, 40).errorStatus("a1 failed").build());

    assertThat(analysis.rootCause().spanId()).isEqualTo(id("a1"));
    assertThat(analysis.rootCause().chain()).containsExactly(id("a1"), id("a"), id("root"));
    assertThat(analysis.rootCause().errorType()).isEqualTo("span_error");
    assertThat(analysis.rootCause().message()).isEqualTo("a1 failed");
  }

  @Test
  void equallyDeepLeavesTieOnEarliestEndThenInputOrder() {
    // time   0    10   20   30   40   50   60   70
    // root   [===================================]
    // x           [=========================!]          ends 60
    // y           [===============!]                    ends 40: failed first -> root cause
    TraceAnalysis first =
        analyze(
            span("root").at(0, 70).build(),
            span("x").parent("root").at(10, 60).errorStatus("").build(),
            span("y").parent("root").at(10, 40).errorStatus("").build());
    assertThat(first.rootCause().spanId()).isEqualTo(id("y"));

    // Same end: the first in input order.
    TraceAnalysis second =
        analyze(
            span("root").at(0, 70).build(),
            span("x").parent("root").at(10, 40).errorStatus("").build(),
            span("y").parent("root").at(20, 40).errorStatus("").build());
    assertThat(second.rootCause().spanId()).isEqualTo(id("x"));
  }

  @Test
  void exceptionEventWithoutErrorStatusIsAnError() {
    // A handled exception: recorded but the span ended OK. Its last exception event counts.
    TraceAnalysis analysis =
        analyze(
            span("root").at(0, 10).build(),
            span("retry")
                .parent("root")
                .at(1, 9)
                .exception("java.io.IOException", "first", null)
                .event("retrying")
                .exception("java.net.SocketTimeoutException", "second", null)
                .build());

    assertThat(analysis.span(id("retry")).error()).isTrue();
    assertThat(analysis.span(id("root")).error()).isFalse();
    assertThat(analysis.rootCause().errorType()).isEqualTo("java.net.SocketTimeoutException");
    assertThat(analysis.rootCause().message()).isEqualTo("second");
    assertThat(analysis.rootCause().chain()).containsExactly(id("retry"), id("root"));
  }

  @Test
  void noErrorsNoRootCause() {
    TraceAnalysis analysis = analyze(span("root").at(0, 10).event("log").build());

    assertThat(analysis.rootCause()).isNull();
    assertThat(analysis.errorGroups()).isEmpty();
    assertThat(analysis.totals().errorCount()).isZero();
  }

  @Test
  void errorsGroupByFingerprintLargestFirst() {
    // Three lookups of one operation fail the same way (different ids in the messages), one
    // timeout, two span_errors of different operations.
    TraceAnalysis analysis =
        analyze(
            span("root").at(0, 100).build(),
            span("t1").parent("root").at(1, 2).exception("TimeoutException", "5 s", null).build(),
            span("nf1")
                .name("lookup")
                .parent("root")
                .at(3, 4)
                .exception("NotFoundException", "order 1 not found", null)
                .build(),
            span("nf2")
                .name("lookup")
                .parent("root")
                .at(5, 6)
                .exception("NotFoundException", "order 22 not found", null)
                .build(),
            span("op1").parent("root").at(7, 8).errorStatus("").build(),
            span("nf3")
                .name("lookup")
                .parent("root")
                .at(9, 10)
                .exception("NotFoundException", "order 333 not found", null)
                .build(),
            span("op2").parent("root").at(11, 12).errorStatus("").build());

    assertThat(analysis.errorGroups())
        .containsExactly(
            new ErrorGroup(
                ErrorFingerprint.of("NotFoundException", "order 1 not found", null, "lookup"),
                "NotFoundException",
                3,
                id("nf1")),
            new ErrorGroup(
                ErrorFingerprint.of("TimeoutException", "5 s", null, "t1"),
                "TimeoutException",
                1,
                id("t1")),
            new ErrorGroup(
                ErrorFingerprint.of("span_error", "", null, "op1"), "span_error", 1, id("op1")),
            new ErrorGroup(
                ErrorFingerprint.of("span_error", "", null, "op2"), "span_error", 1, id("op2")));
  }
}
