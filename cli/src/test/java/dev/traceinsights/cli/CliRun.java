package dev.traceinsights.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Path;
import picocli.CommandLine;

/** One in-process run of {@code trace-insights}, with what it printed. */
record CliRun(int exitCode, String out, String err) {

  static CliRun run(String... args) {
    return run(CommandLine.defaultFactory(), args);
  }

  /** Runs with {@code factory} creating the commands, e.g. to give analyze a stand-in analysis. */
  static CliRun run(CommandLine.IFactory factory, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine commandLine = new CommandLine(new TraceInsightsCommand(), factory);
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int exitCode = commandLine.execute(args);
    return new CliRun(exitCode, out.toString(), err.toString());
  }

  /** A factory whose analyze command analyses with {@code analysis}. */
  static CommandLine.IFactory analyzingWith(AnalyzeCommand.Analysis analysis) {
    return new CommandLine.IFactory() {
      @Override
      public <K> K create(Class<K> type) throws Exception {
        if (type == AnalyzeCommand.class) {
          return type.cast(new AnalyzeCommand(analysis));
        }
        return CommandLine.defaultFactory().create(type);
      }
    };
  }

  static String fixture(String name) {
    try {
      return Path.of(CliRun.class.getResource("/cli/" + name).toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
