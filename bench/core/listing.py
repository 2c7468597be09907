"""Part 2: latency of GET /api/v1/labs?limit=50 with 10,000 stored labs, on SQLite and PostgreSQL.

Each database gets a fresh controller: a first start creates the schema, the admin, the demo
template and a student (with API tokens); then, with the controller stopped, the labs are written
straight into its database (desired and state STOPPED, so the reconcile loop boots nothing);
then it is started again and measured. GET /api/v1/me (authenticated, one account lookup) is the
floor measured on the same connection.
"""
import os
import sqlite3
import subprocess
import time

from harness import ADMIN_PASSWORD, PG, Controller, median, p99, track_dir, uuid7

COLUMNS = ("id, owner_id, template_id, desired, desired_version, restart_generation, restart_observed, state,"
           " state_reason, state_changed_at, created_at, started_at, expires_at")
STUDENT_PASSWORD = "bench-student-password"
IDLE_SECONDS = 10


def rows(n, student_every, admin_id, student_id, template_id):
    """n labs created one millisecond apart; every student_every-th belongs to the student."""
    now = int(time.time() * 1000)
    base = now - n - 60_000
    for i in range(n):
        created = base + i
        owner = student_id if i % student_every == 0 else admin_id
        yield (uuid7(created), owner, template_id, "STOPPED", 1, 0, 0, "STOPPED", None, created, created, None,
               now + 30 * 86_400_000)


def seed_sqlite(data_dir, labs):
    db = sqlite3.connect(data_dir / "lab.db")
    with db:
        db.executemany(f"INSERT INTO labs ({COLUMNS}) VALUES ({', '.join('?' * 13)})", labs)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()


def psql(*args, stdin=None):
    env = dict(os.environ, PGPASSWORD=PG["password"])
    return subprocess.run(["psql", "-h", "localhost", "-U", PG["user"], "-d", PG["db"], "-v", "ON_ERROR_STOP=1", "-qAt",
                           *args], input=stdin, env=env, check=True, capture_output=True, text=True).stdout


def seed_postgresql(labs):
    text = "".join("\t".join(r"\N" if v is None else str(v) for v in row) + "\n" for row in labs)
    psql("-c", f"\\copy labs ({COLUMNS}) FROM STDIN", stdin=text)
    # Autovacuum would analyze 10,000 new rows within a minute; do it now so every run plans alike.
    psql("-c", "ANALYZE labs, accounts, templates")


def reconcile_metrics(c):
    lines = c.management().get("/q/metrics").decode().splitlines()
    prefix = "lab_reconcile_pass_seconds_"
    return {l[len(prefix):].split(" ")[0]: float(l.rsplit(" ", 1)[1]) for l in lines if l.startswith(prefix)}


def timed(api, path, n):
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        status, body, _ = api.call("GET", path)
        out.append((time.perf_counter() - t0) * 1000)
        assert status == 200, f"{path}: {status}"
    return out, body


def run(work, database, n_labs, student_labs, requests, warmup):
    data = track_dir(work / f"list-{database}")
    # Resyncs every 2 s (the default is 30 s) so the idle window holds several to measure.
    c = Controller(data, database, **{"lab.labs.resync-interval": "2s"})
    c.start()
    admin = c.token("admin", ADMIN_PASSWORD)
    api = c.api(admin)
    status, student, _ = api.call("POST", "/api/v1/users", {"username": "student", "password": STUDENT_PASSWORD,
                                                           "role": "student"})
    assert status == 201, student
    student_token = c.token("student", STUDENT_PASSWORD)
    admin_id = api.get("/api/v1/me")["id"]
    template = next(t["id"] for t in api.get("/api/v1/templates")["items"] if t["name"] == "demo")
    c.stop()

    labs = list(rows(n_labs, n_labs // student_labs, admin_id, student["id"], template))
    seed_sqlite(data, labs) if database == "sqlite" else seed_postgresql(labs)

    c.start()
    result = {}
    for who, token in (("admin", admin), ("student", student_token)):
        api = c.api(token)
        for path, key in (("/api/v1/labs?limit=50", "list"), ("/api/v1/me", "me")):
            timed(api, path, warmup)
            ms, body = timed(api, path, requests)
            if key == "list":
                assert len(body["items"]) == 50 and body["nextCursor"], "a full first page was expected"
                assert who == "admin" or all(l["ownerId"] == student["id"] for l in body["items"])
            result[f"{who}_{key}"] = {"median_ms": median(ms), "p99_ms": p99(ms), "max_ms": max(ms), "n": len(ms)}
            print(f"  {database} {who} {path}: median {median(ms):.2f} ms p99 {p99(ms):.2f} ms", flush=True)
    # Where else the time goes: each resync reads and decides every stored lab (events drive the
    # rest). Resyncs during an idle window (the first, cold one excluded); the steady cost is that
    # per resync interval.
    before = reconcile_metrics(c)
    time.sleep(IDLE_SECONDS)
    after = reconcile_metrics(c)
    count = after["count"] - before["count"]
    mean_ms = 1000 * (after["sum"] - before["sum"]) / count if count else 0.0
    result["reconcile_pass"] = {"count": count, "mean_ms": mean_ms, "max_ms": 1000 * after["max"],
                                "ms_per_s_at_default_30s": mean_ms / 30}
    print(f"  {database} reconcile passes in {IDLE_SECONDS} s idle: {count:.0f}, mean "
          f"{result['reconcile_pass']['mean_ms']:.0f} ms", flush=True)
    c.stop()
    return result
