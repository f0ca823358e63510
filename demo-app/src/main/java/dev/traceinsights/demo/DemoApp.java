package dev.traceinsights.demo;

import dev.traceinsights.demo.backend.BackendService;
import dev.traceinsights.demo.frontend.FrontendService;
import java.io.IOException;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Starts one of the two demo services. Usage:
 *
 * <pre>
 * java -jar trace-insights-demo-app.jar backend --port=8081
 * java -jar trace-insights-demo-app.jar frontend --port=8080 --backend=http://127.0.0.1:8081
 * java -jar trace-insights-demo-app.jar traffic --frontend=http://127.0.0.1:8080 [--interval=3]
 * </pre>
 *
 * <p>Each option can also be given as a system property ({@code -Ddemo.port=8081}, {@code
 * -Ddemo.backend=...}) or environment variable ({@code DEMO_PORT}, {@code DEMO_BACKEND}), which is
 * what the docker-compose file uses. {@code --host} (default 127.0.0.1) is the address to bind.
 */
public final class DemoApp {

  public static void main(String[] args) throws IOException {
    if (args.length == 0 || !List.of("frontend", "backend", "traffic").contains(args[0])) {
      System.err.println(
          "usage: frontend --port=N --backend=http://host:port [--host=ADDR]\n"
              + "       backend --port=N [--host=ADDR]\n"
              + "       traffic --frontend=http://host:port [--interval=SECONDS]");
      System.exit(2);
      return;
    }
    Map<String, String> options = parseOptions(args);
    if (args[0].equals("traffic")) {
      TrafficGenerator.start(
          URI.create(option(options, "frontend", null)),
          Long.parseLong(option(options, "interval", "3")));
      return;
    }
    String host = option(options, "host", "127.0.0.1");
    int port = Integer.parseInt(option(options, "port", "0"));

    HttpService service =
        args[0].equals("backend")
            ? BackendService.start(host, port)
            : FrontendService.start(host, port, URI.create(option(options, "backend", null)));
    Runtime.getRuntime().addShutdownHook(new Thread(service::stop, "demo-shutdown"));
    System.out.println(
        args[0]
            + " listening on http://"
            + host
            + ":"
            + service.port()
            + " (Java "
            + Runtime.version()
            + ")");
  }

  private static Map<String, String> parseOptions(String[] args) {
    Map<String, String> options = new HashMap<>();
    for (int i = 1; i < args.length; i++) {
      String arg = args[i];
      int equals = arg.indexOf('=');
      if (!arg.startsWith("--") || equals < 0) {
        throw new IllegalArgumentException("expected --name=value, got: " + arg);
      }
      options.put(arg.substring(2, equals), arg.substring(equals + 1));
    }
    return options;
  }

  private static String option(Map<String, String> options, String name, String fallback) {
    String value = options.get(name);
    if (value == null) {
      value = System.getProperty("demo." + name);
    }
    if (value == null) {
      value = System.getenv("DEMO_" + name.toUpperCase(java.util.Locale.ROOT));
    }
    if (value == null) {
      if (fallback == null) {
        throw new IllegalArgumentException("missing --" + name + "=...");
      }
      value = fallback;
    }
    return value;
  }

  private DemoApp() {}
}
