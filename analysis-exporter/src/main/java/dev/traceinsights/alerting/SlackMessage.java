package dev.traceinsights.alerting;

import dev.traceinsights.events.EventStatus;
import dev.traceinsights.events.InsightEvent;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Slack incoming-webhook payload for one or more events: {@code text} (the notification and
 * fallback) and Block Kit {@code blocks}: a header, then per event a section (recommendation, and
 * fields for severity, status, service, operation and evidence) and a context line (example traces,
 * dedup key), separated by dividers. Stays within Slack's documented limits: 50 blocks, header 150
 * chars, section text 3000, 10 fields of 2000, 10 context elements.
 */
final class SlackMessage {

  static final int MAX_HEADER_CHARS = 150;
  static final int MAX_TEXT_CHARS = 3000;
  static final int MAX_FIELD_CHARS = 2000;
  static final int MAX_FIELDS = 10;
  // 1 header + 3 blocks per event - 1 trailing divider + 1 "and N more" context <= 50 blocks.
  static final int MAX_LISTED_EVENTS = 15;
  private static final int MAX_TRACE_IDS = 5;

  private SlackMessage() {}

  static Map<String, Object> of(List<InsightEvent> events) {
    Map<String, Object> message = AlertJson.object();
    message.put("text", fallbackText(events));
    List<Object> blocks = AlertJson.putArray(message, "blocks");
    blocks.add(header(events));
    int listed = Math.min(events.size(), MAX_LISTED_EVENTS);
    for (int i = 0; i < listed; i++) {
      if (i > 0) {
        AlertJson.addObject(blocks).put("type", "divider");
      }
      InsightEvent event = events.get(i);
      blocks.add(section(event, events.size() > 1));
      blocks.add(context(event));
    }
    if (events.size() > listed) {
      Map<String, Object> more = AlertJson.addObject(blocks);
      more.put("type", "context");
      mrkdwn(
          AlertJson.addObject(AlertJson.putArray(more, "elements")),
          "_and " + (events.size() - listed) + " more_");
    }
    return message;
  }

  /** What notifications and clients without Block Kit show. */
  private static String fallbackText(List<InsightEvent> events) {
    if (events.size() == 1) {
      return escape(AlertJson.truncate(tag(events.get(0)) + " " + events.get(0).title(), 1000));
    }
    StringBuilder text =
        new StringBuilder().append(events.size()).append(" Trace Insights alerts:");
    for (InsightEvent event : events) {
      text.append("\n").append(tag(event)).append(' ').append(event.title());
    }
    return escape(AlertJson.truncate(text.toString(), MAX_TEXT_CHARS / 2));
  }

  private static Map<String, Object> header(List<InsightEvent> events) {
    String title;
    if (events.size() == 1) {
      InsightEvent event = events.get(0);
      title =
          (event.status() == EventStatus.RESOLVED ? "✅ Resolved: " : severityLabel(event) + ": ")
              + event.title();
    } else {
      long resolved = events.stream().filter(e -> e.status() == EventStatus.RESOLVED).count();
      title =
          events.size()
              + " Trace Insights alerts"
              + (resolved == 0 ? "" : " (" + resolved + " resolved)");
    }
    Map<String, Object> header = AlertJson.object();
    header.put("type", "header");
    Map<String, Object> text = AlertJson.putObject(header, "text");
    text.put("type", "plain_text");
    text.put("text", AlertJson.truncate(title, MAX_HEADER_CHARS));
    text.put("emoji", true);
    return header;
  }

  private static Map<String, Object> section(InsightEvent event, boolean grouped) {
    StringBuilder text = new StringBuilder();
    if (grouped) {
      text.append('*').append(escape(tag(event) + " " + event.title())).append('*');
    }
    if (!event.recommendation().isEmpty()) {
      text.append(grouped ? "\n" : "").append(escape(event.recommendation()));
    } else if (!grouped) {
      text.append(escape(event.title()));
    }
    if (text.length() == 0) {
      text.append("(no title)"); // Slack refuses an empty text object.
    }
    Map<String, Object> section = AlertJson.object();
    section.put("type", "section");
    mrkdwn(AlertJson.putObject(section, "text"), truncateMrkdwn(text.toString(), MAX_TEXT_CHARS));
    List<Object> fields = AlertJson.putArray(section, "fields");
    field(fields, "Severity", event.severity().label());
    field(fields, "Status", event.status().label());
    if (!event.service().isEmpty()) {
      field(fields, "Service", event.service());
    }
    if (!event.operation().isEmpty()) {
      field(
          fields,
          "Operation",
          event.operation() + (event.spanKind().isEmpty() ? "" : " (" + event.spanKind() + ")"));
    }
    for (Map.Entry<String, Object> evidence : event.evidence().entrySet()) {
      if (fields.size() == MAX_FIELDS) {
        break;
      }
      field(fields, evidence.getKey(), String.valueOf(evidence.getValue()));
    }
    return section;
  }

  private static Map<String, Object> context(InsightEvent event) {
    Map<String, Object> context = AlertJson.object();
    context.put("type", "context");
    List<Object> elements = AlertJson.putArray(context, "elements");
    List<String> traceIds = event.exampleTraceIds();
    if (!traceIds.isEmpty()) {
      StringBuilder traces = new StringBuilder("Example traces:");
      for (String traceId : traceIds.subList(0, Math.min(traceIds.size(), MAX_TRACE_IDS))) {
        traces.append(" `").append(escape(traceId)).append('`');
      }
      mrkdwn(AlertJson.addObject(elements), traces.toString());
    }
    mrkdwn(
        AlertJson.addObject(elements),
        truncateMrkdwn("Key: `" + escape(event.dedupKey()) + "`", MAX_TEXT_CHARS));
    return context;
  }

  private static void field(List<Object> fields, String name, String value) {
    mrkdwn(
        AlertJson.addObject(fields),
        truncateMrkdwn("*" + escape(name) + "*\n" + escape(value), MAX_FIELD_CHARS));
  }

  private static void mrkdwn(Map<String, Object> textObject, String text) {
    textObject.put("type", "mrkdwn");
    textObject.put("text", text);
  }

  private static String tag(InsightEvent event) {
    return "[" + (event.status() == EventStatus.RESOLVED ? "RESOLVED" : severityLabel(event)) + "]";
  }

  private static String severityLabel(InsightEvent event) {
    return event.severity().name().toUpperCase(Locale.ROOT);
  }

  /** Slack's mrkdwn needs &, < and > escaped; they would otherwise start entities and links. */
  static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  /** Truncates escaped text without leaving half an entity such as {@code &am}. */
  private static String truncateMrkdwn(String escaped, int maxChars) {
    String cut = AlertJson.truncate(escaped, maxChars);
    if (cut.length() == escaped.length()) {
      return cut;
    }
    int amp = cut.lastIndexOf('&');
    if (amp >= 0 && cut.indexOf(';', amp) < 0) {
      cut = cut.substring(0, amp) + '…';
    }
    return cut;
  }
}
