#!/usr/bin/env bash
# Runs every test: unit, API and storage tests (SQLite and PostgreSQL), real QEMU boots, the
# packaged-controller restart test, the container image (built and started), then the browser tests against the packaged jar (scripts/e2e.sh).
# PostgreSQL must be running with the test database (scripts/postgres-test-db.sh, run here
# automatically when root).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
require_java
ensure_packages
ensure_lab_user
if [[ $(id -u) -eq 0 ]]; then
    scripts/postgres-test-db.sh
fi
scripts/demo-image.sh .cache/images/demo
./mvnw -B verify -Pimage "$@"   # -Pimage: the container image, checked by ContainerImageIT
scripts/e2e.sh
