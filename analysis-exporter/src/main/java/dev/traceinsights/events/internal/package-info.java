/**
 * Shared parts of the detectors. Public only so that the detection, anomaly and trend packages can
 * share them.
 *
 * <p>This package is internal: its classes are not part of the public API and may change or be
 * removed in any release.
 */
@ParametersAreNonnullByDefault
package dev.traceinsights.events.internal;

import javax.annotation.ParametersAreNonnullByDefault;
