package dev.traceinsights.collector.telemetry;

import dev.traceinsights.events.InsightEvent;
import dev.traceinsights.events.InsightEventListener;
import java.util.Locale;
import java.util.logging.Logger;

/**
 * Regression, anomaly and trend events as one log line each, so that an operator without an alert
 * destination still sees them.
 */
public final class EventLog implements InsightEventListener {

  private static final Logger logger = Logger.getLogger(EventLog.class.getName());

  @Override
  public void onEvent(InsightEvent event) {
    logger.info(
        "Trace Insights "
            + event.type().name().toLowerCase(Locale.ROOT)
            + " "
            + event.status().name().toLowerCase(Locale.ROOT)
            + " ("
            + event.severity().name().toLowerCase(Locale.ROOT)
            + "): "
            + event.title()
            + (event.exampleTraceIds().isEmpty()
                ? ""
                : "; example trace " + event.exampleTraceIds().get(0)));
  }
}
