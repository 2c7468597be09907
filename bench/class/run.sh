#!/usr/bin/env bash
# The class burst benchmark (issue 9): 30 labs requested at once through the controller beside 30
# bare QEMU boots of the same command line, in one run. About 3 minutes on 2 cores.
#   bench/class/run.sh            (BENCH_CLASS=N for another class size)
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/prepare.sh
python3 bench/class/bench.py
