package dev.traceinsights.otlpjson;

import static java.util.Objects.requireNonNull;

import java.util.function.Consumer;

/**
 * Notes about traces, one per trace up to a limit, then one line counting the rest: a file of a
 * million broken traces must not print a million lines. Not thread-safe.
 */
public final class CappedNotes {

  /** Traces named one by one before the rest are only counted. */
  public static final int DEFAULT_LIMIT = 20;

  private final Consumer<String> notes;
  private final int limit;
  private int count;

  public CappedNotes(Consumer<String> notes) {
    this.notes = requireNonNull(notes, "notes");
    this.limit = DEFAULT_LIMIT;
  }

  /** Counts one note and passes it on while under the limit. */
  public void add(String note) {
    if (count++ < limit) {
      notes.accept(note);
    }
  }

  /**
   * Passes on {@code "<n> more <what>, <count> in all"} if notes were held back.
   *
   * @param what what each note was about, e.g. {@code "traces skipped"}
   */
  public void finish(String what) {
    if (count > limit) {
      notes.accept((count - limit) + " more " + what + ", " + count + " in all");
    }
  }
}
