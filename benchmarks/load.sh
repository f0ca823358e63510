#!/usr/bin/env bash
# End to end: the demo services under fixed-rate HTTP load, alternating three configurations in
# one run (no agent, javaagent, javaagent + Trace Insights extension) over several repetitions.
# Writes load.json and load.md to benchmarks/target/load/ (logs of the services in logs/).
#
#   benchmarks/load.sh              5 repetitions, 180 s warm-up each (about 60 min on 2 cores)
#   benchmarks/load.sh --quick      1 short repetition (~1.5 min): a smoke check
#   benchmarks/load.sh --no-build   (first argument) use the jars as built
#   benchmarks/load.sh --rate 100 --repetitions 5 --warmup 180 --duration 30 --saturation 10 \
#                      --connections 8 --path /shop/orders --out DIR
#   benchmarks/load.sh --profile    also JFR of both agent configurations: profile.md by component
#   benchmarks/load.sh --profile-settings FILE.jfc   the same with other JFR settings than "profile"
#   benchmarks/load.sh --extension-property traceinsights.attributes=full   (repeatable)
#   benchmarks/load.sh --jvm-option -XX:+PrintCompilation   (repeatable; all three configurations)
#   benchmarks/load.sh --compilations   every JIT compilation recorded (JFR): compilations.md
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

if [ "${1:-}" != "--no-build" ]; then
  echo "Building the demo services, the extension, the benchmarks jar; fetching the javaagent ..."
  # benchmarks depends on demo-app, otel-extension and backends, so -am builds them all.
  mvn -B -q -ntp -Dstyle.color=never -pl benchmarks -am package -DskipTests -Dspotless.check.skip=true
else
  shift
fi
exec java -cp benchmarks/target/benchmarks.jar dev.traceinsights.benchmarks.load.LoadRun \
  --project-root "$root" --out benchmarks/target/load "$@"
