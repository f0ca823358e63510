package dev.traceinsights.extension;

import dev.traceinsights.alerting.AlertRouter;
import dev.traceinsights.alerting.AlertRouterBuilder;
import dev.traceinsights.alerting.AlertRules;
import dev.traceinsights.alerting.AlertRulesException;
import dev.traceinsights.alerting.LogRecordSink;
import dev.traceinsights.alerting.PagerDutySink;
import dev.traceinsights.alerting.PagerDutySinkBuilder;
import dev.traceinsights.alerting.SlackSink;
import dev.traceinsights.alerting.WebhookSink;
import dev.traceinsights.alerting.WebhookSinkBuilder;
import dev.traceinsights.internal.DurationText;
import io.opentelemetry.api.logs.LoggerProvider;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import javax.annotation.Nullable;

/**
 * The {@code traceinsights.alerts.*} keys: where detection's events go. Secrets (webhook URLs, the
 * PagerDuty routing key, the webhook secret) are never logged, not even when invalid, and are left
 * out of {@link #toString()}.
 */
final class AlertingConfig {

  static final String ENABLED = "traceinsights.alerts.enabled";
  static final String RULES_FILE = "traceinsights.alerts.rules.file";
  static final String LOGS_ENABLED = "traceinsights.alerts.logs.enabled";
  static final String SLACK_URL = "traceinsights.alerts.slack.url";
  static final String PAGERDUTY_ROUTING_KEY = "traceinsights.alerts.pagerduty.routing-key";
  static final String PAGERDUTY_URL = "traceinsights.alerts.pagerduty.url";
  static final String WEBHOOK_URL = "traceinsights.alerts.webhook.url";
  static final String WEBHOOK_SECRET = "traceinsights.alerts.webhook.secret";
  static final String COOLDOWN = "traceinsights.alerts.cooldown";
  static final String GROUP_WINDOW = "traceinsights.alerts.group-window";
  static final String RATE_LIMIT = "traceinsights.alerts.rate-limit";
  static final String QUEUE_SIZE = "traceinsights.alerts.queue.size";
  static final String HISTORY_SIZE = "traceinsights.alerts.history.size";

  static final Duration DEFAULT_COOLDOWN = Duration.ofMinutes(10);
  static final int DEFAULT_RATE_LIMIT = 20;
  static final int DEFAULT_QUEUE_SIZE = 1000;
  static final int DEFAULT_HISTORY_SIZE = 500;

  final boolean enabled;
  @Nullable final String rulesFile;
  final boolean logs;
  @Nullable private final URI slackUrl;
  @Nullable private final String pagerDutyRoutingKey;
  @Nullable private final URI pagerDutyUrl;
  @Nullable private final URI webhookUrl;
  @Nullable private final String webhookSecret;
  final Duration cooldown;
  final Duration groupWindow;
  final int rateLimitPerMinute;
  final int queueSize;
  final int historySize;

  private AlertingConfig(ConfigReader reader) {
    this.enabled = reader.bool(ENABLED, true);
    this.rulesFile = reader.string(RULES_FILE);
    this.logs = reader.bool(LOGS_ENABLED, true);
    this.slackUrl = reader.httpUrl(SLACK_URL);
    this.pagerDutyRoutingKey = reader.string(PAGERDUTY_ROUTING_KEY);
    this.pagerDutyUrl = reader.httpUrl(PAGERDUTY_URL);
    this.webhookUrl = reader.httpUrl(WEBHOOK_URL);
    this.webhookSecret = reader.string(WEBHOOK_SECRET);
    this.cooldown = reader.duration(COOLDOWN, DEFAULT_COOLDOWN, true);
    this.groupWindow = reader.duration(GROUP_WINDOW, Duration.ZERO, true);
    this.rateLimitPerMinute = reader.intAtLeast(RATE_LIMIT, DEFAULT_RATE_LIMIT, 1);
    this.queueSize = reader.intAtLeast(QUEUE_SIZE, DEFAULT_QUEUE_SIZE, 1);
    this.historySize = reader.intAtLeast(HISTORY_SIZE, DEFAULT_HISTORY_SIZE, 0);
  }

  static AlertingConfig read(ConfigReader reader) {
    return new AlertingConfig(reader);
  }

  /**
   * The router with every configured sink, or null when alerting is off or nothing is configured. A
   * bad rules file is reported through {@code warnings} and the default rules are used.
   */
  @Nullable
  AlertRouter toRouter(LoggerProvider loggerProvider, Consumer<String> warnings) {
    if (!enabled) {
      return null;
    }
    AlertRouterBuilder builder =
        AlertRouter.builder()
            .setCooldown(cooldown)
            .setGroupWindow(groupWindow)
            .setRateLimit(rateLimitPerMinute, Duration.ofMinutes(1))
            .setQueueCapacity(queueSize)
            .setHistorySize(historySize);
    int sinks = 0;
    if (logs) {
      builder.addSink(LogRecordSink.create(loggerProvider));
      sinks++;
    }
    if (slackUrl != null) {
      builder.addSink(SlackSink.builder(slackUrl).build());
      sinks++;
    }
    if (pagerDutyRoutingKey != null) {
      PagerDutySinkBuilder pagerDuty = PagerDutySink.builder(pagerDutyRoutingKey);
      if (pagerDutyUrl != null) {
        pagerDuty.setEndpoint(pagerDutyUrl);
      }
      builder.addSink(pagerDuty.build());
      sinks++;
    }
    if (webhookUrl != null) {
      WebhookSinkBuilder webhook = WebhookSink.builder(webhookUrl);
      if (webhookSecret != null) {
        webhook.setSecret(webhookSecret);
      }
      builder.addSink(webhook.build());
      sinks++;
    }
    if (sinks == 0) {
      return null;
    }
    if (rulesFile != null) {
      try {
        builder.setRules(AlertRules.parse(Path.of(rulesFile)));
      } catch (AlertRulesException | java.nio.file.InvalidPathException e) {
        warnings.accept(
            "Trace Insights: "
                + RULES_FILE
                + ": "
                + e.getMessage()
                + "; using the default rule (severity medium and above to every destination)");
      }
    }
    return builder.build();
  }

  /** The destinations events go to, by name only (URLs and keys hold secrets): "logs, slack". */
  String destinations() {
    if (!enabled) {
      return "off";
    }
    List<String> names = new ArrayList<>();
    if (logs) {
      names.add("logs");
    }
    if (slackUrl != null) {
      names.add("slack");
    }
    if (pagerDutyRoutingKey != null) {
      names.add("pagerduty");
    }
    if (webhookUrl != null) {
      names.add("webhook");
    }
    return names.isEmpty() ? "none" : String.join(", ", names);
  }

  @Override
  public String toString() {
    return "AlertingConfig{enabled="
        + enabled
        + ", rulesFile="
        + rulesFile
        + ", logs="
        + logs
        + ", slack="
        + (slackUrl != null)
        + ", pagerDuty="
        + (pagerDutyRoutingKey != null)
        + ", webhook="
        + (webhookUrl != null)
        + ", cooldown="
        + DurationText.format(cooldown)
        + ", groupWindow="
        + DurationText.format(groupWindow)
        + ", rateLimitPerMinute="
        + rateLimitPerMinute
        + '}';
  }
}
