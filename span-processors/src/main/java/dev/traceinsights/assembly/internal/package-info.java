/**
 * The assembly machinery the span processor runs. Public only so that the processor in another
 * package can use it.
 *
 * <p>This package is internal: its classes are not part of the public API and may change or be
 * removed in any release.
 */
@ParametersAreNonnullByDefault
package dev.traceinsights.assembly.internal;

import javax.annotation.ParametersAreNonnullByDefault;
