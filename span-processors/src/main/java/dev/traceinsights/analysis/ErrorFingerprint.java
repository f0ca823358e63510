package dev.traceinsights.analysis;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import javax.annotation.Nullable;

/**
 * A short, stable identity for a failure, so that the same failure groups together across spans,
 * traces and runs although its message carries ids and numbers and its stack trace line numbers.
 *
 * <p>The fingerprint is 16 lowercase hex characters: the first 8 bytes of the SHA-256 of
 *
 * <ul>
 *   <li>the error type,
 *   <li>the {@linkplain #normalizeMessage normalised message},
 *   <li>the top {@value #FRAMES} frames of the stack trace, each reduced to {@code class.method}
 *       ({@linkplain #normalizeFrame see there}),
 *   <li>and, only when the stack trace is absent or has no frames, the span name: errors recorded
 *       without an exception ("span_error" with an empty message) would otherwise all collide
 *       whatever operation failed.
 * </ul>
 *
 * <p>64 bits make an accidental collision between two different failures negligible: below 10^-11
 * among 10^4 distinct failures (birthday bound n^2 / 2^65).
 */
final class ErrorFingerprint {

  /** How many of the top stack frames identify a failure. */
  static final int FRAMES = 3;

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  // Message normalisation, applied in this order (later rules must not see what earlier rules
  // replaced). A single quote only opens a string after a non-word character, so that an
  // apostrophe ("can't") does not.
  private static final Pattern QUOTED = Pattern.compile("(?<!\\w)'[^']*'|\"[^\"]*\"");
  private static final Pattern UUID =
      Pattern.compile(
          "(?<![0-9A-Za-z])[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}"
              + "-[0-9a-fA-F]{12}(?![0-9A-Za-z])");
  // A run of 8+ hex digits counts as a hex id only with a letter a-f in it, so that a long
  // decimal number stays a number.
  private static final Pattern HEX_NUMBER =
      Pattern.compile(
          "(?<![0-9A-Za-z])(?:0[xX][0-9a-fA-F]+|(?=[0-9]*[a-fA-F])[0-9a-fA-F]{8,})(?![0-9A-Za-z])");
  private static final Pattern DECIMAL = Pattern.compile("[0-9]+(?:\\.[0-9]+)?");
  private static final Pattern WHITESPACE = Pattern.compile("\\s+");

  // Frame normalisation: generated names whose numbers change from build to build or run to run.
  private static final Pattern HIDDEN_LAMBDA_CLASS =
      Pattern.compile("\\$\\$Lambda(?:\\$[0-9]+)?/(?:0x)?[0-9a-fA-F]+");
  private static final Pattern GENERATED_CLASS_SUFFIX =
      Pattern.compile("\\$\\$([A-Za-z]+)\\$\\$[0-9a-fA-F]+");
  private static final Pattern GENERATED_ACCESSOR =
      Pattern.compile("(GeneratedMethodAccessor|GeneratedConstructorAccessor)[0-9]+");
  private static final Pattern NUMBERED_SUFFIX = Pattern.compile("\\$[0-9]+");

  private ErrorFingerprint() {}

  /**
   * The fingerprint of an error.
   *
   * @param type the exception type (or {@code error.type}, or "span_error")
   * @param message the exception message or status description, null for none
   * @param stackTrace the exception's stack trace as Java prints it, null for none
   * @param spanName the failing span's name; used only when the stack trace has no frames
   */
  static String of(
      String type,
      @Nullable String message,
      @Nullable String stackTrace,
      @Nullable String spanName) {
    requireNonNull(type, "type");
    StringBuilder input = new StringBuilder(128);
    // Newlines separate the parts: none of them contains one after normalisation.
    input.append(type.trim()).append('\n');
    input.append(message == null ? "" : normalizeMessage(message)).append('\n');
    List<String> frames = stackTrace == null ? List.of() : topFrames(stackTrace, FRAMES);
    for (String frame : frames) {
      input.append(frame).append('\n');
    }
    if (frames.isEmpty() && spanName != null) {
      input.append("span:").append(spanName);
    }
    return hash(input.toString());
  }

  /**
   * The message with its variable parts replaced: quoted strings ({@code '…'}, {@code "…"}) by
   * {@code <str>}, UUIDs by {@code <uuid>}, hex numbers ({@code 0x…}) and hex ids (8 or more hex
   * digits) by {@code <hex>}, decimal numbers by {@code <num>}; whitespace collapsed and trimmed.
   */
  static String normalizeMessage(String message) {
    String s = QUOTED.matcher(message).replaceAll("<str>");
    s = UUID.matcher(s).replaceAll("<uuid>");
    s = HEX_NUMBER.matcher(s).replaceAll("<hex>");
    s = DECIMAL.matcher(s).replaceAll("<num>");
    return WHITESPACE.matcher(s).replaceAll(" ").trim();
  }

  /**
   * The first {@code max} {@code at} lines of a Java stack trace, {@linkplain #normalizeFrame
   * normalised}.
   */
  static List<String> topFrames(String stackTrace, int max) {
    List<String> frames = new ArrayList<>(max);
    int from = 0;
    int length = stackTrace.length();
    // Scan line by line and stop early: stack traces can be long, only the top matters.
    while (from < length && frames.size() < max) {
      int newline = stackTrace.indexOf('\n', from);
      int to = newline < 0 ? length : newline;
      String line = stackTrace.substring(from, to).trim();
      if (line.startsWith("at ")) {
        frames.add(normalizeFrame(line.substring(3)));
      }
      from = to + 1;
    }
    return frames;
  }

  /**
   * {@code class.method} of a frame such as {@code app//com.example.Foo.lambda$run$3(Foo.java:42)}:
   * without the source position, the class loader and module prefix, and with the numbers of
   * generated names (lambdas, anonymous and synthetic classes, accessors, CGLIB proxies) replaced.
   */
  static String normalizeFrame(String frame) {
    String s = frame.trim();
    int paren = s.indexOf('(');
    if (paren >= 0) {
      s = s.substring(0, paren);
    }
    // Before cutting at '/', which hidden lambda class names contain.
    s = HIDDEN_LAMBDA_CLASS.matcher(s).replaceAll("\\$\\$Lambda");
    int slash = s.lastIndexOf('/');
    if (slash >= 0) {
      s = s.substring(slash + 1);
    }
    s = GENERATED_CLASS_SUFFIX.matcher(s).replaceAll("\\$\\$$1\\$\\$N");
    s = GENERATED_ACCESSOR.matcher(s).replaceAll("$1N");
    return NUMBERED_SUFFIX.matcher(s).replaceAll("\\$N");
  }

  private static String hash(String input) {
    MessageDigest sha256;
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      // Every Java platform must provide SHA-256 (MessageDigest javadoc).
      throw new IllegalStateException(e);
    }
    byte[] digest = sha256.digest(input.getBytes(UTF_8));
    char[] hex = new char[16];
    for (int i = 0; i < 8; i++) {
      hex[2 * i] = HEX[(digest[i] >> 4) & 0xf];
      hex[2 * i + 1] = HEX[digest[i] & 0xf];
    }
    return new String(hex);
  }
}
