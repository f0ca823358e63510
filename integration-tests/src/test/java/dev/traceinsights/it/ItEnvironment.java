package dev.traceinsights.it;

import dev.traceinsights.harness.Artifacts;
import java.nio.file.Path;

/** Paths the failsafe configuration passes to the integration tests. */
final class ItEnvironment {

  static Path projectRoot() {
    return Path.of(required("traceinsights.it.project-root")).toAbsolutePath().normalize();
  }

  static Artifacts artifacts() {
    return Artifacts.inProject(projectRoot());
  }

  /** A directory for one test's processes and logs, under target/it-work. */
  static Path workDir(String name) {
    return Path.of(required("traceinsights.it.work-dir"), name).toAbsolutePath();
  }

  private static String required(String property) {
    String value = System.getProperty(property);
    if (value == null) {
      throw new IllegalStateException(
          "system property "
              + property
              + " is not set: run the integration tests through Maven"
              + " (mvn -B verify)");
    }
    return value;
  }

  private ItEnvironment() {}
}
