"""Part 3: creating a lab (POST until its QEMU process exists) and starting one until its serial
shell prompt, each alternated with the same QEMU command line started bare from this script."""
import os
import shutil
import threading
import time

from harness import (ADMIN_PASSWORD, Controller, cmdline, cpu_seconds, kill_qemu, median, socket_dir, spawn, stop_process,
                     track_dir, track_qemu, wait_for_prompt)


SETTLE_SECONDS = 0.5


class ProcWatch:
    """Notes when each new process with `-name lab-...` in its argv first appears in /proc.

    A new pid is re-read until it matches: right after fork it still shows its parent's argv."""

    def __init__(self):
        self.old = self.pids()
        self.first_seen = {}  # QEMU -name -> (time, pid)

    @staticmethod
    def pids():
        return {int(p) for p in os.listdir("/proc") if p.isdigit()}

    def wait(self, name, timeout=30):
        """Polls until a process named name() appears; name is a callable, as the lab id is known late."""
        needle = b"\0-name\0lab-"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            now = time.perf_counter()
            for pid in self.pids() - self.old:
                argv = cmdline(pid)
                if needle in argv:
                    found = "lab-" + argv.split(needle, 1)[1].split(b"\0", 1)[0].decode()
                    self.first_seen.setdefault(found, (now, pid))
                    self.old.add(pid)
            wanted = name()
            if wanted in self.first_seen:
                return self.first_seen[wanted]
            time.sleep(0.0005)
        raise RuntimeError(f"no process named {name()} within {timeout} s")


def bare_argv(template, images, vm_dir, name):
    """The argv QemuCommand.forLab builds for a console+VNC template without disk or cloud-init."""
    img = template["image"]
    return ["qemu-system-x86_64", "-nodefaults", "-no-user-config", "-display", "none", "-machine", "q35,accel=tcg",
            "-smp", str(max(1, template["cpus"])), "-m", f"{max(64, template['memoryMb'])}M",
            "-name", name, "-pidfile", str(vm_dir / "qemu.pid"),
            "-qmp", f"unix:{vm_dir}/qmp.sock,server=on,wait=off",
            "-chardev", f"socket,id=console,path={vm_dir}/serial.sock,server=on,wait=off", "-serial", "chardev:console",
            "-device", "VGA", "-vnc", f"unix:{vm_dir}/vnc.sock", "-nic", "user,model=virtio-net-pci",
            "-device", "pvpanic", "-action", "panic=pause",
            "-kernel", str(images / img["kernel"]), "-initrd", str(images / img["initrd"]), "-append", img["cmdline"]]


class Bench:
    def __init__(self, work, image):
        self.data = track_dir(work / "labs")
        self.images = self.data / "images"
        shutil.copytree(image, self.images / "demo")
        self.bare_root = track_dir(work / "bare")
        self.controller = Controller(self.data, **{"lab.qemu.remove-vms-at-shutdown": "true"})
        self.controller.start()
        self.api = self.controller.api(self.controller.token("admin", ADMIN_PASSWORD))
        self.template = next(t for t in self.api.get("/api/v1/templates")["items"] if t["name"] == "demo")
        assert self.template["console"] and not self.template["image"].get("disk") and not self.template.get("cloudInit")
        self.bare_count = 0
        # Issue 11: the demo template is "isolated" (the default); a copy in "internet" mode (root only).
        self.internet = None
        if os.geteuid() == 0:
            t = self.template
            body = {k: t[k] for k in ("description", "image", "cpus", "memoryMb", "console", "vnc", "maxLifetimeMinutes")}
            body.update(name="demo-internet", offered=True, network="internet")
            status, created, _ = self.api.call("POST", "/api/v1/templates", body)
            assert status == 201, (status, created)
            self.internet = created

    # --- through the controller ---------------------------------------------------------------
    def create(self, template=None):
        """POST in a thread while this one watches /proc; returns (lab id, pid, t0, POST answered, QEMU seen)."""
        watch, answer = ProcWatch(), {}
        template = template or self.template

        def post():
            status, body, _ = self.api.call("POST", "/api/v1/labs", {"templateId": template["id"]})
            answer.update(status=status, body=body, t=time.perf_counter())

        t0 = time.perf_counter()
        poster = threading.Thread(target=post)
        poster.start()

        def created_name():
            if "status" not in answer:
                return None
            assert answer["status"] == 201, answer
            return f"lab-{answer['body']['id']}"

        seen, pid = watch.wait(created_name)
        poster.join(30)
        lab_id = answer["body"]["id"]
        track_qemu(pid, f"lab-{lab_id}")
        return lab_id, pid, t0, answer["t"], seen

    def delete(self, lab_id, pid):
        status, _, _ = self.api.call("DELETE", f"/api/v1/labs/{lab_id}")
        assert status == 202, status
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.api.call("GET", f"/api/v1/labs/{lab_id}")[0] == 404 and not cmdline(pid):
                return
            time.sleep(0.05)
        kill_qemu(pid, f"lab-{lab_id}")
        raise RuntimeError(f"lab {lab_id} not gone 30 s after DELETE")

    def controller_launch(self):
        lab_id, pid, t0, answered, seen = self.create()
        self.delete(lab_id, pid)
        return {"post_ms": (answered - t0) * 1000, "launch_ms": (seen - t0) * 1000}

    def jvm_cpu(self):
        return cpu_seconds(self.controller.proc.pid)

    def controller_boot(self, template=None):
        cpu = self.jvm_cpu()
        lab_id, pid, t0, _, _ = self.create(template)
        prompt = wait_for_prompt(socket_dir(self.data / "vms" / lab_id) / "serial.sock")
        cpu, qemu_cpu = self.jvm_cpu() - cpu, cpu_seconds(pid)
        self.delete(lab_id, pid)
        return (prompt - t0) * 1000, cpu * 1000, qemu_cpu * 1000

    # --- the same command line, bare ------------------------------------------------------------
    def bare_start(self):
        self.bare_count += 1
        name = f"lab-bare{os.getpid()}x{self.bare_count}"
        vm_dir = self.bare_root / str(self.bare_count)
        vm_dir.mkdir(parents=True)
        watch = ProcWatch()
        t0 = time.perf_counter()
        p = spawn(["/usr/bin/setsid"] + bare_argv(self.template, self.images, vm_dir, name), vm_dir / "stderr.log")
        track_qemu(p.pid, name)
        return p, vm_dir, t0, watch, name

    def bare_launch(self):
        p, vm_dir, t0, watch, name = self.bare_start()
        seen, _ = watch.wait(lambda: name)
        stop_process(p, 10)
        return {"launch_ms": (seen - t0) * 1000}

    def bare_boot(self):
        cpu = self.jvm_cpu()
        p, vm_dir, t0, _, _ = self.bare_start()
        prompt = wait_for_prompt(vm_dir / "serial.sock")
        cpu, qemu_cpu = self.jvm_cpu() - cpu, cpu_seconds(p.pid)
        stop_process(p, 10)
        return (prompt - t0) * 1000, cpu * 1000, qemu_cpu * 1000

    def close(self):
        self.controller.stop()


def run(work, image, creates, boots):
    b = Bench(work, image)
    try:
        b.controller_launch(), b.bare_launch()  # warm-up: first lab through a fresh controller, not counted
        launches, bare_launches = [], []
        for i in range(creates):
            launches.append(b.controller_launch())
            bare_launches.append(b.bare_launch())
            print(f"  create {i + 1}/{creates}: POST answered {launches[-1]['post_ms']:.1f} ms, QEMU launched "
                  f"{launches[-1]['launch_ms']:.1f} ms (bare {bare_launches[-1]['launch_ms']:.1f} ms)", flush=True)
        # CPU time beside each boot: the controller JVM's (what it takes from the guest on 2 cores)
        # and QEMU's own until the prompt (close to the wall time: a TCG guest is CPU-bound).
        boot, bare = {"ms": [], "jvm_cpu_ms": [], "qemu_cpu_ms": []}, {"ms": [], "jvm_cpu_ms": [], "qemu_cpu_ms": []}
        internet = {"ms": [], "jvm_cpu_ms": [], "qemu_cpu_ms": []}
        # NOTE: the first boot of a pair tends to be the slower one, so pairs alternate their order
        # (controller first, then bare first, ...) and a short pause lets the last VM's teardown finish.
        for i in range(boots):
            pair = ((boot, b.controller_boot), (bare, b.bare_boot))
            if b.internet:
                pair += ((internet, lambda: b.controller_boot(b.internet)),)
            for runs, one in pair if i % 2 == 0 else reversed(pair):
                time.sleep(SETTLE_SECONDS)
                for key, value in zip(runs, one()):
                    runs[key].append(value)
            print(f"  boot {i + 1}/{boots}: controller {boot['ms'][-1]:.0f} ms (JVM CPU {boot['jvm_cpu_ms'][-1]:.0f} ms, "
                  f"QEMU CPU {boot['qemu_cpu_ms'][-1]:.0f} ms), bare QEMU {bare['ms'][-1]:.0f} ms (idle JVM CPU "
                  f"{bare['jvm_cpu_ms'][-1]:.0f} ms, QEMU CPU {bare['qemu_cpu_ms'][-1]:.0f} ms)"
                  + (f", internet lab {internet['ms'][-1]:.0f} ms (QEMU CPU {internet['qemu_cpu_ms'][-1]:.0f} ms)"
                     if internet["ms"] else ""), flush=True)
    finally:
        b.close()
    return {
        "create": {"post_ms": median([r["post_ms"] for r in launches]),
                   "launch_ms": median([r["launch_ms"] for r in launches]),
                   "bare_launch_ms": median([r["launch_ms"] for r in bare_launches]), "n": creates},
        "boot": {"controller_ms": median(boot["ms"]), "bare_ms": median(bare["ms"]),
                 "overhead_ms": median(boot["ms"]) - median(bare["ms"]), "n": boots,
                 "internet_ms": median(internet["ms"]) if internet["ms"] else None,
                 "internet_qemu_cpu_ms": median(internet["qemu_cpu_ms"]) if internet["ms"] else None,
                 **{f"{who}_{k}": median(runs[k]) for who, runs in (("controller", boot), ("bare", bare))
                    for k in ("jvm_cpu_ms", "qemu_cpu_ms")}},
        "runs": {"create": launches, "bare_create": bare_launches, "boot": boot, "bare_boot": bare,
                 "internet_boot": internet},
    }
