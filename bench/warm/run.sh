#!/usr/bin/env bash
# The warm-start benchmark (issue 14): click-to-console warm vs cold vs bare QEMU (p50/p99), a class
# started at once warm and cold, idle PSS per lab warm and cold, in one run. About 15 minutes on 2
# cores with the defaults; a smoke run: BENCH_STARTS=3 BENCH_CLASS=3 BENCH_IDLE=3 BENCH_IDLE_WAIT=5.
#   bench/warm/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
export PYTHONDONTWRITEBYTECODE=1
export JAVA_HOME=${JAVA_HOME_25:-/usr/lib/jvm/temurin-25-jdk-amd64}
[[ -x $JAVA_HOME/bin/java ]] || { echo "bench: JDK 25 not found at $JAVA_HOME (set JAVA_HOME_25)" >&2; exit 1; }
command -v qemu-system-x86_64 >/dev/null || { echo "bench: apt-get install qemu-system-x86" >&2; exit 1; }
if [[ ! -f target/quarkus-app/quarkus-run.jar || ${REBUILD:-0} == 1 ]]; then
    ./mvnw -B -o -q package -DskipTests
fi
scripts/demo-image.sh .cache/images/demo
python3 bench/warm/bench.py
