package dev.traceinsights.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.traceinsights.harness.Artifacts;
import java.io.IOException;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/** The jar users drop next to the agent: our classes and libraries, none of the agent's own. */
class ExtensionJarIT {

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
}
