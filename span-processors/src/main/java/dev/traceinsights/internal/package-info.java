/**
 * Parts shared by Trace Insights' own packages and modules. Public only so that they can be shared.
 *
 * <p>This package is internal: its classes are not part of the public API and may change or be
 * removed in any release.
 */
@ParametersAreNonnullByDefault
package dev.traceinsights.internal;

import javax.annotation.ParametersAreNonnullByDefault;
