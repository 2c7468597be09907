#!/usr/bin/env bash
# Runs every test: unit, API and storage tests (SQLite and PostgreSQL), real QEMU boots, and the
# packaged-controller restart test. PostgreSQL must be running with the test database
# (scripts/postgres-test-db.sh, run here automatically when root).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
require_java
ensure_packages
if [[ $(id -u) -eq 0 ]]; then
    scripts/postgres-test-db.sh
fi
scripts/demo-image.sh .cache/images/demo
exec ./mvnw -B verify "$@"
