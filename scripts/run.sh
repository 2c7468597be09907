#!/usr/bin/env bash
# Builds and starts Lab Controller on the embedded default: SQLite and local QEMU VMs under
# LAB_DATA_DIR (default ./data), with the admin account and the demo template ready.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
require_java
ensure_packages
ensure_lab_user

DATA_DIR=${LAB_DATA_DIR:-$PWD/data}
# The data directory is the controller's alone (it keeps it 0700 and its database 0600 itself).
(umask 077 && mkdir -p "$DATA_DIR/images")
scripts/demo-image.sh "$DATA_DIR/images/demo"

JAR=target/quarkus-app/quarkus-run.jar
AOT=target/quarkus-app/app.aot
# Build when there is no jar or a source is newer than it (LAB_SKIP_BUILD=1 never builds).
if [[ ${LAB_SKIP_BUILD:-0} != 1 ]] && { [[ ! -f $JAR ]] || [[ -n $(find pom.xml src -newer "$JAR" -print -quit) ]]; }; then
    ./mvnw -B -q package -DskipTests
    rm -f "$AOT"
fi
# JDK 25's AOT cache (about a third off the start, see docs/benchmarks.md): the first run after a
# build trains it (written when the controller exits), later runs load it.
if [[ -f $AOT ]]; then
    AOT_OPT=-XX:AOTCache=$AOT
else
    AOT_OPT=-XX:AOTCacheOutput=$AOT
fi
# SerialGC: half the memory per idle stream of G1 on a small machine (docs/benchmarks.md);
# LAB_GC_OPTS=-XX:+UseG1GC (or empty for the JVM default) chooses another collector.
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED ${LAB_GC_OPTS--XX:+UseSerialGC} $AOT_OPT ${LAB_JAVA_OPTS:-} -Dlab.data-dir="$DATA_DIR" -jar "$JAR"
