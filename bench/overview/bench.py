"""The class overview's cost (issue 13): N running labs watched two ways in one run.

0. Provisioning: "a lab for every student" of a course of N (one request) until all N are Running,
   and the controller's peak RSS (VmHWM) then and at the end.

1. Overview: one refresh cycle every 5 s, as the overview page does for N visible tiles: GET
   /api/v1/courses/{id}/overview, then the N thumbnails (GET /api/v1/labs/{id}/screenshot) over 6
   connections, as a browser fetches them. Controller CPU per cycle and per second; thumbnail
   latency p50/p99 over every thumbnail of every cycle.
2. Peer, a wall of full streams (what a Guacamole- or CrownLabs-style instructor view costs): the same N
   screens each held open by one VNC websocket through the controller (bench/overview/wall.js,
   raw encoding, one incremental update request outstanding per viewer, as noVNC keeps).
   Controller CPU per 5 s.
Plus the controller's CPU with the same labs and nobody looking, over the same time. Each guest
prints the time on its screen every second throughout (SCREENS=idle leaves them still), as a class
at work changes its screens; a full stream's cost follows those changes, a thumbnail's does not. Machine CPU
(every process: the labs' QEMUs take the screendumps, the clients run here too) is printed beside.
"""
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "core"))
from harness import ADMIN_PASSWORD, Controller, cleanup, cpu_seconds, median, p99, socket_dir, track_dir  # noqa: E402

N = int(os.environ.get("N", "30"))
SECONDS = int(os.environ.get("SECONDS_PER_PART", "60"))
PERIOD = 5.0
BROWSER_CONNECTIONS = 6
BUSY = os.environ.get("SCREENS", "busy") == "busy"


def machine_busy():
    """Busy seconds of all CPUs so far (/proc/stat: everything but idle and iowait)."""
    f = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(f[:8]) - f[3] - f[4]) / os.sysconf("SC_CLK_TCK")


class Window:
    """Controller and machine CPU over a stretch of wall time."""

    def __init__(self, pid):
        self.pid = pid

    def __enter__(self):
        self.t, self.cpu, self.busy = time.monotonic(), cpu_seconds(self.pid), machine_busy()
        return self

    def __exit__(self, *exc):
        self.seconds = time.monotonic() - self.t
        self.cpu = cpu_seconds(self.pid) - self.cpu
        self.busy = machine_busy() - self.busy


def setup(c):
    admin = c.api(c.token("admin", ADMIN_PASSWORD))
    demo = next(t["id"] for t in admin.get("/api/v1/templates")["items"] if t["name"] == "demo")
    status, course, _ = admin.call("POST", "/api/v1/courses", {"name": "Bench", "code": "BENCH", "templateIds": [demo]})
    assert status == 201, course
    for i in range(N):
        status, body, _ = admin.call("POST", "/api/v1/users", {"username": f"s{i}", "password": "student-password-1", "role": "student"})
        assert status == 201, body
        status, body, _ = admin.call("POST", f"/api/v1/courses/{course['id']}/members", {"username": f"s{i}", "role": "student"})
        assert status == 201, body
    started = time.monotonic()
    status, body, _ = admin.call("POST", f"/api/v1/courses/{course['id']}/provision", {"templateId": demo})
    assert status == 202 and body["created"] == N, body
    deadline = time.monotonic() + 600
    while True:
        labs = admin.get(f"/api/v1/courses/{course['id']}/labs?limit=500")["items"]
        if len(labs) == N and all(lab["state"] == "Running" for lab in labs):
            break
        assert time.monotonic() < deadline, [lab["state"] for lab in labs]
        time.sleep(0.5)
    return admin, course["id"], [lab["id"] for lab in labs], time.monotonic() - started


def peak_rss_mb(pid):
    """The process's peak resident set (VmHWM) so far, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def busy_screens(vms, ids):
    """Types a loop into each lab's serial shell that writes the time to its screen (tty0) every second."""
    for lab in ids:
        s = socket.socket(socket.AF_UNIX)
        s.connect(str(socket_dir(vms / lab) / "serial.sock"))
        s.settimeout(1)
        seen, deadline = b"", time.monotonic() + 60
        while b"# " not in seen:
            assert time.monotonic() < deadline, f"no prompt on {lab}: {seen[-200:]!r}"
            s.sendall(b"\r")
            try:
                seen = seen[-64:] + s.recv(4096)
            except socket.timeout:
                pass
        s.sendall(b"while :; do date >/dev/tty0; sleep 1; done &\r")
        time.sleep(0.2)
        s.close()


def overview(c, token, course, ids):
    apis = [c.api(token) for _ in range(BROWSER_CONNECTIONS)]
    free = list(apis)
    lock = threading.Lock()
    latencies, failures, cycles = [], 0, 0

    def thumbnail(lab):
        with lock:
            api = free.pop()
        try:
            t0 = time.perf_counter()
            status, body, _ = api.call("GET", f"/api/v1/labs/{lab}/screenshot")
            return time.perf_counter() - t0, status == 200 and body[:4] == b"\x89PNG"
        finally:
            with lock:
                free.append(api)

    with ThreadPoolExecutor(BROWSER_CONNECTIONS) as pool, Window(c.proc.pid) as w:
        end = time.monotonic() + SECONDS
        while time.monotonic() < end:
            start = time.monotonic()
            status, body, _ = apis[0].call("GET", f"/api/v1/courses/{course}/overview")
            assert status == 200 and len(body["tiles"]) == N, body
            for seconds, ok in pool.map(thumbnail, ids):
                latencies.append(seconds)
                failures += 0 if ok else 1
            cycles += 1
            time.sleep(max(0.0, PERIOD - (time.monotonic() - start)))
    return w, cycles, latencies, failures


def wall(c, token, ids):
    urls = [f"ws://127.0.0.1:{c.port}/api/v1/labs/{lab}/vnc" for lab in ids]
    p = subprocess.Popen(["node", str(Path(__file__).parent / "wall.js"), *urls], stdout=subprocess.PIPE, text=True,
                         env={**os.environ, "HEADER": f"Authorization: Bearer {token}"})
    try:
        assert json.loads(p.stdout.readline()) == {"opened": N}, "the wall did not open"
        with Window(c.proc.pid) as w:
            time.sleep(SECONDS)
        p.send_signal(signal.SIGTERM)
        counts = json.loads(p.stdout.readline())
        p.wait(30)
    finally:
        if p.poll() is None:
            p.kill()
    return w, counts


def main():
    root = Path(__file__).resolve().parent.parent.parent
    work = root / "target" / "bench" / "overview"
    c = Controller(track_dir(work / "controller"), **{"lab.auth.bcrypt-cost": "4", "lab.qemu.image-dir": root / ".cache" / "images",
                                                      "lab.qemu.remove-vms-at-shutdown": "true",
                                                      # the wall's one viewer holds N screens at once
                                                      "lab.streams.max-streams-per-user": str(N + 10)})
    try:
        c.start()
        admin, course, ids, provision_s = setup(c)
        provision_rss = peak_rss_mb(c.proc.pid)
        token = c.token("admin", ADMIN_PASSWORD)
        if BUSY:
            busy_screens(work / "controller" / "vms", ids)
        time.sleep(10)  # the labs' boots settle
        with Window(c.proc.pid) as idle:
            time.sleep(SECONDS)
        ov, cycles, lat, failures = overview(c, token, course, ids)
        wl, counts = wall(c, token, ids)
        end_rss = peak_rss_mb(c.proc.pid)
        for lab in ids:
            admin.call("DELETE", f"/api/v1/labs/{lab}")
        c.stop()
    finally:
        cleanup()
    result = {
        "n": N, "seconds_per_part": SECONDS, "screens": "busy" if BUSY else "idle",
        "provision": {"seconds_to_all_running": provision_s, "controller_peak_rss_mb": provision_rss,
                      "controller_peak_rss_mb_at_end": end_rss},
        "idle": {"controller_cpu_s": idle.cpu, "seconds": idle.seconds, "machine_busy_s": idle.busy},
        "overview": {"cycles": cycles, "controller_cpu_s": ov.cpu, "seconds": ov.seconds, "machine_busy_s": ov.busy,
                     "cpu_per_refresh_s": ov.cpu / cycles, "thumbnails": len(lat), "failed": failures,
                     "thumbnail_p50_ms": median(lat) * 1000, "thumbnail_p99_ms": p99(lat) * 1000},
        "wall": {"controller_cpu_s": wl.cpu, "seconds": wl.seconds, "machine_busy_s": wl.busy, **counts},
    }
    out = root / "target" / "bench" / f"overview-{int(time.time())}.json"
    out.write_text(json.dumps(result, indent=2))
    per5 = lambda w: w.cpu / w.seconds * PERIOD  # noqa: E731
    print(f"N={N}, {SECONDS} s per part, screens {'changing every second' if BUSY else 'still'}")
    print(f"provision (a lab for every student, one request): all {N} Running after {provision_s:.1f} s; "
          f"controller peak RSS {provision_rss:.0f} MB then, {end_rss:.0f} MB at the end")
    print(f"idle (labs running, nobody looking): controller {per5(idle):.3f} CPU-s per 5 s ({idle.cpu / idle.seconds:.1%} of a core); "
          f"machine {idle.busy / idle.seconds:.2f} cores busy")
    print(f"overview, refresh every 5 s: controller {ov.cpu / cycles:.3f} CPU-s per refresh ({ov.cpu / ov.seconds:.1%} of a core), "
          f"{cycles} refreshes; thumbnails p50 {median(lat) * 1000:.0f} ms, p99 {p99(lat) * 1000:.0f} ms ({failures} failed of {len(lat)}); "
          f"machine {ov.busy / ov.seconds:.2f} cores busy")
    print(f"peer, {N} full VNC streams: controller {per5(wl):.3f} CPU-s per 5 s ({wl.cpu / wl.seconds:.1%} of a core), "
          f"{counts['updates']} updates, {counts['bytes'] / 1e6:.1f} MB relayed; machine {wl.busy / wl.seconds:.2f} cores busy")
    print(f"written {out}")


if __name__ == "__main__":
    main()
