/**
 * The offline command line, {@code trace-insights}: {@code analyze} reads OTLP-JSON files and
 * prints each trace's analysis as JSON; {@code baseline} builds a baseline file from traces; {@code
 * compare} checks a run against a baseline and exits non-zero on regressions (a CI gate). Built as
 * {@code analysis-exporter/target/trace-insights-cli.jar}.
 */
@ParametersAreNonnullByDefault
package dev.traceinsights.cli;

import javax.annotation.ParametersAreNonnullByDefault;
