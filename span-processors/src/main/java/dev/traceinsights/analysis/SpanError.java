package dev.traceinsights.analysis;

import static io.opentelemetry.api.common.AttributeKey.stringKey;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;
import javax.annotation.Nullable;

/**
 * The error a span recorded. A span is errored when its status is ERROR or it has an event named
 * {@code exception}. The details come from its last {@code exception} event (the one closest to
 * where the span ended, usually the one that made it fail); without one, or for what the event
 * lacks, the type is the {@code error.type} attribute else {@code "span_error"} and the message is
 * the status description.
 *
 * @param message as recorded, possibly empty
 * @param stackTrace the {@code exception.stacktrace} of the event, null when there is none
 * @param fingerprint see {@link ErrorFingerprint}
 */
record SpanError(String type, String message, @Nullable String stackTrace, String fingerprint) {

  static final String EXCEPTION_EVENT_NAME = "exception";
  static final String DEFAULT_TYPE = "span_error";

  private static final AttributeKey<String> EXCEPTION_TYPE = stringKey("exception.type");
  private static final AttributeKey<String> EXCEPTION_MESSAGE = stringKey("exception.message");
  private static final AttributeKey<String> EXCEPTION_STACKTRACE =
      stringKey("exception.stacktrace");
  private static final AttributeKey<String> ERROR_TYPE = stringKey("error.type");

  /** The error {@code span} recorded, null when it is not errored. */
  @Nullable
  static SpanError of(SpanData span) {
    Attributes exception = lastExceptionEvent(span.getEvents());
    boolean errorStatus = span.getStatus().getStatusCode() == StatusCode.ERROR;
    if (exception == null && !errorStatus) {
      return null;
    }
    String type = null;
    String message = null;
    String stackTrace = null;
    if (exception != null) {
      type = exception.get(EXCEPTION_TYPE);
      message = exception.get(EXCEPTION_MESSAGE);
      stackTrace = exception.get(EXCEPTION_STACKTRACE);
    }
    if (type == null || type.isEmpty()) {
      type = span.getAttributes().get(ERROR_TYPE);
      if (type == null || type.isEmpty()) {
        type = DEFAULT_TYPE;
      }
    }
    if (message == null) {
      message = span.getStatus().getDescription();
      if (message == null) {
        message = "";
      }
    }
    String fingerprint = ErrorFingerprint.of(type, message, stackTrace, span.getName());
    return new SpanError(type, message, stackTrace, fingerprint);
  }

  @Nullable
  private static Attributes lastExceptionEvent(List<EventData> events) {
    for (int i = events.size() - 1; i >= 0; i--) {
      EventData event = events.get(i);
      if (EXCEPTION_EVENT_NAME.equals(event.getName())) {
        return event.getAttributes();
      }
    }
    return null;
  }
}
