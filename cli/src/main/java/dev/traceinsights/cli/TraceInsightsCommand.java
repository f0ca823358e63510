package dev.traceinsights.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/**
 * Entry point of the offline tools: {@code java -jar trace-insights-cli.jar <command> ...}. Without
 * a command it prints the usage and exits with 2.
 */
@Command(
    name = "trace-insights",
    mixinStandardHelpOptions = true,
    versionProvider = TraceInsightsCommand.Version.class,
    description = "Offline analysis of OpenTelemetry traces.",
    subcommands = {
      AnalyzeCommand.class,
      BaselineCommand.class,
      CompareCommand.class,
      CommandLine.HelpCommand.class
    })
public final class TraceInsightsCommand {

  public static void main(String[] args) {
    CommandLine commandLine = new CommandLine(new TraceInsightsCommand());
    // JSON is UTF-8 (RFC 8259) whatever the platform's default encoding.
    commandLine.setOut(new PrintWriter(new OutputStreamWriter(System.out, UTF_8), true));
    System.exit(commandLine.execute(args));
  }

  /** The version from the jar's manifest; "development" when run from classes. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = TraceInsightsCommand.class.getPackage().getImplementationVersion();
      return new String[] {"trace-insights " + (version == null ? "development" : version)};
    }
  }
}
