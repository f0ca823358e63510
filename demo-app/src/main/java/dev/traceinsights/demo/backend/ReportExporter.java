package dev.traceinsights.demo.backend;

import java.util.Arrays;

/**
 * Scenario "allocation": {@code render} (traced through {@code
 * otel.instrumentation.methods.include}) allocates {@value #BUFFER_BYTES} bytes on the request
 * thread.
 */
public class ReportExporter {

  /** 16 MiB: what one export allocates, at least. */
  public static final int BUFFER_BYTES = 16 * 1024 * 1024;

  // Published through a volatile field so the JIT cannot prove the buffer dead and drop it.
  @SuppressWarnings("unused")
  private static volatile byte[] lastExport;

  public String render() {
    byte[] buffer = new byte[BUFFER_BYTES];
    Arrays.fill(buffer, (byte) 'x');
    lastExport = buffer;
    return "exported " + buffer.length + " bytes";
  }
}
