package dev.traceinsights.internal;

/**
 * A precompiled glob: {@code *} matches any run of characters (also none), {@code ?} exactly one,
 * every other character itself; there is no escape. Patterns of the common shapes ({@code exact},
 * {@code prefix*}, {@code *suffix}, {@code *infix*}) compile to a single {@code String} call; the
 * rest use greedy matching with backtracking to the last {@code *}, which needs no allocation and
 * at most (pattern length × value length) steps.
 */
public final class Glob {

  /** {@code *}: matches every value. */
  public static final Glob ANY = compile("*");

  private enum Shape {
    EXACT,
    PREFIX,
    SUFFIX,
    CONTAINS,
    ANY,
    GENERAL
  }

  private final String pattern;
  private final Shape shape;
  // The pattern without its leading/trailing '*' for the simple shapes.
  private final String literal;

  private Glob(String pattern, Shape shape, String literal) {
    this.pattern = pattern;
    this.shape = shape;
    this.literal = literal;
  }

  public static Glob compile(String pattern) {
    if (!pattern.isEmpty() && pattern.chars().allMatch(c -> c == '*')) {
      return new Glob(pattern, Shape.ANY, "");
    }
    boolean leadingStar = pattern.startsWith("*");
    boolean trailingStar = pattern.endsWith("*");
    // An all-'*' pattern is ANY, so a pattern with both a leading and a trailing '*' has two or
    // more characters and the bounds below never cross.
    String inner =
        pattern.substring(leadingStar ? 1 : 0, pattern.length() - (trailingStar ? 1 : 0));
    if (inner.indexOf('*') >= 0 || inner.indexOf('?') >= 0) {
      return new Glob(pattern, Shape.GENERAL, pattern);
    }
    Shape shape;
    if (leadingStar && trailingStar) {
      shape = Shape.CONTAINS;
    } else if (leadingStar) {
      shape = Shape.SUFFIX;
    } else if (trailingStar) {
      shape = Shape.PREFIX;
    } else {
      shape = Shape.EXACT;
    }
    return new Glob(pattern, shape, inner);
  }

  public boolean matches(String value) {
    switch (shape) {
      case EXACT:
        return value.equals(literal);
      case PREFIX:
        return value.startsWith(literal);
      case SUFFIX:
        return value.endsWith(literal);
      case CONTAINS:
        return value.contains(literal);
      case ANY:
        return true;
      default:
        return matchesGeneral(value);
    }
  }

  private boolean matchesGeneral(String value) {
    int p = 0;
    int v = 0;
    int star = -1; // position of the last '*' seen in the pattern
    int resume = 0; // where in the value that '*' currently stops
    while (v < value.length()) {
      if (p < pattern.length()
          && (pattern.charAt(p) == '?' || pattern.charAt(p) == value.charAt(v))) {
        p++;
        v++;
      } else if (p < pattern.length() && pattern.charAt(p) == '*') {
        star = p++;
        resume = v;
      } else if (star >= 0) {
        // Let the last '*' swallow one more character and retry from there.
        p = star + 1;
        v = ++resume;
      } else {
        return false;
      }
    }
    while (p < pattern.length() && pattern.charAt(p) == '*') {
      p++;
    }
    return p == pattern.length();
  }

  public String pattern() {
    return pattern;
  }

  /** Whether it matches every value: {@code *}, {@code **}, ... */
  public boolean matchesEverything() {
    return shape == Shape.ANY;
  }

  @Override
  public String toString() {
    return pattern;
  }
}
