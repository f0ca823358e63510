/**
 * The offline CI gate behind {@code trace-insights compare}: a run's traces against a baseline
 * (file or traces), with regressions, improvements, new bottlenecks and new or vanished operations,
 * reported as Markdown and JSON.
 */
@ParametersAreNonnullByDefault
package dev.traceinsights.compare;

import javax.annotation.ParametersAreNonnullByDefault;
