package dev.traceinsights.semconv;

import static io.opentelemetry.api.common.AttributeKey.booleanKey;
import static io.opentelemetry.api.common.AttributeKey.longKey;
import static io.opentelemetry.api.common.AttributeKey.stringArrayKey;
import static io.opentelemetry.api.common.AttributeKey.stringKey;

import io.opentelemetry.api.common.AttributeKey;
import java.util.List;

/**
 * Every attribute Trace Insights writes on exported spans. Per-span results live under {@code
 * traceinsights.span.}, the trace summary (on the local root only) under {@code
 * traceinsights.trace.}. The README lists them all; keep the two in step.
 */
public final class InsightAttributes {

  // Captured on the application thread when the span ends (capture package).

  /** Bytes allocated by the span's thread between start and end; absent if it changed threads. */
  public static final AttributeKey<Long> SPAN_ALLOCATED_BYTES =
      longKey("traceinsights.span.allocated_bytes");

  /** CPU time of the span's thread between start and end; only when CPU capture is on. */
  public static final AttributeKey<Long> SPAN_CPU_TIME_NS =
      longKey("traceinsights.span.cpu_time_ns");

  /** Semantic-convention thread name, written only when the span does not carry it already. */
  public static final AttributeKey<String> THREAD_NAME = stringKey("thread.name");

  // Per-span analysis results (every analysed span).

  public static final AttributeKey<Long> SPAN_SELF_TIME_NS =
      longKey("traceinsights.span.self_time_ns");

  public static final AttributeKey<Long> SPAN_CRITICAL_PATH_NS =
      longKey("traceinsights.span.critical_path_ns");

  public static final AttributeKey<Boolean> SPAN_ON_CRITICAL_PATH =
      booleanKey("traceinsights.span.on_critical_path");

  public static final AttributeKey<Long> SPAN_DEPTH = longKey("traceinsights.span.depth");

  public static final AttributeKey<Long> SPAN_FAN_OUT = longKey("traceinsights.span.fan_out");

  // Per-span analysis results (only on the spans they concern).

  public static final AttributeKey<Boolean> SPAN_BOTTLENECK =
      booleanKey("traceinsights.span.bottleneck");

  public static final AttributeKey<String> SPAN_BOTTLENECK_CATEGORY =
      stringKey("traceinsights.span.bottleneck_category");

  public static final AttributeKey<String> SPAN_ERROR_FINGERPRINT =
      stringKey("traceinsights.span.error_fingerprint");

  public static final AttributeKey<Boolean> SPAN_ROOT_CAUSE =
      booleanKey("traceinsights.span.root_cause");

  public static final AttributeKey<Boolean> SPAN_ERROR_CHAIN =
      booleanKey("traceinsights.span.error_chain");

  public static final AttributeKey<Long> SPAN_N_PLUS_ONE_COUNT =
      longKey("traceinsights.span.n_plus_one_count");

  public static final AttributeKey<String> SPAN_N_PLUS_ONE_STATEMENT =
      stringKey("traceinsights.span.n_plus_one_statement");

  /** {@code query}, {@code write} or {@code call}: what repeats, and so what the remedy is. */
  public static final AttributeKey<String> SPAN_N_PLUS_ONE_KIND =
      stringKey("traceinsights.span.n_plus_one_kind");

  /** The span names between the N+1 parent and each repetition, outermost first. */
  public static final AttributeKey<String> SPAN_N_PLUS_ONE_VIA =
      stringKey("traceinsights.span.n_plus_one_via");

  /** The span ended after its local trace had been analysed and exported. */
  public static final AttributeKey<Boolean> SPAN_LATE = booleanKey("traceinsights.span.late");

  /** Why a span was exported without analysis (see {@code ReleaseReason}). */
  public static final AttributeKey<String> SPAN_UNANALYZED =
      stringKey("traceinsights.span.unanalyzed");

  /**
   * Why the span's local trace was exported when tail decisions are on: {@code head}, {@code
   * error}, {@code slow}, {@code bottleneck}, {@code n_plus_one}, {@code rare} or {@code
   * probabilistic}.
   */
  public static final AttributeKey<String> SAMPLING_REASON =
      stringKey("traceinsights.sampling.reason");

  // Trace summary, on the local root span.

  public static final AttributeKey<Long> TRACE_DURATION_NS =
      longKey("traceinsights.trace.duration_ns");

  public static final AttributeKey<Long> TRACE_SPAN_COUNT =
      longKey("traceinsights.trace.span_count");

  public static final AttributeKey<Long> TRACE_ERROR_COUNT =
      longKey("traceinsights.trace.error_count");

  public static final AttributeKey<Long> TRACE_ALLOCATED_BYTES =
      longKey("traceinsights.trace.allocated_bytes");

  public static final AttributeKey<Long> TRACE_DEPTH = longKey("traceinsights.trace.depth");

  public static final AttributeKey<String> TRACE_DEPTH_STATUS =
      stringKey("traceinsights.trace.depth_status");

  public static final AttributeKey<Long> TRACE_MAX_FAN_OUT =
      longKey("traceinsights.trace.max_fan_out");

  public static final AttributeKey<String> TRACE_FAN_OUT_STATUS =
      stringKey("traceinsights.trace.fan_out_status");

  /** The spans on the critical path, each once, latest first. */
  public static final AttributeKey<List<String>> TRACE_CRITICAL_PATH_SPAN_IDS =
      stringArrayKey("traceinsights.trace.critical_path_span_ids");

  public static final AttributeKey<List<String>> TRACE_BOTTLENECK_SPAN_IDS =
      stringArrayKey("traceinsights.trace.bottleneck_span_ids");

  public static final AttributeKey<String> TRACE_BOTTLENECK_SPAN_NAME =
      stringKey("traceinsights.trace.bottleneck_span_name");

  public static final AttributeKey<String> TRACE_BOTTLENECK_CATEGORY =
      stringKey("traceinsights.trace.bottleneck_category");

  public static final AttributeKey<String> TRACE_ROOT_CAUSE_SPAN_ID =
      stringKey("traceinsights.trace.root_cause_span_id");

  public static final AttributeKey<String> TRACE_ROOT_CAUSE_SPAN_NAME =
      stringKey("traceinsights.trace.root_cause_span_name");

  public static final AttributeKey<String> TRACE_ROOT_CAUSE_ERROR_TYPE =
      stringKey("traceinsights.trace.root_cause_error_type");

  public static final AttributeKey<String> TRACE_ROOT_CAUSE_FINGERPRINT =
      stringKey("traceinsights.trace.root_cause_fingerprint");

  public static final AttributeKey<Long> TRACE_N_PLUS_ONE_COUNT =
      longKey("traceinsights.trace.n_plus_one_count");

  private InsightAttributes() {}
}
