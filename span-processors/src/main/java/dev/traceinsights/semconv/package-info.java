/**
 * The attribute keys Trace Insights reads and writes on spans: what capture records, what the
 * analysis reads, what enrichment adds to exported spans. One place, so that the analysis and the
 * enrichment do not depend on each other for them.
 */
@ParametersAreNonnullByDefault
package dev.traceinsights.semconv;

import javax.annotation.ParametersAreNonnullByDefault;
