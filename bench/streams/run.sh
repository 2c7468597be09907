#!/usr/bin/env bash
# Stream benchmark (issue 4): the controller's bridge beside websockify, configurable-http-proxy
# and a direct websocket, on one byte source and one client, in one run. Then 10,000 idle console
# sessions held by a real controller on one demo lab. Figures go to stdout and target/bench/streams.json.
# Usage: bench/streams/run.sh [SECONDS_PER_THROUGHPUT_RUN]
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib.sh
require_java
command -v websockify >/dev/null || {
    if [[ $(id -u) -eq 0 ]]; then apt-get install -y -q websockify >/dev/null; else echo "run: apt-get install websockify" >&2; exit 1; fi
}
(cd bench/streams && npm install --silent --no-audit --no-fund >/dev/null)
./mvnw -B -q -o test-compile -DskipTests
./mvnw -B -q -o dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
scripts/demo-image.sh .cache/images/demo >/dev/null
[[ -f target/quarkus-app/quarkus-run.jar ]] || ./mvnw -B -q -o package -DskipTests
ulimit -n "$(ulimit -Hn)"
exec python3 bench/streams/bench.py "${1:-5}"
