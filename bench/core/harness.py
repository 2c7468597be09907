"""Shared pieces of the core benchmark: the controller process, an HTTP client, statistics and
cleanup. Python standard library only; everything listens on 127.0.0.1."""
import atexit
import hashlib
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
JAR = ROOT / "target/quarkus-app/quarkus-run.jar"
JAVA = Path(os.environ.get("JAVA_HOME", "/usr/lib/jvm/temurin-25-jdk-amd64")) / "bin/java"
ADMIN_PASSWORD = "bench-admin-password"
PG = {"url": "jdbc:postgresql://localhost:5432/lab_bench", "user": "lab", "password": "lab", "db": "lab_bench"}

# Everything started or created here is undone at exit, even after an error (NOTE: by PID only).
_processes = []   # subprocess.Popen objects we started
_qemu_pids = {}   # pid -> marker that must still be in its cmdline before we kill it
_dirs = []


def track_dir(path):
    _dirs.append(Path(path))
    return Path(path)


def track_qemu(pid, marker):
    _qemu_pids[pid] = marker


def cmdline(pid):
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def kill_qemu(pid, marker):
    """SIGKILLs pid only while it still is the QEMU we launched (its cmdline holds marker)."""
    if marker.encode() in cmdline(pid):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    _qemu_pids.pop(pid, None)


def stop_process(p, timeout=30):
    """SIGTERM, then SIGKILL after timeout; returns seconds until it exited."""
    t0 = time.perf_counter()
    if p.poll() is None:
        p.terminate()
        try:
            p.wait(timeout)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
    return time.perf_counter() - t0


@atexit.register
def cleanup():
    for p in _processes:
        stop_process(p)
    for pid, marker in list(_qemu_pids.items()):
        kill_qemu(pid, marker)
    for d in _dirs:
        shutil.rmtree(d, ignore_errors=True)


def spawn(argv, log, **kw):
    p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=open(log, "wb"), stderr=subprocess.STDOUT, **kw)
    _processes.append(p)
    return p


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http_200(port, path, proc, timeout=60):
    """Polls GET path on a fresh connection every 5 ms until it answers 200; returns the time."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"process exited with {proc.returncode} before {path} answered")
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            c.request("GET", path)
            r = c.getresponse()
            r.read()
            c.close()
            if r.status == 200:
                return time.perf_counter()
        except OSError:
            pass
        time.sleep(0.005)
    raise RuntimeError(f"{path} on port {port} not 200 within {timeout} s")


def memory(pid):
    """(VmRSS, Pss) of pid in MiB."""
    rss = re.search(r"VmRSS:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text()).group(1)
    pss = re.search(r"Pss:\s+(\d+) kB", Path(f"/proc/{pid}/smaps_rollup").read_text()).group(1)
    return int(rss) / 1024, int(pss) / 1024


def cpu_seconds(pid):
    """User + system CPU time pid has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Controller:
    """One controller process on a data directory, SQLite or PostgreSQL."""

    def __init__(self, data_dir, database="sqlite", **props):
        self.data_dir = Path(data_dir)
        self.database = database
        self.props = props
        self.proc = None

    def start(self):
        """Starts it and waits for readiness; returns seconds from process start to ready."""
        self.port = free_port()
        self.management_port = free_port()  # health and metrics live on the management interface
        props = {"lab.data-dir": self.data_dir, "quarkus.http.host": "127.0.0.1", "quarkus.http.port": self.port,
                 "quarkus.management.host": "127.0.0.1", "quarkus.management.port": self.management_port,
                 "lab.auth.admin-password": ADMIN_PASSWORD, "lab.auth.cookie-secure": "false", **self.props}
        if self.database == "postgresql":
            props.update({"lab.database.kind": "postgresql", "lab.database.url": PG["url"],
                          "lab.database.username": PG["user"], "lab.database.password": PG["password"]})
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.log = self.data_dir / f"controller-{int(time.time() * 1000)}.log"
        argv = [str(JAVA)] + [f"-D{k}={v}" for k, v in props.items()] + ["-jar", str(JAR)]
        t0 = time.perf_counter()
        self.proc = spawn(argv, self.log, start_new_session=True)
        return wait_http_200(self.management_port, "/q/health/ready", self.proc) - t0

    def started_in(self):
        """Quarkus's own 'started in X.XXXs' figure from the log, in seconds."""
        m = re.search(r"started in (\d+\.\d+)s", self.log.read_text(errors="replace"))
        return float(m.group(1)) if m else None

    def stop(self):
        stop_process(self.proc)
        _processes.remove(self.proc)
        self.proc = None

    def api(self, token=None):
        return Api(self.port, token)

    def management(self):
        """A client of the management port: /q/health, /q/metrics."""
        return Api(self.management_port)

    def token(self, username, password):
        """Logs in and creates an API token for username."""
        api = self.api()
        status, _, headers = api.call("POST", "/api/v1/auth/login", {"username": username, "password": password})
        assert status == 204, f"login of {username}: {status}"
        cookie = re.search(r"lab_session=([^;]+)", headers.get("Set-Cookie", "")).group(1)
        api.headers["Cookie"] = f"lab_session={cookie}"
        status, body, _ = api.call("POST", "/api/v1/me/tokens", {"name": "bench"})
        assert status == 201, f"token of {username}: {status} {body}"
        return body["token"]


class Api:
    """A keep-alive JSON client of one controller."""

    def __init__(self, port, token=None):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def call(self, method, path, body=None):
        headers = dict(self.headers)
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        self.conn.request(method, path, body=data, headers=headers)
        r = self.conn.getresponse()
        raw = r.read()
        return r.status, json.loads(raw) if raw and "json" in r.headers.get("Content-Type", "") else raw, r.headers

    def get(self, path):
        return self.call("GET", path)[1]


def uuid7(millis):
    """A UUIDv7 string for millis, as the app's Ids.newId() makes: ids sort by creation time."""
    rand = int.from_bytes(os.urandom(10), "big")
    msb = (millis << 16) | 0x7000 | (rand >> 68 & 0xFFF)
    lsb = (rand & 0x3FFFFFFFFFFFFFFF) | 0x8000000000000000
    return str(uuid.UUID(int=(msb << 64) | lsb))


def socket_dir(lab_dir):
    """Where the QEMU runtime puts a lab's sockets (mirrors VmDirectory.socketDirFor)."""
    lab_dir = Path(os.path.abspath(lab_dir))
    if len(str(lab_dir / "serial.sock").encode()) <= 107:
        return lab_dir
    return Path("/tmp") / ("lab-qemu-" + hashlib.sha256(str(lab_dir).encode()).hexdigest()[:16])


def wait_for_prompt(sock_path, timeout=60):
    """Connects to a serial unix socket as soon as it exists, sends CR, returns the time '# ' arrives."""
    deadline = time.monotonic() + timeout
    s = socket.socket(socket.AF_UNIX)
    while True:
        try:
            s.connect(str(sock_path))
            break
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError(f"no serial socket {sock_path}")
            time.sleep(0.001)
    s.sendall(b"\r")
    s.settimeout(1)
    seen = b""
    while b"# " not in seen:
        if time.monotonic() > deadline:
            raise RuntimeError(f"no prompt on {sock_path}; got {seen[-200:]!r}")
        try:
            chunk = s.recv(4096)
        except socket.timeout:
            continue
        if not chunk:
            raise RuntimeError(f"serial socket closed; got {seen[-200:]!r}")
        seen = seen[-64:] + chunk
    t = time.perf_counter()
    s.close()
    return t


def median(xs):
    xs = sorted(xs)
    n = len(xs)
    return xs[n // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2


def p99(xs):
    """Nearest-rank 99th percentile."""
    xs = sorted(xs)
    return xs[max(0, -(-99 * len(xs) // 100) - 1)]
