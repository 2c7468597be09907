#!/usr/bin/env bash
# The core benchmark (issue 3): start time and idle memory, list latency on SQLite and PostgreSQL
# with 10,000 labs, and lab creation and boot against bare QEMU. One command, about 3 minutes:
#   bench/core/run.sh [--parts 1,2,3]
# Builds the app if target/quarkus-app is missing (REBUILD=1 forces it) and the demo image into
# .cache/images/demo. Part 2 needs root (or the postgres account) to create the lab_bench database.
# Results: target/bench/core-<time>.json and a Markdown table on stdout.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
export PYTHONDONTWRITEBYTECODE=1
export JAVA_HOME=${JAVA_HOME_25:-/usr/lib/jvm/temurin-25-jdk-amd64}

die() { echo "bench: $*" >&2; exit 1; }
[[ -x $JAVA_HOME/bin/java && -x $JAVA_HOME/bin/javac ]] || die "JDK 25 not found at $JAVA_HOME (set JAVA_HOME_25)"
command -v python3 >/dev/null || die "python3 missing: apt-get install python3"
command -v qemu-system-x86_64 >/dev/null || die "qemu-system-x86_64 missing: apt-get install qemu-system-x86"
[[ -x /usr/bin/setsid ]] || die "/usr/bin/setsid missing: apt-get install util-linux"
PARTS=${2:-1,2,3}
[[ ${1:-} == --parts || -z ${1:-} ]] || die "usage: $0 [--parts 1,2,3]"

if [[ $PARTS == *2* ]]; then
    command -v psql >/dev/null || die "psql missing: apt-get install postgresql-client (and a PostgreSQL 15 server)"
    [[ $(id -u) == 0 ]] || die "part 2 creates the lab_bench database as postgres: run as root, or skip it with --parts 1,3"
    su postgres -c "pg_isready -q -h localhost" || die "PostgreSQL is not running on localhost:5432 (scripts/postgres-test-db.sh starts it)"
    su postgres -c "psql -v ON_ERROR_STOP=1 -q" <<'SQL'
SELECT 'CREATE ROLE lab LOGIN PASSWORD ''lab''' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'lab')\gexec
SET client_min_messages = warning;
DROP DATABASE IF EXISTS lab_bench;
CREATE DATABASE lab_bench OWNER lab;
SQL
fi

if [[ ! -f target/quarkus-app/quarkus-run.jar || ${REBUILD:-0} == 1 ]]; then
    ./mvnw -B -o -q package -DskipTests
fi
scripts/demo-image.sh .cache/images/demo

WORK=$ROOT/target/bench/work
rm -rf "$WORK"
cleanup() {
    rm -rf "$WORK"
    if [[ $PARTS == *2* ]]; then su postgres -c "psql -q -c 'DROP DATABASE IF EXISTS lab_bench'"; fi
}
trap cleanup EXIT
python3 bench/core/bench.py "$WORK" "$ROOT/.cache/images/demo" --parts "$PARTS"
