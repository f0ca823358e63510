package dev.traceinsights.analysis;

import static java.util.Objects.requireNonNull;

/**
 * Reduces a SQL statement to its shape, so that executions that differ only in their values compare
 * equal: string literals ({@code '…'}, with {@code ''} as an escaped quote) and numeric literals
 * become {@code ?}, an {@code IN} list of placeholders becomes {@code IN (?)} whatever its length,
 * runs of whitespace become one space, and the result is trimmed. Case is kept (the instrumentation
 * reports the statement as the application wrote it, and one application writes it one way). Quoted
 * identifiers ({@code "…"}, {@code `…`}) are kept as they are: they name columns and tables, not
 * values. Digits inside identifiers ({@code t1}, {@code $1}) are kept too.
 *
 * <p>A hand-written single pass (plus one for {@code IN} lists) rather than regular expressions: it
 * runs for every database span of every trace.
 */
final class SqlStatementNormalizer {

  private static final String[] WRITE_VERBS = {
    "insert", "update", "delete", "merge", "upsert", "replace"
  };

  private SqlStatementNormalizer() {}

  static String normalize(String statement) {
    requireNonNull(statement, "statement");
    String literalsReplaced = replaceLiterals(statement);
    return literalsReplaced.indexOf('?') < 0 ? literalsReplaced : collapseInLists(literalsReplaced);
  }

  private static String replaceLiterals(String s) {
    int length = s.length();
    StringBuilder out = new StringBuilder(length);
    boolean pendingSpace = false;
    int i = 0;
    while (i < length) {
      char c = s.charAt(i);
      if (Character.isWhitespace(c)) {
        pendingSpace = out.length() > 0;
        i++;
        continue;
      }
      if (pendingSpace) {
        out.append(' ');
        pendingSpace = false;
      }
      if (c == '\'') {
        i = skipStringLiteral(s, i);
        out.append('?');
      } else if (c == '"' || c == '`') {
        int close = s.indexOf(c, i + 1);
        int to = close < 0 ? length : close + 1;
        out.append(s, i, to);
        i = to;
      } else if (c >= '0' && c <= '9') {
        // At a token start a digit begins a number (identifiers are consumed whole below).
        // Letters and dots continue it: 1.5, 1e10, 0x1F, 10L.
        i++;
        while (i < length && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '.')) {
          i++;
        }
        out.append('?');
      } else if (isIdentifierPart(c)) {
        int from = i;
        while (i < length && isIdentifierPart(s.charAt(i))) {
          i++;
        }
        out.append(s, from, i);
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  /** The index after the string literal opening at {@code open}. */
  private static int skipStringLiteral(String s, int open) {
    int i = open + 1;
    int length = s.length();
    while (i < length) {
      if (s.charAt(i) == '\'') {
        if (i + 1 < length && s.charAt(i + 1) == '\'') {
          i += 2; // '' is an escaped quote inside the literal
          continue;
        }
        return i + 1;
      }
      i++;
    }
    return length; // unterminated (truncated statement): the rest is the literal
  }

  private static String collapseInLists(String s) {
    int length = s.length();
    StringBuilder out = new StringBuilder(length);
    int i = 0;
    while (i < length) {
      char c = s.charAt(i);
      if (c == '"' || c == '`') {
        int close = s.indexOf(c, i + 1);
        int to = close < 0 ? length : close + 1;
        out.append(s, i, to);
        i = to;
      } else if (isIdentifierPart(c)) {
        int from = i;
        while (i < length && isIdentifierPart(s.charAt(i))) {
          i++;
        }
        out.append(s, from, i);
        if (i - from == 2
            && (s.charAt(from) == 'I' || s.charAt(from) == 'i')
            && (s.charAt(from + 1) == 'N' || s.charAt(from + 1) == 'n')) {
          int listEnd = placeholderListEnd(s, i);
          if (listEnd > 0) {
            out.append(" (?)");
            i = listEnd;
          }
        }
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  /**
   * When {@code s} continues at {@code from} with {@code (?, ?, …)} (spaces allowed), the index
   * after the closing parenthesis, else -1.
   */
  private static int placeholderListEnd(String s, int from) {
    int i = skipSpace(s, from);
    if (!at(s, i, '(')) {
      return -1;
    }
    i = skipSpace(s, i + 1);
    if (!at(s, i, '?')) {
      return -1;
    }
    i = skipSpace(s, i + 1);
    while (at(s, i, ',')) {
      i = skipSpace(s, i + 1);
      if (!at(s, i, '?')) {
        return -1;
      }
      i = skipSpace(s, i + 1);
    }
    return at(s, i, ')') ? i + 1 : -1;
  }

  private static int skipSpace(String s, int i) {
    return at(s, i, ' ') ? i + 1 : i; // whitespace is already collapsed to single spaces
  }

  private static boolean at(String s, int i, char c) {
    return i < s.length() && s.charAt(i) == c;
  }

  private static boolean isIdentifierPart(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '$';
  }

  /** Whether a normalised statement writes: INSERT, UPDATE, DELETE, MERGE, UPSERT, REPLACE. */
  static boolean isWrite(String normalized) {
    int start = 0;
    while (start < normalized.length() && !Character.isLetter(normalized.charAt(start))) {
      start++;
    }
    for (String verb : WRITE_VERBS) {
      if (normalized.regionMatches(true, start, verb, 0, verb.length())
          && (normalized.length() == start + verb.length()
              || !Character.isLetterOrDigit(normalized.charAt(start + verb.length())))) {
        return true;
      }
    }
    return false;
  }
}
