#!/usr/bin/env bash
# The class burst benchmark (issue 9): 30 labs requested at once through the controller beside 30
# bare QEMU boots of the same command line, in one run. About 3 minutes on 2 cores.
#   bench/class/run.sh            (BENCH_CLASS=N for another class size)
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
python3 bench/class/bench.py
