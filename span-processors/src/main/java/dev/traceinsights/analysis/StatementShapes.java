package dev.traceinsights.analysis;

/**
 * The shapes ({@link SqlStatementNormalizer}) of recently seen statements. An application runs the
 * same few hundred statements over and over, and the javaagent's sanitiser even hands out the same
 * string each time, so remembering them spares the N+1 check a normalisation (a copy of the
 * statement and a second pass) for every database span of every trace; on the collector it was a
 * sixth of the whole-trace thread.
 *
 * <p>Direct-mapped by hash, so bounded at {@link #SLOTS} entries of statements up to {@link
 * #MAX_STATEMENT_LENGTH} characters (longer ones are normalised every time); a colliding statement
 * replaces the one before. Thread-safe without locks: entries are immutable, and a reader sees
 * either an entry or its replacement.
 */
final class StatementShapes {

  static final int SLOTS = 256;
  static final int MAX_STATEMENT_LENGTH = 1024;

  /** A statement and what it normalises to. */
  record Shape(String statement, String normalized, boolean write) {}

  private final Shape[] slots;

  StatementShapes() {
    this(SLOTS);
  }

  /** With {@code slots} (a power of two) instead of {@link #SLOTS}: tests make them collide. */
  StatementShapes(int slots) {
    if (Integer.bitCount(slots) != 1) {
      throw new IllegalArgumentException("slots must be a power of two: " + slots);
    }
    this.slots = new Shape[slots];
  }

  /** The shape of {@code statement}, normalised now or remembered from before. */
  Shape of(String statement) {
    if (statement.length() > MAX_STATEMENT_LENGTH) {
      return shape(statement);
    }
    int slot = spread(statement.hashCode()) & (slots.length - 1);
    Shape cached = slots[slot];
    if (cached != null && cached.statement().equals(statement)) {
      return cached;
    }
    Shape shape = shape(statement);
    slots[slot] = shape;
    return shape;
  }

  /** Statements remembered now; at most {@link #SLOTS}. For tests. */
  int remembered() {
    int count = 0;
    for (Shape shape : slots) {
      if (shape != null) {
        count++;
      }
    }
    return count;
  }

  private static Shape shape(String statement) {
    String normalized = SqlStatementNormalizer.normalize(statement);
    return new Shape(statement, normalized, SqlStatementNormalizer.isWrite(normalized));
  }

  // Strings that differ in their last characters (a table number) differ in the low bits; the
  // high bits are folded in for the rest.
  private static int spread(int hash) {
    return hash ^ (hash >>> 16);
  }
}
