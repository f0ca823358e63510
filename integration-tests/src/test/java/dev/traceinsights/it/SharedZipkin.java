package dev.traceinsights.it;

import dev.traceinsights.harness.ZipkinServer;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One Zipkin server for every test class that uses it (it takes ~10 s to start): started on first
 * use, owned by JUnit's root context store, which closes it when the whole run ends.
 */
final class SharedZipkin implements BeforeAllCallback {

  private static volatile ZipkinServer server;

  @Override
  public void beforeAll(ExtensionContext context) {
    server =
        context
            .getRoot()
            .getStore(ExtensionContext.Namespace.create(SharedZipkin.class))
            .getOrComputeIfAbsent(
                "zipkin",
                key ->
                    ZipkinServer.start(
                        ItEnvironment.artifacts().zipkinServerJar(),
                        ItEnvironment.workDir("zipkin")),
                ZipkinServer.class);
  }

  /** The server; only valid in classes extended with {@code @ExtendWith(SharedZipkin.class)}. */
  static ZipkinServer server() {
    if (server == null) {
      throw new IllegalStateException(
          "annotate the test class with @ExtendWith(SharedZipkin.class)");
    }
    return server;
  }
}
