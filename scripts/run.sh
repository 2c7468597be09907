#!/usr/bin/env bash
# Builds and starts Lab Controller on the embedded default: SQLite and local QEMU VMs under
# LAB_DATA_DIR (default ./data), with the admin account and the demo template ready.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
require_java
ensure_packages

DATA_DIR=${LAB_DATA_DIR:-$PWD/data}
mkdir -p "$DATA_DIR/images"
scripts/demo-image.sh "$DATA_DIR/images/demo"

if [[ ${LAB_SKIP_BUILD:-0} != 1 ]]; then
    ./mvnw -B -q package -DskipTests
fi
exec "$JAVA_HOME/bin/java" ${LAB_JAVA_OPTS:-} -Dlab.data-dir="$DATA_DIR" -jar target/quarkus-app/quarkus-run.jar
