package dev.traceinsights.sampling;

import io.opentelemetry.sdk.trace.samplers.SamplingDecision;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;

/** What a matching {@link SamplingRule} decides for the trace that enters the process. */
public enum SamplingAction {
  /** Record the span and export the trace. */
  SAMPLE("sample", SamplingResult.recordAndSample()),
  /** Neither record nor export. */
  DROP("drop", SamplingResult.drop()),
  /** Record the span (span processors see it) but do not export it. */
  RECORD_ONLY("record_only", SamplingResult.recordOnly());

  private final String configName;
  private final SamplingResult result;

  SamplingAction(String configName, SamplingResult result) {
    this.configName = configName;
    this.result = result;
  }

  /** The action's name in the rule syntax of {@link SamplingRules#parse}. */
  public String configName() {
    return configName;
  }

  /** The SDK decision this action stands for. */
  public SamplingDecision decision() {
    return result.getDecision();
  }

  // The SDK's cached, attribute-less result: returning it allocates nothing.
  SamplingResult result() {
    return result;
  }
}
