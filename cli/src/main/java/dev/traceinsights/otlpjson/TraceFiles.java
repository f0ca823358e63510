package dev.traceinsights.otlpjson;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Reads the traces of the offline tools' inputs: OTLP-JSON files, and standard input for {@value
 * #STANDARD_INPUT}. The spans of a trace may be spread over several requests and files.
 *
 * <p>Exact duplicates (the same span id with the same content: what a retrying exporter produces
 * when a batch is sent twice) are removed and counted in one note. Spans that share an id but
 * differ are kept, for the analysis to refuse their trace by name.
 *
 * <p>Errors are {@link TraceInputException}s whose message names the input and is ready to show as
 * it is. Not thread-safe.
 */
public final class TraceFiles {

  /** The file name that means standard input. */
  public static final String STANDARD_INPUT = "-";

  private static final String STANDARD_INPUT_NAME = "standard input";

  private final OtlpJsonTraceReader reader;
  private final Supplier<InputStream> standardInput;

  private TraceFiles(OtlpJsonTraceReader reader, Supplier<InputStream> standardInput) {
    this.reader = reader;
    this.standardInput = standardInput;
  }

  /**
   * @param standardInput what {@value #STANDARD_INPUT} reads; not closed
   */
  public static TraceFiles create(OtlpJsonTraceReader reader, Supplier<InputStream> standardInput) {
    return new TraceFiles(
        requireNonNull(reader, "reader"), requireNonNull(standardInput, "standardInput"));
  }

  /**
   * The traces of {@code files}, in the order their first span appears.
   *
   * @param notes one line per input without spans, and one for the duplicates removed
   */
  public List<TraceInput> read(List<Path> files, Consumer<String> notes)
      throws TraceInputException {
    requireNonNull(files, "files");
    requireNonNull(notes, "notes");
    Map<String, Collected> traces = new LinkedHashMap<>();
    long duplicates = 0;
    Set<String> tracesWithDuplicates = new LinkedHashSet<>();
    for (Path file : files) {
      String source = name(file);
      List<SpanData> spans = readSpans(file, source);
      if (spans.isEmpty()) {
        notes.accept(
            source
                + ": no spans found (expected OTLP-JSON: ExportTraceServiceRequest objects with"
                + " resourceSpans)");
      }
      for (SpanData span : spans) {
        Collected trace = traces.computeIfAbsent(span.getTraceId(), id -> new Collected());
        trace.sources.add(source);
        SpanData first = trace.bySpanId.putIfAbsent(span.getSpanId(), span);
        if (first != null && first.equals(span)) {
          duplicates++;
          tracesWithDuplicates.add(span.getTraceId());
        } else {
          trace.spans.add(span);
        }
      }
    }
    if (duplicates > 0) {
      notes.accept(
          "removed "
              + duplicates
              + (duplicates == 1 ? " exact duplicate span" : " exact duplicate spans")
              + " (sent twice) in "
              + tracesWithDuplicates.size()
              + (tracesWithDuplicates.size() == 1 ? " trace" : " traces")
              + ", e.g. trace "
              + tracesWithDuplicates.iterator().next());
    }
    List<TraceInput> result = new ArrayList<>(traces.size());
    traces.forEach(
        (traceId, trace) ->
            result.add(new TraceInput(traceId, trace.spans, new ArrayList<>(trace.sources))));
    return result;
  }

  private static String name(Path file) {
    return file.toString().equals(STANDARD_INPUT) ? STANDARD_INPUT_NAME : file.toString();
  }

  private List<SpanData> readSpans(Path file, String source) throws TraceInputException {
    try {
      if (file.toString().equals(STANDARD_INPUT)) {
        return reader.readSpans(standardInput.get(), source);
      }
      if (Files.isDirectory(file)) {
        throw new TraceInputException(
            source + ": is a directory, expected an OTLP-JSON file", null);
      }
      return reader.readSpans(file);
    } catch (NoSuchFileException e) {
      throw new TraceInputException(source + ": no such file", e);
    } catch (AccessDeniedException e) {
      throw new TraceInputException(source + ": permission denied", e);
    } catch (FileSystemException e) {
      String reason = e.getReason() == null ? e.toString() : e.getReason();
      throw new TraceInputException(source + ": cannot read: " + reason, e);
    } catch (OtlpJsonException e) {
      throw new TraceInputException(e.getMessage(), e);
    } catch (StreamConstraintsException e) {
      throw new TraceInputException(
          source
              + ": JSON nested deeper than the reader's limit of "
              + StreamReadConstraints.defaults().getMaxNestingDepth()
              + " levels; OTLP-JSON needs a few dozen: is this a trace export?",
          e);
    } catch (IOException e) {
      throw new TraceInputException(source + ": cannot read: " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "TraceFiles{" + reader + '}';
  }

  private static final class Collected {
    final List<SpanData> spans = new ArrayList<>();
    final Map<String, SpanData> bySpanId = new HashMap<>();
    final Set<String> sources = new LinkedHashSet<>();
  }
}
