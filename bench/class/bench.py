"""The class burst (issue 9): 30 students start a lab at the same moment on this machine.

Measured from the first POST: when all 30 labs show Running, and when every lab's serial console
answers a typed command (read on each lab's serial socket, the same way for both sides); beside
30 bare qemu-system-x86_64 boots of the same command line started by this script with the same
launch concurrency as the controller's boot limit (lab.qemu.max-booting, 2), in the same run.
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

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "core"))
from harness import ADMIN_PASSWORD, Controller, cleanup, kill_qemu, median, socket_dir, spawn, track_dir, track_qemu  # noqa: E402
from labs import bare_argv  # noqa: E402

N = int(os.environ.get("BENCH_CLASS", "30"))
PASSWORD = "student-password-1"


def answers(sock_path, i, timeout=300):
    """Types `echo ok-$((i))` into a serial console until `ok-<i>` comes back; returns that time."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            s = socket.socket(socket.AF_UNIX)
            s.connect(str(sock_path))
            break
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError(f"no serial socket {sock_path}")
            time.sleep(0.05)
    s.settimeout(0.5)
    seen = b""
    typed = b"echo ok-$((%d))\r" % i  # the terminal's echo of the typed line is not the answer
    expected = b"ok-%d" % i
    while expected not in seen:
        if time.monotonic() > deadline:
            raise RuntimeError(f"no answer on {sock_path}; got {seen[-200:]!r}")
        try:
            s.sendall(typed)
        except (socket.timeout, TimeoutError):
            pass  # QEMU reads the socket only once the guest's UART takes input
        end = time.monotonic() + 0.5
        while time.monotonic() < end:
            try:
                chunk = s.recv(65536)
            except socket.timeout:
                break
            if not chunk:
                break
            seen += chunk
    now = time.perf_counter()
    s.close()
    return now


def controller_burst(work, images):
    c = Controller(track_dir(work / "controller"), **{"lab.auth.bcrypt-cost": "4", "lab.qemu.image-dir": images,
                                                       "lab.qemu.remove-vms-at-shutdown": "true"})
    c.start()
    admin = c.api(c.token("admin", ADMIN_PASSWORD))
    demo = next(t["id"] for t in admin.get("/api/v1/templates")["items"] if t["name"] == "demo")
    tokens = []
    for i in range(N):
        status, body, _ = admin.call("POST", "/api/v1/users", {"username": f"s{i}", "password": PASSWORD, "role": "student"})
        assert status == 201, body
        tokens.append(c.token(f"s{i}", PASSWORD))
    apis = [c.api(t) for t in tokens]
    go = threading.Barrier(N + 1)

    def create(api):
        go.wait()
        status, body, _ = api.call("POST", "/api/v1/labs", {"templateId": demo})
        assert status == 201, body
        return body["id"]

    with ThreadPoolExecutor(N) as pool:
        futures = [pool.submit(create, a) for a in apis]
        go.wait()
        t0 = time.perf_counter()
        ids = [f.result() for f in futures]
    failed = set()
    running_at = None
    while running_at is None:
        labs = admin.get("/api/v1/labs?limit=500")["items"]
        failed |= {l["id"] for l in labs if l["state"] == "Failed"}
        if all(l["state"] == "Running" for l in labs):
            running_at = time.perf_counter()
        time.sleep(0.1)
    vms = work / "controller" / "vms"
    with ThreadPoolExecutor(N) as pool:
        done = list(pool.map(lambda p: answers(socket_dir(vms / p[1]) / "serial.sock", p[0]), enumerate(ids)))
    for i, lab in enumerate(ids):
        apis[i].call("DELETE", f"/api/v1/labs/{lab}")
    c.stop()
    return {"running_s": running_at - t0, "all_answer_s": max(done) - t0, "median_answer_s": median([d - t0 for d in done]),
            "failed": len(failed)}


def bare_burst(work, images):
    template = {"image": {"kernel": "demo/vmlinuz", "initrd": "demo/initrd.img",
                          "cmdline": "console=tty0 console=ttyS0 quiet no_timer_check"}, "cpus": 1, "memoryMb": 256}
    dirs = []
    for i in range(N):
        d = work / "bare" / f"vm{i:02d}"
        d.mkdir(parents=True)
        dirs.append(d)
    procs = []
    limit = threading.Semaphore(2)  # the controller's lab.qemu.max-booting: a launch holds it until QMP answers

    def launch(i):
        with limit:
            p = spawn(bare_argv(template, images, dirs[i], f"lab-bare{i}"), dirs[i] / "stderr.log")
            track_qemu(p.pid, f"lab-bare{i}")
            procs.append(p)
            deadline = time.monotonic() + 30
            while not (dirs[i] / "qmp.sock").exists() and time.monotonic() < deadline:
                time.sleep(0.005)
        return answers(dirs[i] / "serial.sock", i)

    t0 = time.perf_counter()
    with ThreadPoolExecutor(N) as pool:
        done = list(pool.map(launch, range(N)))
    for i, p in enumerate(procs):
        kill_qemu(p.pid, f"lab-bare{i}")
    return {"all_answer_s": max(done) - t0, "median_answer_s": median([d - t0 for d in done])}


def main():
    root = Path(__file__).resolve().parent.parent.parent
    work = root / "target" / "bench" / "class"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    images = root / ".cache" / "images"
    bare, ctl = None, None
    try:
        # BENCH_ORDER=controller,bare runs the controller first: the machine's load drifts, so runs
        # of both orders say how much the order matters.
        for part in os.environ.get("BENCH_ORDER", "bare,controller").split(","):
            if part == "bare":
                bare = bare_burst(work, images)
                print(f"bare QEMU: all {N} answer after {bare['all_answer_s']:.1f} s (median {bare['median_answer_s']:.1f} s)",
                      flush=True)
            else:
                ctl = controller_burst(work, images)
                print(f"controller: all {N} Running after {ctl['running_s']:.1f} s; all answer after "
                      f"{ctl['all_answer_s']:.1f} s (median {ctl['median_answer_s']:.1f} s); labs ever Failed: {ctl['failed']}",
                      flush=True)
    finally:
        cleanup()
    out = root / "target" / "bench" / f"class-{int(time.time())}.json"
    out.write_text(json.dumps({"n": N, "bare": bare, "controller": ctl}, indent=2))
    print(f"written {out}")


if __name__ == "__main__":
    main()
