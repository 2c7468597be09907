#!/usr/bin/env bash
# Browser end-to-end tests (e2e/, Playwright with Debian's chromium) against the packaged
# controller. Builds nothing: run `./mvnw package` first (scripts/test.sh does) so that
# target/quarkus-app/quarkus-run.jar holds the current API and web UI, and have the demo image in
# .cache/images/demo (scripts/demo-image.sh .cache/images/demo). Starts the controller on a free
# port with a fresh data dir, waits until it is ready, runs `npx playwright test "$@"`, stops the
# controller (removing its VMs) and exits with Playwright's status.
# Screenshots of the main pages are written to docs/screenshots/.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
require_java

JAR=target/quarkus-app/quarkus-run.jar
IMAGES=$PWD/.cache/images
CHROMIUM=${LAB_E2E_CHROMIUM:-/usr/bin/chromium}
[[ -f $JAR ]] || { echo "error: $JAR is missing: run ./mvnw package first" >&2; exit 1; }
[[ -f $IMAGES/demo/vmlinuz ]] || { echo "error: no demo image: run scripts/demo-image.sh .cache/images/demo" >&2; exit 1; }
command -v npm >/dev/null || { echo "error: Node.js and npm are needed for the browser tests" >&2; exit 1; }
if [[ ! -x $CHROMIUM ]]; then
    if [[ $(id -u) -eq 0 ]]; then
        DEBIAN_FRONTEND=noninteractive apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium
    else
        echo "error: $CHROMIUM missing. Run:  sudo apt-get install -y chromium" >&2
        exit 1
    fi
fi

# Playwright itself; its browser download is never used.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
(cd e2e && npm ci --no-audit --no-fund --loglevel=error)

free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
PORT=$(free_port)
MANAGEMENT_PORT=$(free_port)   # health and metrics: Quarkus' management interface, not the public port
DATA=$(mktemp -d "${TMPDIR:-/tmp}/lab-e2e.XXXXXX")
LOG=$DATA/controller.log
ADMIN_PASSWORD=$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 24)

"$JAVA_HOME/bin/java" -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$PORT" \
    -Dquarkus.management.host=127.0.0.1 -Dquarkus.management.port="$MANAGEMENT_PORT" \
    -Dlab.data-dir="$DATA/data" -Dlab.qemu.image-dir="$IMAGES" \
    -Dlab.auth.admin-password="$ADMIN_PASSWORD" -Dlab.auth.cookie-secure=false \
    -Dlab.qemu.remove-vms-at-shutdown=true -Dlab.labs.resync-interval=2s -Dlab.labs.poll-interval=250ms \
    -jar "$JAR" >"$LOG" 2>&1 &
PID=$!

stop_controller() {
    if kill -0 "$PID" 2>/dev/null; then
        kill "$PID"
        for _ in $(seq 1 60); do kill -0 "$PID" 2>/dev/null || break; sleep 0.5; done
        kill -9 "$PID" 2>/dev/null || true
    fi
    wait "$PID" 2>/dev/null || true
}
finish() {
    local status=$?
    stop_controller
    if [[ $status -ne 0 ]]; then
        echo "--- last lines of the controller's log ($LOG) ---" >&2
        tail -n 40 "$LOG" >&2 || true
    else
        rm -rf "$DATA"
    fi
    exit "$status"
}
trap finish EXIT

BASE_URL=http://127.0.0.1:$PORT
echo "Controller on $BASE_URL (data in $DATA); waiting until ready..."
ready=0
for _ in $(seq 1 120); do
    if ! kill -0 "$PID" 2>/dev/null; then
        echo "error: the controller exited during start" >&2
        exit 1
    fi
    if node -e 'fetch(process.argv[1]).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))' "http://127.0.0.1:$MANAGEMENT_PORT/q/health/ready"; then
        ready=1
        break
    fi
    sleep 1
done
[[ $ready == 1 ]] || { echo "error: the controller was not ready within 120 s" >&2; exit 1; }

set +e
(cd e2e && LAB_E2E_BASE_URL=$BASE_URL LAB_E2E_ADMIN_PASSWORD=$ADMIN_PASSWORD LAB_E2E_CHROMIUM=$CHROMIUM npx playwright test "$@")
status=$?
set -e
exit $status
