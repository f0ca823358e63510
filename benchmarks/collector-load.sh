#!/usr/bin/env bash
# The collector under OTLP/gRPC load: pass-through against whole-trace analysis, alternating in
# each repetition, CPU per span of the collector process, unpaced throughput, and the buffer's
# retained heap per span. Writes collector-load.json and collector-load.md to
# benchmarks/target/collector-load/.
#
#   benchmarks/collector-load.sh              3 repetitions (about 8 min on 2 cores)
#   benchmarks/collector-load.sh --quick      1 short repetition: a smoke check
#   benchmarks/collector-load.sh --no-build   (first argument) use the jars as built
#   benchmarks/collector-load.sh --rate 20000 --repetitions 3 --warmup 20 --duration 30 --saturation 15
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

if [ "${1:-}" != "--no-build" ]; then
  mvn -B -q -ntp -Dstyle.color=never -pl benchmarks -am package -DskipTests -Dspotless.check.skip=true
else
  shift
fi
args=("$@")
if [ "${1:-}" = "--quick" ]; then
  args=(--repetitions 1 --warmup 5 --duration 10 --saturation 5)
fi
exec java -Xmx2g -XX:+UseSerialGC -cp benchmarks/target/benchmarks.jar \
  dev.traceinsights.benchmarks.collector.CollectorLoad --project-root "$root" "${args[@]}"
