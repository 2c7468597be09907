#!/usr/bin/env bash
# Start time of the packaged controller with and without JDK 25's AOT cache (JEP 483/514), which
# scripts/run.sh uses: one training run writes the cache, then starts alternate between a plain
# JVM and one that loads the cache. Each start uses a fresh data dir (first start: schema, admin).
# Usage: bench/core/aot-start.sh [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib.sh
require_java
[[ -f target/quarkus-app/quarkus-run.jar ]] || ./mvnw -B -q package -DskipTests
CACHE=$(mktemp -d)/app.aot
PORT=18099
MANAGEMENT_PORT=18098   # health and metrics are on the management interface
start() { # prints milliseconds until /q/health/ready answers 200
    local dir t0 t1 pid
    dir=$(mktemp -d)
    t0=$(date +%s%N)
    "$JAVA_HOME/bin/java" "$@" -Dquarkus.http.port=$PORT -Dquarkus.management.port=$MANAGEMENT_PORT -Dlab.data-dir="$dir" -Dlab.auth.admin-password=bench-password \
        -jar target/quarkus-app/quarkus-run.jar >"$dir/log" 2>&1 &
    pid=$!
    until curl -sf "localhost:$MANAGEMENT_PORT/q/health/ready" >/dev/null; do sleep 0.01; done
    t1=$(date +%s%N)
    kill "$pid"; wait "$pid" 2>/dev/null || true
    rm -rf "$dir"
    echo $(( (t1 - t0) / 1000000 ))
}
start -XX:AOTCacheOutput="$CACHE" >/dev/null
plain=(); cached=()
for _ in $(seq 1 "${1:-5}"); do
    plain+=("$(start)")
    cached+=("$(start -XX:AOTCache="$CACHE")")
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "start to ready, ms: plain JVM ${plain[*]} (median $(median "${plain[@]}")); with AOT cache ${cached[*]} (median $(median "${cached[@]}"))"
rm -rf "$(dirname "$CACHE")"
