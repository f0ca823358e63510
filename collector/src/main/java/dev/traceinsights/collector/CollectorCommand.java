package dev.traceinsights.collector;

import dev.traceinsights.collector.config.CollectorConfig;
import dev.traceinsights.collector.config.ConfigException;
import dev.traceinsights.collector.config.ConfigSource;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code java -jar trace-insights-collector.jar [--config FILE] [--set key=value]...}: runs the
 * collector until SIGTERM or Ctrl-C, then flushes what it holds within {@code
 * service.shutdown_timeout}. Exit codes: 0 after a clean stop, 2 for a bad command line or
 * configuration (nothing listens), 1 when an endpoint cannot be bound.
 */
@Command(
    name = "trace-insights-collector",
    mixinStandardHelpOptions = true,
    versionProvider = CollectorCommand.Version.class,
    description = "Receives OTLP traces, analyses whole traces, exports them enriched.")
public final class CollectorCommand implements Callable<Integer> {

  static final int CONFIG_ERROR = 2;
  static final int START_FAILED = 1;

  @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration file")
  Path config;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description = "Overrides one key, e.g. --set exporters.otlp.endpoint=http://jaeger:4317")
  List<String> overrides = new ArrayList<>();

  private final CountDownLatch stopped = new CountDownLatch(1);

  public static void main(String[] args) {
    System.exit(new CommandLine(new CollectorCommand()).execute(args));
  }

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter err = new PrintWriter(System.err, true);
    CollectorConfig collectorConfig;
    try {
      collectorConfig = CollectorConfig.from(ConfigSource.load(config, overrides));
    } catch (ConfigException e) {
      err.println("error: " + e.getMessage());
      return CONFIG_ERROR;
    }
    CollectorService service;
    try {
      service = CollectorService.start(collectorConfig);
    } catch (UncheckedIOException e) {
      err.println("error: " + e.getMessage());
      return START_FAILED;
    }
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  service.close();
                  stopped.countDown();
                },
                "traceinsights-collector-shutdown"));
    System.out.println(service.describe());
    System.out.flush();
    stopped.await();
    return 0;
  }

  /** The version from the jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = CollectorCommand.class.getPackage().getImplementationVersion();
      return new String[] {"trace-insights-collector " + (version == null ? "dev" : version)};
    }
  }
}
