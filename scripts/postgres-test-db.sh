#!/usr/bin/env bash
# Starts the machine's PostgreSQL and creates the role and database the storage tests use
# (role lab / password lab, databases lab_test and lab_feed_test on localhost:5432). Needs root.
set -euo pipefail
service postgresql start >/dev/null
for _ in $(seq 1 30); do
    su postgres -c "pg_isready -q" && break
    sleep 1
done
su postgres -c "psql -v ON_ERROR_STOP=1 -q" <<'SQL'
SELECT 'CREATE ROLE lab LOGIN PASSWORD ''lab''' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'lab')\gexec
SELECT 'CREATE DATABASE lab_test OWNER lab' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'lab_test')\gexec
SELECT 'CREATE DATABASE lab_feed_test OWNER lab' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'lab_feed_test')\gexec
SQL
echo "PostgreSQL ready: jdbc:postgresql://localhost:5432/lab_test (lab/lab)"
