package dev.traceinsights.cli;

/** Entry point of the offline tools. */
public final class TraceInsightsCommand {

  private TraceInsightsCommand() {}

  public static void main(String[] args) {
    throw new UnsupportedOperationException("not implemented yet");
  }
}
