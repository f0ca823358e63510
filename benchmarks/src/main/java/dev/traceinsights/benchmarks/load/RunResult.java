package dev.traceinsights.benchmarks.load;

import java.util.Map;

/**
 * What one configuration measured in one repetition (both services together where a figure is per
 * request).
 *
 * @param repetition 1-based
 * @param position the configuration's place in the repetition's order, 1-based
 * @param startupMillis backend plus frontend, each from process creation to its first 200
 * @param rate requests per second offered in the fixed-rate phase
 * @param latencyP50Micros fixed-rate phase, from each request's due time (coordinated omission
 *     corrected)
 * @param cpuMicrosPerRequest CPU time of both service JVMs in the fixed-rate phase per completed
 *     request
 * @param allocatedBytesPerRequest bytes both JVMs allocated in the fixed-rate phase per completed
 *     request
 * @param allocationExact true when read as the JVMs' total (JDK 21+), false when summed over live
 *     threads (JDK 17)
 * @param threadsEnded threads that ended during the phase (their allocation is missing when not
 *     exact)
 * @param exportedBytesPerRequest OTLP payload bytes received per completed request
 * @param exportedSpansPerRequest spans received per completed request
 * @param exportsWithInsights export requests that carried Trace Insights attributes
 * @param saturationThroughput requests per second with {@code connections} clients back to back
 * @param compilationMicrosPerRequest the JIT compilers' time in the fixed-rate phase per completed
 *     request, both JVMs (elapsed time of the compiler threads: an upper bound of their CPU time)
 * @param threadCpuMicrosPerRequest CPU per completed request by {@link ThreadCpu} group, both JVMs,
 *     in the fixed-rate phase; empty where threads' CPU cannot be read
 */
record RunResult(
    Configuration configuration,
    int repetition,
    int position,
    double startupMillis,
    double backendStartupMillis,
    double frontendStartupMillis,
    double rate,
    long scheduled,
    long completed,
    long errors,
    double achievedThroughput,
    long latencyP50Micros,
    long latencyP90Micros,
    long latencyP99Micros,
    long latencyP999Micros,
    long latencyMaxMicros,
    double cpuMicrosPerRequest,
    double allocatedBytesPerRequest,
    boolean allocationExact,
    int threadsEnded,
    long exportRequests,
    double exportedBytesPerRequest,
    double exportedSpansPerRequest,
    long exportsWithInsights,
    double saturationThroughput,
    long saturationErrors,
    long saturationP50Micros,
    long saturationP99Micros,
    double compilationMicrosPerRequest,
    Map<String, Double> threadCpuMicrosPerRequest) {

  /** OTLP payload bytes per span received: independent of the batches at the phase's edges. */
  double exportedBytesPerSpan() {
    return exportedSpansPerRequest == 0 ? 0 : exportedBytesPerRequest / exportedSpansPerRequest;
  }

  /** CPU per request with the JIT compilers' time taken out: the steady-state cost. */
  double cpuWithoutCompilationMicrosPerRequest() {
    return cpuMicrosPerRequest - compilationMicrosPerRequest;
  }
}
