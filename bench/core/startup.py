"""Part 1: controller start time and idle memory, alternating with a bare JDK HTTP hello-world."""
import subprocess
import time
from pathlib import Path

from harness import JAVA, Controller, cpu_seconds, free_port, memory, median, spawn, stop_process, track_dir, wait_http_200

IDLE_SECONDS = 5


def hello_once(classes, log):
    port = free_port()
    t0 = time.perf_counter()
    p = spawn([str(JAVA), "-cp", str(classes), "Hello", str(port)], log)
    ready = wait_http_200(port, "/q/health/ready", p) - t0
    cpu = cpu_seconds(p.pid)
    time.sleep(IDLE_SECONDS)
    rss, pss = memory(p.pid)
    stop_process(p)
    return {"ready_s": ready, "cpu_s": cpu, "rss_mib": rss, "pss_mib": pss}


def controller_once(data):
    c = Controller(data)
    ready = c.start()
    cpu = cpu_seconds(c.proc.pid)
    time.sleep(IDLE_SECONDS)
    rss, pss = memory(c.proc.pid)
    started_in = c.started_in()
    c.stop()
    return {"ready_s": ready, "cpu_s": cpu, "started_in_s": started_in, "rss_mib": rss, "pss_mib": pss}


def run(work, starts):
    classes = track_dir(work / "hello")
    subprocess.run([str(JAVA.parent / "javac"), "-d", str(classes), str(Path(__file__).with_name("Hello.java"))], check=True)
    data = track_dir(work / "start-data")
    # The first start on an empty data directory also migrates the schema and hashes the admin password.
    first = controller_once(data)
    print(f"  first start (empty data dir): ready {first['ready_s']:.3f} s", flush=True)
    controller, hello = [], []
    for i in range(starts):
        controller.append(controller_once(data))
        hello.append(hello_once(classes, work / "hello.log"))
        print(f"  start {i + 1}/{starts}: controller ready {controller[-1]['ready_s']:.3f} s "
              f"(Quarkus {controller[-1]['started_in_s']} s, CPU {controller[-1]['cpu_s']:.2f} s) RSS {controller[-1]['rss_mib']:.0f} MiB; "
              f"hello ready {hello[-1]['ready_s']:.3f} s (CPU {hello[-1]['cpu_s']:.2f} s) RSS {hello[-1]['rss_mib']:.0f} MiB", flush=True)
    summary = lambda runs: {**{k: median([r[k] for r in runs]) for k in runs[0]},
                            "ready_min_s": min(r["ready_s"] for r in runs), "ready_max_s": max(r["ready_s"] for r in runs)}
    return {"first_start": first, "controller": summary(controller), "hello": summary(hello),
            "runs": {"controller": controller, "hello": hello}}
