#!/usr/bin/env bash
# The class overview benchmark (issue 13): N running demo labs (default 30) looked at through the
# overview (its API and N thumbnails every 5 s) beside the same N screens held open as N VNC
# websocket streams, and beside nobody looking, in one run. About 4 minutes plus the boots for N=30.
#   bench/overview/run.sh                      (N=3 SECONDS_PER_PART=10 for a smoke run)
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/prepare.sh
command -v node >/dev/null || { echo "bench: Node.js is needed for the VNC wall (bench/overview/wall.js)" >&2; exit 1; }
(cd bench/streams && npm install --silent --no-audit --no-fund >/dev/null)   # the wall's websocket client (ws)
python3 bench/overview/bench.py
