#!/usr/bin/env bash
# The loop benchmark (issue 9): runtime calls per lab per minute while every runtime call fails,
# the controller's backoff beside client-go's default per-item limiter, in one run, real time.
#   bench/loop/run.sh [labs=10] [seconds=60]
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME=${JAVA_HOME_25:-/usr/lib/jvm/temurin-25-jdk-amd64}
[[ -x $JAVA_HOME/bin/java ]] || { echo "bench: JDK 25 not found at $JAVA_HOME (set JAVA_HOME_25)" >&2; exit 1; }
./mvnw -B -q -o test-compile -Dquarkus.quinoa=false
CP=target/classes:target/test-classes:$(./mvnw -B -q -o dependency:build-classpath -Dmdep.outputFile=/dev/stdout)
"$JAVA_HOME/bin/java" -cp "$CP" org.labcontroller.lab.LoopBench "${1:-10}" "${2:-60}"
