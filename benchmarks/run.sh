#!/usr/bin/env bash
# The JMH suite (hot path, analysis, samplers) and the memory measurement. Writes the JMH JSON of
# each round, memory.json and benchmarks.md (Markdown tables, every figure against its baseline
# from the same round) to benchmarks/target/results/ (or --out DIR).
#
#   benchmarks/run.sh               3 rounds of every benchmark (about 13 min on 2 cores)
#   benchmarks/run.sh --quick       1 short round: a smoke check, the figures mean little (~3 min)
#   benchmarks/run.sh --rounds N    N rounds (each runs every benchmark once; figures are means)
#   benchmarks/run.sh --no-build    use the benchmarks jar as built
#   benchmarks/run.sh --out DIR     where the results go
#   benchmarks/run.sh -- ARGS       more JMH arguments, e.g. -- 'HotPath.*bare'
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

command="benchmarks/run.sh${*:+ $*}"
started=$(date -u +%Y-%m-%dT%H:%M:%SZ)
rounds=3
quick=""
build=1
out=benchmarks/target/results
jmh_extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1; rounds=1 ;;
    --rounds) rounds="$2"; shift ;;
    --no-build) build="" ;;
    --out) out="$2"; shift ;;
    --) shift; jmh_extra=("$@"); break ;;
    *) echo "unknown option $1 (see the head of $0)" >&2; exit 2 ;;
  esac
  shift
done

if [ -n "$build" ]; then
  echo "Building benchmarks/target/benchmarks.jar ..."
  mvn -B -q -ntp -Dstyle.color=never -pl benchmarks -am package -DskipTests -Dspotless.check.skip=true
fi
jar=benchmarks/target/benchmarks.jar
mkdir -p "$out"

jmh_args=(-prof gc)
if [ -n "$quick" ]; then
  jmh_args+=(-f 1 -wi 1 -i 2 -w 200ms -r 200ms)
fi

jmh_files=()
for round in $(seq 1 "$rounds"); do
  echo "JMH round $round of $rounds (log: $out/jmh-round-$round.log)"
  java -jar "$jar" "${jmh_args[@]}" -rf json -rff "$out/jmh-round-$round.json" "${jmh_extra[@]}" \
    > "$out/jmh-round-$round.log" 2>&1
  jmh_files+=(--jmh "$out/jmh-round-$round.json")
done

echo "Retained memory (log: $out/memory.log)"
java -XX:+UseSerialGC -Xmx2g -cp "$jar" dev.traceinsights.benchmarks.memory.RetainedMemory \
  --out "$out/memory.json" ${quick:+--quick} > "$out/memory.log" 2>&1

java -cp "$jar" dev.traceinsights.benchmarks.report.BenchmarkReport "${jmh_files[@]}" \
  --memory "$out/memory.json" --out "$out/benchmarks.md" --command "$command" \
  --date "$started"
echo
echo "Results: $out/benchmarks.md, $out/jmh-round-*.json, $out/memory.json"
