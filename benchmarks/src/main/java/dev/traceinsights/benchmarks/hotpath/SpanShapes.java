package dev.traceinsights.benchmarks.hotpath;

import static io.opentelemetry.api.common.AttributeKey.longKey;
import static io.opentelemetry.api.common.AttributeKey.stringKey;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;

/** The spans the hot-path benchmarks start and end: each a new trace, as a server request is. */
final class SpanShapes {

  private static final AttributeKey<String> HTTP_METHOD = stringKey("http.request.method");
  private static final AttributeKey<String> URL_PATH = stringKey("url.path");
  private static final AttributeKey<String> URL_SCHEME = stringKey("url.scheme");
  private static final AttributeKey<String> SERVER_ADDRESS = stringKey("server.address");
  private static final AttributeKey<Long> SERVER_PORT = longKey("server.port");
  private static final AttributeKey<String> HTTP_ROUTE = stringKey("http.route");
  private static final AttributeKey<String> USER_AGENT = stringKey("user_agent.original");
  private static final AttributeKey<String> PROTOCOL_VERSION =
      stringKey("network.protocol.version");
  private static final AttributeKey<String> CLIENT_ADDRESS = stringKey("client.address");
  private static final AttributeKey<Long> STATUS_CODE = longKey("http.response.status_code");

  private SpanShapes() {}

  /** A span with no attributes. */
  static void bare(Tracer tracer) {
    tracer.spanBuilder("GET /shop/orders").setSpanKind(SpanKind.SERVER).startSpan().end();
  }

  /** A server span with the ten attributes HTTP server instrumentation typically sets. */
  static void attributes10(Tracer tracer) {
    Span span =
        tracer
            .spanBuilder("GET /shop/orders")
            .setSpanKind(SpanKind.SERVER)
            .setAttribute(HTTP_METHOD, "GET")
            .setAttribute(URL_PATH, "/shop/orders")
            .setAttribute(URL_SCHEME, "http")
            .setAttribute(SERVER_ADDRESS, "127.0.0.1")
            .setAttribute(SERVER_PORT, 8080L)
            .setAttribute(HTTP_ROUTE, "/shop/orders")
            .setAttribute(USER_AGENT, "Java-http-client/17.0.15")
            .setAttribute(PROTOCOL_VERSION, "1.1")
            .setAttribute(CLIENT_ADDRESS, "127.0.0.1")
            .startSpan();
    span.setAttribute(STATUS_CODE, 200L);
    span.end();
  }

  /** A failed span: an exception event (the SDK renders its stack trace) and error status. */
  static void exception(Tracer tracer, Throwable exception) {
    Span span =
        tracer.spanBuilder("CardValidator.validate").setSpanKind(SpanKind.INTERNAL).startSpan();
    span.recordException(exception);
    span.setStatus(StatusCode.ERROR);
    span.end();
  }

  /** An exception thrown a few frames deep, like one an application records. */
  static IllegalStateException failure(int depth) {
    if (depth == 0) {
      return new IllegalStateException("card 4242-4242-4242-4242 declined: card is blocked");
    }
    return failure(depth - 1);
  }
}
