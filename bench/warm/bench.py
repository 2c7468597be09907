"""Warm starts (issue 14): click-to-console of the demo template restored from its warm state,
beside a cold boot of the same template and a bare qemu-system-x86_64 boot, in one run; a class of
N labs started at once, warm and cold; idle memory (PSS) of N labs, warm and cold.

Two controllers run side by side on their own data directories: one with warm start on (the
default), one with lab.qemu.warm.enabled=false. Click-to-console is measured from just before the
POST /api/v1/labs until the lab's console websocket (the same one the browser opens) returns the
answer of a typed `echo $((6*7+i))`; the websocket is retried until the lab accepts it (it does once
the lab is Running). The bare peer is measured from the spawn of QEMU with the same command line
until its serial socket answers the same command. The three alternate, one start of each per round.
Standard library only; everything listens on 127.0.0.1.

    BENCH_STARTS (20)   click-to-console rounds
    BENCH_CLASS (30)    labs started at once, warm then cold
    BENCH_IDLE (20)     idle labs whose PSS is summed, warm then cold; BENCH_IDLE_WAIT (60) seconds idle
    BENCH_PARTS (click,class,memory)
"""
import json
import os
import shutil
import socket
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "core"))
sys.path.insert(0, str(HERE))
from harness import ADMIN_PASSWORD, Controller, cleanup, kill_qemu, median, p99, spawn, track_dir, track_qemu  # noqa: E402
from labs import bare_argv  # noqa: E402
from ws import WebSocket  # noqa: E402

STARTS = int(os.environ.get("BENCH_STARTS", "20"))
CLASS = int(os.environ.get("BENCH_CLASS", "30"))
IDLE = int(os.environ.get("BENCH_IDLE", "20"))
IDLE_WAIT = int(os.environ.get("BENCH_IDLE_WAIT", "60"))
PARTS = set(os.environ.get("BENCH_PARTS", "click,class,memory").split(","))
PASSWORD = "student-password-1"


class Side:
    """One controller with its students and the demo template."""

    def __init__(self, name, work, images, warm):
        self.name = name
        self.data = track_dir(work / name)
        self.ctl = Controller(self.data, **{"lab.auth.bcrypt-cost": "4", "lab.qemu.image-dir": images,
                                             "lab.qemu.remove-vms-at-shutdown": "true", "lab.labs.max-per-user": "1000",
                                             "lab.qemu.warm.enabled": "true" if warm else "false"})
        self.ctl.start()
        self.admin = self.ctl.api(self.ctl.token("admin", ADMIN_PASSWORD))
        self.demo = next(t["id"] for t in self.admin.get("/api/v1/templates")["items"] if t["name"] == "demo")
        status, body, _ = self.admin.call("POST", "/api/v1/users", {"username": "student", "password": PASSWORD, "role": "student"})
        assert status == 201, body
        self.token = self.ctl.token("student", PASSWORD)

    def create(self):
        status, body, _ = self.ctl.api(self.token).call("POST", "/api/v1/labs", {"templateId": self.demo})
        assert status == 201, body
        return body["id"]

    def delete(self, lab):
        self.ctl.api(self.token).call("DELETE", f"/api/v1/labs/{lab}")

    def lab(self, lab):
        return self.ctl.api(self.token).get(f"/api/v1/labs/{lab}")

    def answer(self, lab, i, timeout=300):
        """Opens the lab's console websocket once the lab accepts it and types until the answer shows."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                ws = WebSocket(self.ctl.port, f"/api/v1/labs/{lab}/console", self.token)
                break
            except (ConnectionError, OSError):
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{self.name}: console of {lab} never opened")
                time.sleep(0.01)
        return typed(ws.send, ws.recv, ws.sock, i, deadline, ws.close)

    def warm_entries(self):
        d = self.data / "warm"
        return [p for p in d.iterdir() if p.is_dir() and not p.name.startswith(".")] if d.exists() else []

    def qemu_pid(self, lab):
        return int((self.data / "vms" / lab / "qemu.pid").read_text().strip())


def typed(send, recv, sock, i, deadline, close):
    """Types `echo $((6*7+i))` every 0.5 s until its answer (a line of its own) arrives; returns that time."""
    expected = b"\n%d\r" % (42 + i)
    seen = b""
    sock.settimeout(0.5)
    try:
        while expected not in seen:
            if time.monotonic() > deadline:
                raise RuntimeError(f"no answer; got {seen[-200:]!r}")
            send(b"echo $((6*7+%d))\r" % i)
            end = time.monotonic() + 0.5
            while time.monotonic() < end and expected not in seen:
                try:
                    seen += recv()
                except (socket.timeout, TimeoutError):
                    break
        return time.perf_counter()
    finally:
        close()


def bare_click(work, images, i):
    d = work / "bare" / f"vm{i:03d}"
    d.mkdir(parents=True)
    template = {"image": {"kernel": "demo/vmlinuz", "initrd": "demo/initrd.img",
                          "cmdline": "console=tty0 console=ttyS0 quiet no_timer_check"}, "cpus": 1, "memoryMb": 256}
    t0 = time.perf_counter()
    p = spawn(bare_argv(template, images, d, f"lab-bare{i}"), d / "stderr.log")
    track_qemu(p.pid, f"lab-bare{i}")
    deadline = time.monotonic() + 300
    while True:
        try:
            s = socket.socket(socket.AF_UNIX)
            s.connect(str(d / "serial.sock"))
            break
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError("no serial socket")
            time.sleep(0.005)
    done = typed(s.sendall, lambda: s.recv(65536), s, i, deadline, s.close)
    kill_qemu(p.pid, f"lab-bare{i}")
    return done - t0


def click(side, i):
    t0 = time.perf_counter()
    lab = side.create()
    done = side.answer(lab, i)
    note = side.lab(lab).get("stateReason")
    side.delete(lab)
    return done - t0, note


def prime(side):
    """Starts one lab so the template's warm-up runs, waits until its state is saved, deletes the lab."""
    lab = side.create()
    side.answer(lab, 0)
    deadline = time.monotonic() + 300
    while not side.warm_entries():
        if time.monotonic() > deadline:
            raise RuntimeError("no warm state saved within 300 s")
        time.sleep(0.2)
    side.delete(lab)


def burst(side, n):
    """n labs POSTed at the same moment; seconds until every console answered (and the median)."""
    go = threading.Barrier(n + 1)

    def one(i):
        go.wait()
        t0 = time.perf_counter()
        lab = side.create()
        return lab, side.answer(lab, i) - t0

    with ThreadPoolExecutor(n) as pool:
        futures = [pool.submit(one, i) for i in range(n)]
        go.wait()
        t0 = time.perf_counter()
        results = [f.result() for f in futures]
    last = time.perf_counter() - t0
    for lab, _ in results:
        side.delete(lab)
    return {"all_answer_s": last, "median_answer_s": median([r[1] for r in results])}


def idle_pss(side, n):
    """n labs started, answering, idle for IDLE_WAIT s: their QEMUs' PSS summed, in MiB."""
    labs = [side.create() for _ in range(n)]
    for i, lab in enumerate(labs):
        side.answer(lab, i)
    time.sleep(IDLE_WAIT)
    pss = 0
    for lab in labs:
        text = Path(f"/proc/{side.qemu_pid(lab)}/smaps_rollup").read_text()
        pss += int(next(l for l in text.splitlines() if l.startswith("Pss:")).split()[1])
    for lab in labs:
        side.delete(lab)
    return {"labs": n, "pss_mib_total": pss / 1024, "pss_mib_per_lab": pss / 1024 / n}


def summary(xs):
    return {"n": len(xs), "p50_s": median(xs), "p99_s": p99(xs), "min_s": min(xs), "max_s": max(xs)}


def main():
    root = HERE.parent.parent
    work = root / "target" / "bench" / "warm"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    images = root / ".cache" / "images"
    out = {"starts": STARTS, "class": CLASS, "idle": IDLE}
    try:
        warm = Side("warm", work, images, True)
        cold = Side("cold", work, images, False)
        prime(warm)
        if "click" in PARTS:
            times = {"warm": [], "cold": [], "bare": []}
            notes = set()
            for i in range(STARTS):
                t, note = click(warm, i)
                times["warm"].append(t)
                notes.add(note)
                times["cold"].append(click(cold, i)[0])
                times["bare"].append(bare_click(work, images, i))
            out["click"] = {k: summary(v) for k, v in times.items()}
            out["click"]["warm_notes"] = sorted(n or "" for n in notes)
            for k, v in out["click"].items():
                if k != "warm_notes":
                    print(f"click-to-console {k}: p50 {v['p50_s']:.2f} s, p99 {v['p99_s']:.2f} s "
                          f"(min {v['min_s']:.2f}, max {v['max_s']:.2f}, n={v['n']})", flush=True)
            print(f"warm labs said: {out['click']['warm_notes']}", flush=True)
        if "class" in PARTS:
            out["class_warm"] = burst(warm, CLASS)
            out["class_cold"] = burst(cold, CLASS)
            for k in ("class_warm", "class_cold"):
                print(f"{CLASS} at once, {k[6:]}: all answer after {out[k]['all_answer_s']:.1f} s "
                      f"(median {out[k]['median_answer_s']:.1f} s)", flush=True)
        if "memory" in PARTS:
            out["idle_warm"] = idle_pss(warm, IDLE)
            out["idle_cold"] = idle_pss(cold, IDLE)
            for k in ("idle_warm", "idle_cold"):
                print(f"{IDLE} idle labs, {k[5:]}: PSS {out[k]['pss_mib_per_lab']:.0f} MiB per lab "
                      f"({out[k]['pss_mib_total']:.0f} MiB in all)", flush=True)
        warm.ctl.stop()
        cold.ctl.stop()
    finally:
        cleanup()
    path = root / "target" / "bench" / f"warm-{int(time.time())}.json"
    path.write_text(json.dumps(out, indent=2))
    print(f"written {path}")


if __name__ == "__main__":
    main()
