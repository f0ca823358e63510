package dev.traceinsights.baseline;

import static java.util.Objects.requireNonNull;

import com.datadoghq.sketch.ddsketch.store.Bin;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.io.NumberInput;
import com.fasterxml.jackson.jr.ob.JSON;
import dev.traceinsights.stats.OperationKey;
import io.opentelemetry.api.trace.SpanKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.annotation.Nullable;

/**
 * Writes a {@link Baseline} to a JSON file and reads it back.
 *
 * <p>The format, {@value #FORMAT}, UTF-8 JSON:
 *
 * <pre>{@code
 * {
 *   "format": "trace-insights-baseline/1",      // other values are refused
 *   "capturedUnixNano": "1700000000000000000",  // a decimal string: epoch ns exceed 2^53
 *   "source": "run-1.json, run-2.json",
 *   "droppedOperations": 0,
 *   "sketch": {"mapping": "cubically-interpolated", "relativeAccuracy": 0.01, "maxBins": 1024},
 *   "errorFingerprints": ["3f2a9c0d1e4b5a67"],
 *   "operations": [{
 *     "service": "frontend", "name": "GET /cart", "kind": "SERVER",
 *     "calls": 1200, "errors": 3,
 *     "durations": {"zeroCount": 0, "bins": [[1234, 17.0], [1235, 4.5]]},
 *     "sampledDurationsNanos": [31250000, 29800000],
 *     "slowestTraceIds": ["4bf92f3577b34da6a3ce929d0e0e4736"]
 *   }]
 * }
 * }</pre>
 *
 * <p>{@code durations} is the {@link DurationSketch} itself: its zero count and its non-empty bins
 * as {@code [index, count]} of the mapping named in {@code sketch}, so a sketch read back gives
 * exactly the quantiles of the one written. Operations are written sorted by service, name and
 * kind, so that baselines of the same run compare well in a diff. Unknown fields are ignored, so
 * that later versions of format 1 may add some.
 *
 * <p>{@link #write} is atomic: the JSON goes to a temporary file next to the target, is forced to
 * disk and moved over the target, so a reader sees the old baseline or the new one, never half.
 */
public final class BaselineFile {

  /** The value of {@code "format"} this class writes and reads. */
  public static final String FORMAT = "trace-insights-baseline/" + Baseline.FORMAT_VERSION;

  static final String MAPPING_NAME = "cubically-interpolated";

  private static final Logger logger = Logger.getLogger(BaselineFile.class.getName());

  private static final JsonFactory JSON_FACTORY =
      JsonFactory.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
          .build();

  /**
   * Objects as maps in file order, arrays as lists, numbers as Integer, Long, BigInteger, Double.
   */
  private static final JSON JSON_READER =
      JSON.builder(JSON_FACTORY)
          .enable(JSON.Feature.PRESERVE_FIELD_ORDERING, JSON.Feature.FAIL_ON_DUPLICATE_MAP_KEYS)
          .build();

  /** Shows values in error messages as JSON, nulls included. */
  private static final JSON JSON_WRITER = JSON.std.with(JSON.Feature.WRITE_NULL_PROPERTIES);

  private BaselineFile() {}

  /** Writes {@code baseline} to {@code file}, replacing it atomically. */
  public static void write(Baseline baseline, Path file) throws IOException {
    requireNonNull(baseline, "baseline");
    requireNonNull(file, "file");
    Path directory = file.toAbsolutePath().getParent();
    Path temp = Files.createTempFile(directory, "." + file.getFileName() + ".", ".tmp");
    boolean moved = false;
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        OutputStream out = Channels.newOutputStream(channel);
        write(baseline, out);
        channel.force(true);
      }
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      }
      moved = true;
    } finally {
      if (!moved) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException e) {
          logger.log(Level.FINE, "cannot delete " + temp, e);
        }
      }
    }
  }

  /** Writes {@code baseline} as JSON to {@code out}; does not close it. */
  public static void write(Baseline baseline, OutputStream out) throws IOException {
    try (JsonGenerator json = JSON_FACTORY.createGenerator(out)) {
      json.useDefaultPrettyPrinter();
      json.writeStartObject();
      json.writeStringField("format", FORMAT);
      json.writeStringField("capturedUnixNano", Long.toString(baseline.capturedEpochNanos()));
      json.writeStringField("source", baseline.source());
      json.writeNumberField("droppedOperations", baseline.droppedOperations());
      json.writeObjectFieldStart("sketch");
      json.writeStringField("mapping", MAPPING_NAME);
      json.writeNumberField("relativeAccuracy", DurationSketch.RELATIVE_ACCURACY);
      json.writeNumberField("maxBins", DurationSketch.MAX_BINS);
      json.writeEndObject();
      json.writeArrayFieldStart("errorFingerprints");
      for (String fingerprint : baseline.errorFingerprints()) {
        json.writeString(fingerprint);
      }
      json.writeEndArray();
      json.writeArrayFieldStart("operations");
      List<OperationBaseline> operations = new ArrayList<>(baseline.operations().values());
      operations.sort(
          Comparator.comparing((OperationBaseline op) -> op.operation().serviceName())
              .thenComparing(op -> op.operation().spanName())
              .thenComparing(op -> op.operation().kind()));
      for (OperationBaseline operation : operations) {
        writeOperation(json, operation);
      }
      json.writeEndArray();
      json.writeEndObject();
    }
    out.write('\n');
    out.flush();
  }

  private static void writeOperation(JsonGenerator json, OperationBaseline operation)
      throws IOException {
    json.writeStartObject();
    json.writeStringField("service", operation.operation().serviceName());
    json.writeStringField("name", operation.operation().spanName());
    json.writeStringField("kind", operation.operation().kind().name());
    json.writeNumberField("calls", operation.calls());
    json.writeNumberField("errors", operation.errors());
    json.writeObjectFieldStart("durations");
    json.writeNumberField("zeroCount", operation.durations().zeroCount());
    json.writeArrayFieldStart("bins");
    for (Bin bin : operation.durations().bins()) {
      json.writeStartArray();
      json.writeNumber(bin.getIndex());
      json.writeNumber(bin.getCount());
      json.writeEndArray();
    }
    json.writeEndArray();
    json.writeEndObject();
    long[] sample = operation.sampledDurationsNanos();
    json.writeFieldName("sampledDurationsNanos");
    json.writeArray(sample, 0, sample.length);
    json.writeArrayFieldStart("slowestTraceIds");
    for (String traceId : operation.slowestTraceIds()) {
      json.writeString(traceId);
    }
    json.writeEndArray();
    json.writeEndObject();
  }

  /**
   * Reads the baseline in {@code file}.
   *
   * @throws BaselineFileException when the file is not JSON, not a baseline of format {@value
   *     #FORMAT}, or a value is invalid; the message names the file and the field
   * @throws NoSuchFileException and other {@link IOException}s when the file cannot be read
   */
  public static Baseline read(Path file) throws IOException {
    requireNonNull(file, "file");
    Object root = null; // also for an empty file
    try (InputStream in = Files.newInputStream(file);
        JsonParser parser = JSON_FACTORY.createParser(in)) {
      if (parser.nextToken() != null) {
        root = JSON_READER.anyFrom(parser);
      }
    } catch (JsonProcessingException e) {
      throw new BaselineFileException(file, where(e.getLocation()) + e.getOriginalMessage(), e);
    }
    return new Reader(file).baseline(root);
  }

  /**
   * Whether {@code file} looks like a baseline file rather than traces: a JSON object whose
   * top-level fields include {@code "format"}. Reads only as far as needed; false for anything that
   * is not a JSON object (gzip, JSON lines of OTLP requests are read as far as the first object).
   */
  public static boolean isBaselineFile(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file);
        JsonParser parser = JSON_FACTORY.createParser(in)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return false;
      }
      for (JsonToken token = parser.nextToken();
          token == JsonToken.FIELD_NAME;
          token = parser.nextToken()) {
        if ("format".equals(parser.currentName())) {
          return true;
        }
        parser.nextToken();
        parser.skipChildren();
      }
      return false;
    } catch (JsonProcessingException e) {
      return false;
    }
  }

  private static String where(JsonLocation location) {
    if (location == null || location.getLineNr() < 1) {
      return "not valid JSON: ";
    }
    return "line "
        + location.getLineNr()
        + ", column "
        + location.getColumnNr()
        + ": not valid JSON: ";
  }

  /**
   * Validates while it reads: every failure names the file and the path of the field. Values are as
   * jackson-jr reads them: Map, List, String, Integer, Long, BigInteger, Double, Boolean, or null
   * for JSON's null.
   */
  private static final class Reader {
    private static final BigInteger MIN_LONG = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger MAX_LONG = BigInteger.valueOf(Long.MAX_VALUE);

    private final Path file;

    Reader(Path file) {
      this.file = file;
    }

    Baseline baseline(@Nullable Object root) throws BaselineFileException {
      if (!(root instanceof Map<?, ?> fields)) {
        throw fail("expected a JSON object with \"format\": \"" + FORMAT + "\"");
      }
      if (!fields.containsKey("format")) {
        throw fail("missing \"format\" (expected \"" + FORMAT + "\"): not a baseline file");
      }
      Object format = fields.get("format");
      if (!(format instanceof String) || !FORMAT.equals(format)) {
        throw fail(
            "unsupported format "
                + json(format)
                + " (this version reads \""
                + FORMAT
                + "\"; was the file written by a newer trace-insights?)");
      }
      Object sketch = require(root, "sketch", "sketch");
      String mapping = asText(require(sketch, "mapping", "sketch.mapping"));
      double accuracy = asDouble(require(sketch, "relativeAccuracy", "sketch.relativeAccuracy"));
      if (!MAPPING_NAME.equals(mapping) || accuracy != DurationSketch.RELATIVE_ACCURACY) {
        throw fail(
            "sketch: unsupported mapping "
                + mapping
                + " at relative accuracy "
                + accuracy
                + " (expected "
                + MAPPING_NAME
                + " at "
                + DurationSketch.RELATIVE_ACCURACY
                + ")");
      }
      long captured = parseLong(require(root, "capturedUnixNano", "capturedUnixNano"));
      Object source = require(root, "source", "source");
      if (!(source instanceof String sourceText)) {
        throw fail("source: expected a string, got " + json(source));
      }
      // Absent means none dropped; null is not a count.
      long dropped =
          fields.containsKey("droppedOperations")
              ? nonNegativeLong(fields.get("droppedOperations"), "droppedOperations")
              : 0;

      Set<String> fingerprints = new LinkedHashSet<>();
      List<?> fingerprintArray = array(fields.get("errorFingerprints"), "errorFingerprints");
      for (int i = 0; i < fingerprintArray.size(); i++) {
        Object fingerprint = fingerprintArray.get(i);
        if (!(fingerprint instanceof String fingerprintText)) {
          throw fail("errorFingerprints[" + i + "]: expected a string, got " + json(fingerprint));
        }
        fingerprints.add(fingerprintText);
      }

      Map<OperationKey, OperationBaseline> operations = new LinkedHashMap<>();
      List<?> operationArray = array(require(root, "operations", "operations"), "operations");
      for (int i = 0; i < operationArray.size(); i++) {
        OperationBaseline operation = operation(operationArray.get(i), "operations[" + i + "]");
        if (operations.put(operation.operation(), operation) != null) {
          throw fail("operations[" + i + "]: operation " + operation.operation() + " twice");
        }
      }
      try {
        return new Baseline(operations, fingerprints, captured, sourceText, dropped);
      } catch (IllegalArgumentException e) {
        throw fail(e.getMessage());
      }
    }

    private OperationBaseline operation(@Nullable Object node, String path)
        throws BaselineFileException {
      if (!(node instanceof Map)) {
        throw fail(path + ": expected an object, got " + json(node));
      }
      String service = text(require(node, "service", path + ".service"), path + ".service");
      String name = text(require(node, "name", path + ".name"), path + ".name");
      String kindName = text(require(node, "kind", path + ".kind"), path + ".kind");
      SpanKind kind;
      try {
        kind = SpanKind.valueOf(kindName);
      } catch (IllegalArgumentException e) {
        throw fail(path + ".kind: unknown span kind \"" + kindName + "\"");
      }
      long calls = nonNegativeLong(require(node, "calls", path + ".calls"), path + ".calls");
      long errors = nonNegativeLong(require(node, "errors", path + ".errors"), path + ".errors");
      DurationSketch durations =
          sketch(require(node, "durations", path + ".durations"), path + ".durations");

      List<?> sampleArray =
          array(
              require(node, "sampledDurationsNanos", path + ".sampledDurationsNanos"),
              path + ".sampledDurationsNanos");
      long[] sample = new long[sampleArray.size()];
      for (int i = 0; i < sample.length; i++) {
        sample[i] = nonNegativeLong(sampleArray.get(i), path + ".sampledDurationsNanos[" + i + "]");
      }
      List<String> slowest = new ArrayList<>();
      List<?> slowestArray = array(get(node, "slowestTraceIds"), path + ".slowestTraceIds");
      for (int i = 0; i < slowestArray.size(); i++) {
        slowest.add(text(slowestArray.get(i), path + ".slowestTraceIds[" + i + "]"));
      }
      try {
        return new OperationBaseline(
            new OperationKey(service, name, kind), calls, errors, durations, sample, slowest);
      } catch (IllegalArgumentException e) {
        throw fail(path + ": " + e.getMessage());
      }
    }

    private DurationSketch sketch(Object node, String path) throws BaselineFileException {
      if (!(node instanceof Map)) {
        throw fail(path + ": expected an object, got " + json(node));
      }
      double zeroCount = number(require(node, "zeroCount", path + ".zeroCount"), path);
      List<?> bins = array(require(node, "bins", path + ".bins"), path + ".bins");
      int[] indexes = new int[bins.size()];
      double[] counts = new double[bins.size()];
      for (int i = 0; i < indexes.length; i++) {
        Object bin = bins.get(i);
        String binPath = path + ".bins[" + i + "]";
        if (!(bin instanceof List<?> pair)
            || pair.size() != 2
            || !(pair.get(0) instanceof Number index)
            || !isIntegral(index)
            || !fitsInt(index)
            || !(pair.get(1) instanceof Number count)) {
          throw fail(binPath + ": expected [index, count], got " + json(bin));
        }
        indexes[i] = index.intValue();
        counts[i] = count.doubleValue();
      }
      try {
        return DurationSketch.fromBins(zeroCount, indexes, counts);
      } catch (IllegalArgumentException e) {
        throw fail(path + ": " + e.getMessage());
      }
    }

    /** {@code node}'s field {@code field}; null when absent, null, or {@code node} no object. */
    @Nullable
    private static Object get(@Nullable Object node, String field) {
      return node instanceof Map<?, ?> fields ? fields.get(field) : null;
    }

    private Object require(@Nullable Object node, String field, String path)
        throws BaselineFileException {
      Object value = get(node, field);
      if (value == null) {
        throw fail("missing " + path);
      }
      return value;
    }

    /** An array; absent or null counts as empty. */
    private List<?> array(@Nullable Object node, String path) throws BaselineFileException {
      if (node == null) {
        return List.of();
      }
      if (!(node instanceof List<?> list)) {
        throw fail(path + ": expected an array, got " + abbreviated(node));
      }
      return list;
    }

    private String text(@Nullable Object node, String path) throws BaselineFileException {
      if (!(node instanceof String text)) {
        throw fail(path + ": expected a string, got " + abbreviated(node));
      }
      return text;
    }

    private double number(Object node, String path) throws BaselineFileException {
      if (!(node instanceof Number number)) {
        throw fail(path + ": expected a number, got " + abbreviated(node));
      }
      return number.doubleValue();
    }

    /** A non-negative integer that fits a long. */
    private long nonNegativeLong(@Nullable Object node, String path) throws BaselineFileException {
      if (!(node instanceof Number number)
          || !isIntegral(number)
          || !fitsLong(number)
          || number.longValue() < 0) {
        throw fail(path + ": expected a non-negative integer, got " + abbreviated(node));
      }
      return number.longValue();
    }

    private long parseLong(Object node) throws BaselineFileException {
      try {
        return Long.parseLong(asText(node));
      } catch (NumberFormatException e) {
        throw fail(
            "capturedUnixNano: expected epoch nanoseconds as a decimal string, got "
                + abbreviated(node));
      }
    }

    /** Whether a number read from JSON was written without fraction or exponent. */
    private static boolean isIntegral(Number number) {
      return number instanceof Integer || number instanceof Long || number instanceof BigInteger;
    }

    private static boolean fitsInt(Number number) {
      return fitsLong(number)
          && number.longValue() >= Integer.MIN_VALUE
          && number.longValue() <= Integer.MAX_VALUE;
    }

    private static boolean fitsLong(Number number) {
      return !(number instanceof BigInteger big)
          || (big.compareTo(MIN_LONG) >= 0 && big.compareTo(MAX_LONG) <= 0);
    }

    /** A scalar as text (a string as it is, a number as JSON writes it); "" for an object. */
    private static String asText(Object node) {
      if (node instanceof Map || node instanceof List) {
        return "";
      }
      return String.valueOf(node);
    }

    /** A number's value, a string's if it parses as a double, a boolean as 1 or 0; else 0. */
    private static double asDouble(Object node) {
      if (node instanceof Number number) {
        return number.doubleValue();
      }
      if (node instanceof String text) {
        return NumberInput.parseAsDouble(text, 0.0, false);
      }
      if (node instanceof Boolean bool) {
        return bool ? 1.0 : 0.0;
      }
      return 0.0;
    }

    private static String abbreviated(@Nullable Object node) {
      String text = json(node);
      return text.length() <= 40 ? text : text.substring(0, 37) + "...";
    }

    /** {@code node} as JSON text, for error messages. */
    private static String json(@Nullable Object node) {
      if (node == null) {
        return "null";
      }
      try {
        return JSON_WRITER.asString(node);
      } catch (IOException e) {
        throw new UncheckedIOException(e); // maps, lists and scalars always write
      }
    }

    private BaselineFileException fail(String message) {
      return new BaselineFileException(file, message, null);
    }
  }
}
