"""The core benchmark (issue 3): runs the three parts in one process and prints the figures table.

usage: bench.py WORK_DIR IMAGE_DIR [--parts 1,2,3]
Counts come from the environment: BENCH_STARTS (5), BENCH_LABS (10000), BENCH_REQUESTS (2000),
BENCH_WARMUP (300), BENCH_CREATES (10), BENCH_BOOTS (6).
"""
import argparse
import datetime
import json
import os
import platform
import subprocess
from pathlib import Path

import labs
import listing
import startup

env = lambda name, default: int(os.environ.get(name, default))


def machine():
    cpu = next(l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name"))
    mem = int(next(l.split()[1] for l in open("/proc/meminfo") if l.startswith("MemTotal"))) // 1024
    first_line = lambda argv: subprocess.run(argv, capture_output=True, text=True).stdout.splitlines()[0]
    java = subprocess.run([str(startup.JAVA), "-version"], capture_output=True, text=True).stderr.splitlines()[1]
    return {"nproc": os.cpu_count(), "cpu": cpu, "memory_mib": mem, "kernel": platform.release(), "java": java,
            "qemu": first_line(["qemu-system-x86_64", "--version"]), "python": platform.python_version(),
            "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")}


def verdict(ok):
    return "met" if ok else "**missed**"


def table(r):
    lines = ["| Figure | Lab Controller | Peer (same run) | Target | |", "|---|---|---|---|---|"]
    if "startup" in r:
        c, h = r["startup"]["controller"], r["startup"]["hello"]
        lines += [
            f"| Start → /q/health/ready 200, median (min–max) of {len(r['startup']['runs']['controller'])} | "
            f"{c['ready_s']:.2f} s ({c['ready_min_s']:.2f}–{c['ready_max_s']:.2f}); Quarkus \"started in\" "
            f"{c['started_in_s']:.2f} s; CPU used {c['cpu_s']:.2f} s | JDK HttpServer hello: {h['ready_s']:.2f} s "
            f"({h['ready_min_s']:.2f}–{h['ready_max_s']:.2f}); CPU {h['cpu_s']:.2f} s | < 3 s | {verdict(c['ready_s'] < 3)} |",
            f"| Idle RSS / PSS after {startup.IDLE_SECONDS} s (median) | {c['rss_mib']:.0f} / {c['pss_mib']:.0f} MiB | "
            f"{h['rss_mib']:.0f} / {h['pss_mib']:.0f} MiB | RSS < 250 MB | {verdict(c['rss_mib'] * 1.048576 < 250)} |",
            f"| First start, empty data dir (schema + admin) | {r['startup']['first_start']['ready_s']:.2f} s | – | – | |"]
    if "list" in r:
        for who in ("admin", "student"):
            for db, peer in (("sqlite", "postgresql"), ("postgresql", "sqlite")):
                m, p = r["list"][db][f"{who}_list"], r["list"][peer][f"{who}_list"]
                me = r["list"][db][f"{who}_me"]
                lines.append(
                    f"| GET /labs?limit=50, 10k labs, {who}, {db} (n={m['n']}) | median {m['median_ms']:.2f} ms, "
                    f"p99 {m['p99_ms']:.2f} ms | {peer}: {p['median_ms']:.2f} / {p['p99_ms']:.2f} ms; "
                    f"GET /me on {db}: {me['median_ms']:.2f} / {me['p99_ms']:.2f} ms | p99 < 50 ms | "
                    f"{verdict(m['p99_ms'] < 50)} |")
        s, p = r["list"]["sqlite"]["reconcile_pass"], r["list"]["postgresql"]["reconcile_pass"]
        lines.append(f"| Resync over 10k stopped labs, mean of the resyncs in {listing.IDLE_SECONDS} s idle (every 2 s here) | "
                     f"sqlite: {s['mean_ms']:.0f} ms ({s['count']:.0f} resyncs; at the default 30 s: "
                     f"{s['ms_per_s_at_default_30s']:.2f} ms per second) | postgresql: {p['mean_ms']:.0f} ms "
                     f"({p['count']:.0f} resyncs; {p['ms_per_s_at_default_30s']:.2f} ms per second) | near zero | |")
    if "labs" in r:
        cr, b, runs = r["labs"]["create"], r["labs"]["boot"], r["labs"]["runs"]
        noise = (max(runs["bare_boot"]["ms"]) - min(runs["bare_boot"]["ms"])) / 2
        span = lambda xs: f"{min(xs):.0f}–{max(xs):.0f}"
        lines += [
            f"| POST /labs → QEMU process in /proc (median of {cr['n']}) | {cr['launch_ms']:.1f} ms "
            f"(POST answered {cr['post_ms']:.1f} ms) | bare spawn of the same argv: {cr['bare_launch_ms']:.1f} ms | – | |",
            f"| Lab start → serial `# ` prompt (median of {b['n']}, alternated) | {b['controller_ms']:.0f} ms "
            f"({span(runs['boot']['ms'])}); QEMU CPU {b['controller_qemu_cpu_ms']:.0f} ms, controller JVM CPU "
            f"{b['controller_jvm_cpu_ms']:.0f} ms | bare QEMU: {b['bare_ms']:.0f} ms ({span(runs['bare_boot']['ms'])}); "
            f"QEMU CPU {b['bare_qemu_cpu_ms']:.0f} ms, idle JVM CPU {b['bare_jvm_cpu_ms']:.0f} ms | – | |",
            f"| Controller overhead on boot (difference of medians) | {b['overhead_ms']:.0f} ms | bare runs spread "
            f"±{noise:.0f} ms | < 30 ms | {verdict(b['overhead_ms'] < 30)}"
            f"{' (not resolvable: spread > 30 ms; see next row)' if noise > 30 else ''} |",
            f"| Controller's own share of a launch (launch − bare launch, medians) | "
            f"{cr['launch_ms'] - cr['bare_launch_ms']:.1f} ms | – | < 30 ms | {verdict(cr['launch_ms'] - cr['bare_launch_ms'] < 30)} |"]
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("work", type=Path)
    ap.add_argument("image", type=Path)
    ap.add_argument("--parts", default="1,2,3")
    args = ap.parse_args()
    parts = set(args.parts.split(","))
    args.work.mkdir(parents=True, exist_ok=True)
    results = {"machine": machine()}
    print(f"machine: {results['machine']}", flush=True)
    if "1" in parts:
        print("part 1: start time and idle memory", flush=True)
        results["startup"] = startup.run(args.work, env("BENCH_STARTS", 5))
    if "2" in parts:
        print("part 2: list latency with stored labs", flush=True)
        results["list"] = {db: listing.run(args.work, db, env("BENCH_LABS", 10000), 100, env("BENCH_REQUESTS", 2000),
                                           env("BENCH_WARMUP", 300)) for db in ("sqlite", "postgresql")}
    if "3" in parts:
        print("part 3: creating and booting labs", flush=True)
        results["labs"] = labs.run(args.work, args.image, env("BENCH_CREATES", 10), env("BENCH_BOOTS", 6))
    out = args.work.parent / f"core-{datetime.datetime.now():%Y%m%d-%H%M%S}.json"
    out.write_text(json.dumps(results, indent=1))
    print(f"\nresults: {out}\n\n{table(results)}")


if __name__ == "__main__":
    main()
