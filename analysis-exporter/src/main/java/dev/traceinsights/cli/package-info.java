/**
 * The offline command line, {@code trace-insights}: {@code analyze} reads OTLP-JSON files and
 * prints each trace's analysis as JSON. Built as {@code
 * analysis-exporter/target/trace-insights-cli.jar}.
 */
@ParametersAreNonnullByDefault
package dev.traceinsights.cli;

import javax.annotation.ParametersAreNonnullByDefault;
