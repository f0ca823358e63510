#!/usr/bin/env bash
# The Trace Insights demo: builds what it needs, starts a Zipkin server and the two demo services
# under the OpenTelemetry javaagent with the extension, drives every scenario and prints what the
# analysis found. Ctrl-C stops everything it started.
#
#   ./demo.sh                 traffic every 3 s until Ctrl-C (summary after the first round,
#                             then every 20 rounds)
#   ./demo.sh --requests N    N rounds of traffic, the summary, then stop everything and exit
#   ./demo.sh --interval S    seconds between rounds in the default mode
set -euo pipefail
root=$(cd "$(dirname "$0")" && pwd)
cd "$root"

echo "Building the extension, the demo services and the launcher (Maven; the first run downloads"
echo "the javaagent and Zipkin server, ~160 MB) ..."
# Only the modules the demo needs; -Dskip.skywalking keeps SkyWalking (tests only) out.
mvn -B -q -Dstyle.color=never -pl integration-tests -am -DskipTests -Dskip.skywalking -Dspotless.check.skip=true package

exec java -jar integration-tests/target/trace-insights-demo.jar --project-root "$root" "$@"
