#!/usr/bin/env bash
# The warm-start benchmark (issue 14): click-to-console warm vs cold vs bare QEMU (p50/p99), a class
# started at once warm and cold, idle PSS per lab warm and cold, in one run. About 15 minutes on 2
# cores with the defaults; a smoke run: BENCH_STARTS=3 BENCH_CLASS=3 BENCH_IDLE=3 BENCH_IDLE_WAIT=5.
#   bench/warm/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/prepare.sh
python3 bench/warm/bench.py
