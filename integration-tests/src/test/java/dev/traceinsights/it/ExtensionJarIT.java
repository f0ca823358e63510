package dev.traceinsights.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.traceinsights.harness.Artifacts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/** The jar users drop next to the agent: our classes and libraries, none of the agent's own. */
class ExtensionJarIT {

  static final long MAX_BYTES = 1_500_000;

  @Test
  void bundlesNoOpenTelemetryApiContextOrSdkAndRegistersTheCustomizer() throws IOException {
    try (ZipFile jar =
        new ZipFile(Artifacts.require(ItEnvironment.artifacts().extensionJar()).toFile())) {
      List<String> names = jar.stream().map(ZipEntry::getName).toList();
      assertThat(names)
          .noneMatch(name -> name.startsWith("io/opentelemetry/api/"))
          .noneMatch(name -> name.startsWith("io/opentelemetry/context/"))
          .noneMatch(name -> name.startsWith("io/opentelemetry/sdk/"))
          .contains(
              "META-INF/services/io.opentelemetry.sdk.autoconfigure.spi."
                  + "AutoConfigurationCustomizerProvider");
    }
  }

  /**
   * Lean: at most 1.5 MB, no jackson-databind (the alerting's JSON is jackson-jr over
   * jackson-core), and every service implementation the jar registers is in it, so that minimising
   * the shaded libraries cut nothing the agent loads.
   */
  @Test
  void isLeanAndEveryRegisteredServiceIsPresent() throws IOException {
    Path path = Artifacts.require(ItEnvironment.artifacts().extensionJar());
    assertThat(Files.size(path)).as("size of %s", path).isLessThanOrEqualTo(MAX_BYTES);
    try (ZipFile jar = new ZipFile(path.toFile())) {
      List<String> names = jar.stream().map(ZipEntry::getName).toList();
      assertThat(names).noneMatch(name -> name.contains("/jackson/databind/"));
      List<String> services =
          names.stream().filter(name -> name.startsWith("META-INF/services/")).toList();
      assertThat(services).isNotEmpty();
      for (String service : services) {
        String content =
            new String(jar.getInputStream(jar.getEntry(service)).readAllBytes(), UTF_8);
        for (String line : content.split("\n")) {
          String implementation = line.replaceAll("#.*", "").trim();
          if (!implementation.isEmpty()) {
            assertThat(names).as(service).contains(implementation.replace('.', '/') + ".class");
          }
        }
      }
    }
  }
}
