package dev.traceinsights.collector.assembly;

import java.time.Duration;

/**
 * What the whole-trace buffer may hold and how long it waits.
 *
 * @param quietPeriod how long a trace that looks complete waits for stragglers
 * @param upstreamWait how long a trace waits whose entry span's caller is not traced
 * @param timeout how long after its first span a trace is handed on at the latest
 * @param maxTraces traces held at most; a request that would open more is refused for now
 * @param maxSpansPerTrace spans per trace at most; the trace is handed on when it reaches this
 * @param maxBytes estimated heap of buffered spans at most; a request beyond it is refused for now
 * @param decisionCacheSize how many handed-on traces are remembered for their late spans
 */
public record BufferLimits(
    Duration quietPeriod,
    Duration upstreamWait,
    Duration timeout,
    int maxTraces,
    int maxSpansPerTrace,
    long maxBytes,
    int decisionCacheSize) {}
