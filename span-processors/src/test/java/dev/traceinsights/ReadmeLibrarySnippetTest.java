package dev.traceinsights;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's library snippet compiles as written, against this module and the SDK: a user who
 * copies it gets working code, and a renamed class or method breaks this test, not the user.
 */
class ReadmeLibrarySnippetTest {

  private static final Path README = Path.of("..", "README.md");

  @Test
  void librarySnippetCompiles(@TempDir Path classes) throws IOException {
    String snippet = javaBlockAfter(Files.readString(README, UTF_8), "## Use it as a library");
    assertThat(snippet).contains("TraceInsightsSpanProcessor.builder(");

    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    StringWriter diagnostics = new StringWriter();
    try (StandardJavaFileManager files = compiler.getStandardFileManager(null, null, UTF_8)) {
      JavaFileObject source =
          new SimpleJavaFileObject(Path.of("Tracing.java").toUri(), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
              return snippet;
            }
          };
      List<String> options =
          List.of(
              "-classpath",
              System.getProperty("java.class.path"),
              "-d",
              classes.toString(),
              "-Xlint:all",
              "-Werror");
      boolean compiled =
          compiler.getTask(diagnostics, files, null, options, null, List.of(source)).call();
      assertThat(compiled).as(diagnostics.toString()).isTrue();
    }
    assertThat(classes.resolve("Tracing.class")).exists();
  }

  /** The first ```java block after {@code heading}. */
  private static String javaBlockAfter(String markdown, String heading) {
    int section = markdown.indexOf(heading + "\n");
    assertThat(section).as("README section %s", heading).isNotNegative();
    int start = markdown.indexOf("```java\n", section);
    int end = markdown.indexOf("\n```", start + 8);
    assertThat(start).as("a java block in %s", heading).isPositive();
    return markdown.substring(start + "```java\n".length(), end + 1);
  }
}
