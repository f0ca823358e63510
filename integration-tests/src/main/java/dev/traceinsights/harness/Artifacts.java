package dev.traceinsights.harness;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the build put the programs the harness starts. All paths are fixed names under the
 * project's modules ({@code mvn package} creates them); {@link #require} says which command makes a
 * missing one.
 */
public record Artifacts(
    Path agentJar,
    Path extensionJar,
    Path demoAppJar,
    Path zipkinServerJar,
    Path skyWalkingLib,
    Path collectorJar) {

  public static Artifacts inProject(Path projectRoot) {
    Path root = projectRoot.toAbsolutePath().normalize();
    return new Artifacts(
        root.resolve("backends/target/opentelemetry-javaagent.jar"),
        root.resolve("otel-extension/target/trace-insights-extension.jar"),
        root.resolve("demo-app/target/trace-insights-demo-app.jar"),
        root.resolve("backends/target/zipkin-server.jar"),
        root.resolve("backends/skywalking/target/lib"),
        root.resolve("collector/target/trace-insights-collector.jar"));
  }

  /** Returns {@code path} if it exists, otherwise fails with the command that builds it. */
  public static Path require(Path path) {
    if (!Files.exists(path)) {
      throw new IllegalStateException(
          path
              + " does not exist: build it first (mvn -B package -DskipTests from the project root)");
    }
    return path;
  }
}
