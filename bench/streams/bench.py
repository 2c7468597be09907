#!/usr/bin/env python3
"""Stream benchmark driver: see run.sh. Starts the byte source and every proxy, runs the same
node client through each, reads the proxies' CPU time and PSS from /proc, prints a table."""
import json, os, signal, socket, subprocess, sys, time, urllib.request

SECONDS = int(sys.argv[1]) if len(sys.argv) > 1 else 5
ROUNDS, IDLE, CONSOLE_SESSIONS, FANOUT = 5, 1000, 10000, 30
# PARTS picks what runs (the proxies' throughput and latency want a quiet machine; memory less so).
PARTS = set(os.environ.get('PARTS', 'throughput,latency,idle,console,fanout').split(','))
# A p99 of 20,000 round trips rests on 200 of them; five rounds per peer, alternated.
LATENCY_ROUNDS, LATENCY_TRIPS = 5, 20000
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
NODE_BIN = os.path.join(HERE, 'node_modules', '.bin')
TICK = os.sysconf('SC_CLK_TCK')
procs = []


def port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def start(cmd, ready=None, **kw):
    cmd = [str(c) for c in cmd]
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True, **kw)
    procs.append(p)
    if ready:
        for line in p.stdout:
            if ready in line:
                break
    # Keep draining its output so a chatty process never blocks on a full pipe.
    import threading
    threading.Thread(target=lambda: [None for _ in p.stdout], daemon=True).start()
    return p


def wait_port(p, timeout=60):
    end = time.time() + timeout
    while time.time() < end:
        try:
            socket.create_connection(('127.0.0.1', p), 1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f'port {p} never opened')


def group(pid):
    """Processes of the proxy's session (websockify forks one per connection)."""
    out = []
    for d in os.listdir('/proc'):
        if d.isdigit():
            try:
                with open(f'/proc/{d}/stat') as f:
                    fields = f.read().rsplit(')', 1)[1].split()
                if int(fields[3]) == pid or int(d) == pid:  # pgid
                    out.append((int(d), fields))
            except OSError:
                pass
    return out


def jit_ticks(pid):
    """CPU ticks of the JVM's JIT compiler threads: warm-up lasts until they stop growing."""
    total = 0
    for task in os.listdir(f'/proc/{pid}/task'):
        try:
            with open(f'/proc/{pid}/task/{task}/stat') as f:
                name, rest = f.read().split('(', 1)[1].rsplit(')', 1)
            if 'CompilerThre' in name:
                total += sum(int(x) for x in rest.split()[11:13])
        except OSError:
            pass
    return total


def cpu(pid):
    return sum(sum(int(x) for x in f[11:15]) for _, f in group(pid)) / TICK


def own_cpu(pid):
    """CPU seconds of one process only (a controller's QEMU children are in its process group)."""
    with open(f'/proc/{pid}/stat') as f:
        return sum(int(x) for x in f.read().rsplit(')', 1)[1].split()[11:13]) / TICK


def pss_kb(pid):
    total = 0
    for p, _ in group(pid):
        try:
            with open(f'/proc/{p}/smaps_rollup') as f:
                total += sum(int(l.split()[1]) for l in f if l.startswith('Pss:'))
        except OSError:
            pass
    return total


def client(*args, env=None):
    out = subprocess.run(['node', os.path.join(HERE, 'client.js'), *map(str, args)], capture_output=True, text=True,
                         timeout=600, env={**os.environ, **(env or {})})
    if out.returncode != 0 or not out.stdout.strip():
        raise RuntimeError(f'client {args}: {out.returncode} {out.stdout} {out.stderr}')
    return json.loads(out.stdout.strip().splitlines()[0])


def start_chp(p, m):
    i = 'fei'.index(m)
    return start([os.path.join(NODE_BIN, 'configurable-http-proxy'), '--ip', '127.0.0.1', '--port', str(p['chp_' + m]),
                  '--api-ip', '127.0.0.1', '--api-port', str(p[f'api{i + 1}']), '--default-target', f"http://127.0.0.1:{p['w' + m]}",
                  '--log-level', 'error'])


def median(xs):
    xs = sorted(xs)
    return xs[len(xs) // 2]


def main():
    p = {k: port() for k in ['tf', 'te', 'ti', 'wf', 'we', 'wi', 'bridge', 'chp_f', 'chp_e', 'chp_i', 'api1', 'api2', 'api3',
                              'wsk_f', 'wsk_e', 'wsk_i']}
    src = start(['node', os.path.join(HERE, 'source.js'), p['tf'], p['te'], p['ti'], p['wf'], p['we'], p['wi']], 'source ready')
    cp = open(os.path.join(ROOT, 'target', 'bench-classpath.txt')).read().strip()
    java = os.path.join(os.environ['JAVA_HOME'], 'bin', 'java')
    # The controller's JVM options as scripts/run.sh sets them (GC_OPTS='' measures the JVM default, G1).
    gc = os.environ.get('GC_OPTS', '-XX:+UseSerialGC').split()
    bridge = start([java, *gc, '-cp', f"{ROOT}/target/classes:{ROOT}/target/test-classes:{cp}", 'org.labcontroller.access.BridgeBench',
                    str(p['bridge']), f"/flood={p['tf']}", f"/echo={p['te']}", f"/idle={p['ti']}"], 'bridge ready')
    wsk = {m: start(['websockify', f"127.0.0.1:{p['wsk_' + m]}", f"127.0.0.1:{p['t' + m]}"]) for m in 'fei'}
    chp = {m: start_chp(p, m) for m in 'fei'}
    for k in ['wsk_f', 'wsk_e', 'wsk_i', 'chp_f', 'chp_e', 'chp_i']:
        wait_port(p[k])
    peers = {
        'controller bridge': ({'f': f"ws://127.0.0.1:{p['bridge']}/flood", 'e': f"ws://127.0.0.1:{p['bridge']}/echo",
                               'i': f"ws://127.0.0.1:{p['bridge']}/idle"}, {m: bridge.pid for m in 'fei'}),
        'websockify': ({m: f"ws://127.0.0.1:{p['wsk_' + m]}/" for m in 'fei'}, {m: wsk[m].pid for m in 'fei'}),
        'configurable-http-proxy': ({m: f"ws://127.0.0.1:{p['chp_' + m]}/" for m in 'fei'}, {m: chp[m].pid for m in 'fei'}),
        'direct (no proxy)': ({m: f"ws://127.0.0.1:{p['w' + m]}/" for m in 'fei'}, None),
    }
    results = {name: {'gbps': [], 'per_core': []} for name in peers}
    def restart(name):
        # configurable-http-proxy now and then stops answering upgrades after a flood client
        # left (an uncaught ECONNRESET in its log): a fresh one takes its place.
        if name == 'configurable-http-proxy':
            os.killpg(chp['f'].pid, signal.SIGTERM)
            chp['f'] = start_chp(p, 'f')
            wait_port(p['chp_f'])
            peers[name][1]['f'] = chp['f'].pid
    if 'throughput' in PARTS:
        throughput(peers, bridge.pid, results, restart)
    if 'latency' in PARTS:
        latency(peers, results)
    if 'idle' in PARTS:
        idle(peers, p, java, gc, cp, results)
    if 'console' in PARTS or 'fanout' in PARTS:
        results.update(real_controller(java))
    print_table(results)
    os.makedirs(os.path.join(ROOT, 'target', 'bench'), exist_ok=True)
    with open(os.path.join(ROOT, 'target', 'bench', 'streams.json'), 'w') as f:
        json.dump(results, f, indent=2)


def throughput(peers, bridge_pid, results, restart):
    # Warm-up, not counted: 5 s per peer, and the bridge until its JIT compiler threads stop
    # working (they ran for 20-30 s here; counted in the rounds they made the bridge look 25 % dearer).
    for name, (urls, pids) in peers.items():
        client('throughput', urls['f'], 5)
    # At least 20 s, and until two 4 s runs in a row leave the compiler threads idle (one quiet run
    # alone ended a warm-up at 10 s, and the JIT then took 0.6 s of the rounds).
    warm, start, quiet = jit_ticks(bridge_pid), time.time(), 0
    while time.time() - start < 120:
        client('throughput', peers['controller bridge'][0]['f'], 4)
        now = jit_ticks(bridge_pid)
        quiet = quiet + 1 if now - warm <= 2 else 0
        warm = now
        if quiet >= 2 and time.time() - start >= 20:
            break
    results['controller bridge']['warmup_s'] = round(time.time() - start)
    jit_before = jit_ticks(bridge_pid)
    for _ in range(ROUNDS):  # alternate the peers within each round
        for name, (urls, pids) in peers.items():
            before = cpu(pids['f']) if pids else 0
            try:
                r = client('throughput', urls['f'], SECONDS)
            except RuntimeError as e:  # seen here now and then: a peer's upgrade never answered
                print(f'{name}: {e}; once more', file=sys.stderr)
                results[name]['retried'] = results[name].get('retried', 0) + 1
                restart(name)
                time.sleep(2)
                before = cpu(pids['f']) if pids else 0
                r = client('throughput', urls['f'], SECONDS)
            time.sleep(1)
            used = cpu(pids['f']) - before if pids else None
            results[name]['gbps'].append(r['bytes'] / r['seconds'] / 1e9)
            if used:
                results[name]['per_core'].append(r['bytes'] / used / 1e9)
    results['controller bridge']['jit_s_in_rounds'] = (jit_ticks(bridge_pid) - jit_before) / TICK
    results['ratio_per_round'] = [b / w for b, w in zip(results['controller bridge']['per_core'], results['websockify']['per_core'])]


def latency(peers, results):
    # A warm-up run per peer (the JIT compiles the echo path; not counted), then rounds
    # that alternate the peers; the table gives the median over the rounds of each figure.
    for name, (urls, pids) in peers.items():
        client('latency', urls['e'], 5000)
    rounds = {name: [] for name in peers}
    for _ in range(LATENCY_ROUNDS):
        for name, (urls, pids) in peers.items():
            rounds[name].append(client('latency', urls['e'], LATENCY_TRIPS))
    for name in peers:
        results[name]['latency'] = {k: median([r[k] for r in rounds[name]]) for k in ('median_us', 'p99_us')}
        results[name]['latency_rounds'] = rounds[name]


def idle(peers, p, java, gc, cp, results):
    # A fresh bridge process for its idle figure: the throughput runs above grew its heap, and a GC
    # between the readings would shrink it and hide the sessions' cost.
    fresh_port = port()
    fresh = start([java, *gc, '-cp', f"{ROOT}/target/classes:{ROOT}/target/test-classes:{cp}",
                   'org.labcontroller.access.BridgeBench', str(fresh_port), f"/idle={p['ti']}"], 'bridge ready')
    warm = subprocess.Popen(['node', os.path.join(HERE, 'client.js'), 'idle', f'ws://127.0.0.1:{fresh_port}/idle', '200', '2'],
                            stdout=subprocess.PIPE, text=True)
    warm.wait()
    peers['controller bridge'][0]['i'] = f'ws://127.0.0.1:{fresh_port}/idle'
    peers['controller bridge'][1]['i'] = fresh.pid
    for name, (urls, pids) in peers.items():
        if not pids:
            continue
        if name == 'controller bridge':
            time.sleep(2)
            subprocess.run(['jcmd', str(pids['i']), 'GC.run'], capture_output=True)
            time.sleep(1)
        base = pss_kb(pids['i'])
        hold = subprocess.Popen(['node', os.path.join(HERE, 'client.js'), 'idle', urls['i'], str(IDLE), '15'], stdout=subprocess.PIPE, text=True)
        opened = json.loads(hold.stdout.readline())
        time.sleep(3)
        if name == 'controller bridge':
            subprocess.run(['jcmd', str(pids['i']), 'GC.run'], capture_output=True)
            time.sleep(1)
        after = pss_kb(pids['i'])
        results[name]['idle'] = {**opened, 'kb_per_session': round((after - base) / max(1, opened['opened']), 1)}
        hold.kill()
        hold.wait()
        time.sleep(2)


def real_controller(java):
    """A real controller (packaged jar, demo lab on QEMU): 30 viewers on one console beside 1, then
    10,000 idle console sessions on that lab."""
    data = os.path.join(ROOT, 'target', 'bench', f'console-{os.getpid()}')
    os.makedirs(data, exist_ok=True)
    http = port()
    management = port()
    ctl = start([java, *os.environ.get('GC_OPTS', '-XX:+UseSerialGC').split(), f'-Dquarkus.http.port={http}',
                 f'-Dquarkus.management.port={management}', f'-Dlab.data-dir={data}', f'-Dlab.qemu.image-dir={ROOT}/.cache/images',
                 '-Dlab.auth.admin-password=bench-password', '-Dlab.qemu.remove-vms-at-shutdown=true',
                 f'-Dlab.streams.max-streams-per-user={CONSOLE_SESSIONS + 100}', '-jar',
                 f'{ROOT}/target/quarkus-app/quarkus-run.jar'], 'started in')
    base = f'http://127.0.0.1:{http}'

    def call(method, path, body=None, token=None, cookie=None):
        req = urllib.request.Request(base + path, method=method, data=json.dumps(body).encode() if body is not None else None,
                                     headers={'Content-Type': 'application/json', **({'Authorization': f'Bearer {token}'} if token else {}),
                                              **({'Cookie': cookie} if cookie else {})})
        with urllib.request.urlopen(req) as r:
            return r.headers, (json.loads(r.read() or b'null'))
    try:
        h, _ = call('POST', '/api/v1/auth/login', {'username': 'admin', 'password': 'bench-password'})
        cookie = h['Set-Cookie'].split(';')[0]
        _, tok = call('POST', '/api/v1/me/tokens', {'name': 'bench'}, cookie=cookie)
        token = tok['token']
        _, templates = call('GET', '/api/v1/templates', token=token)
        demo = next(t['id'] for t in templates['items'] if t['name'] == 'demo')
        _, lab = call('POST', '/api/v1/labs', {'templateId': demo}, token=token)
        for _ in range(300):
            if call('GET', f"/api/v1/labs/{lab['id']}", token=token)[1]['state'] == 'Running':
                break
            time.sleep(0.2)
        url = f"ws://127.0.0.1:{http}/api/v1/labs/{lab['id']}/console"
        auth = {'HEADER': f'Authorization: Bearer {token}'}
        out = {}
        for _ in range(60):  # until the guest's shell answers
            try:
                client('fanout', url, 1, env={**auth, 'CMD': 'echo READY-$((6*7))', 'MARKER': 'READY-42'})
                break
            except (RuntimeError, subprocess.TimeoutExpired):
                time.sleep(1)
        if 'fanout' in PARTS:
            out['fanout'] = fanout(ctl.pid, url, auth)
        if 'console' in PARTS:
            out['console_10k'] = idle_console(ctl.pid, url, auth, management)
        return out
    finally:
        os.killpg(ctl.pid, signal.SIGTERM)
        ctl.wait(30)


def fanout(pid, url, auth):
    """One guest command's output to 1 viewer, then to 30, alternated: time until every viewer saw
    all of it, bytes each got, and the controller's CPU per delivered MB."""
    cmd = "yes 'lab-controller fan-out 0123456789abcdef' | head -n 20000; echo FANOUT-$((6*7))"
    runs = {1: [], FANOUT: []}
    for _ in range(3):
        for n in (1, FANOUT):
            before = own_cpu(pid)
            r = client('fanout', url, n, env={**auth, 'CMD': cmd, 'MARKER': 'FANOUT-42'})
            r['controller_cpu_s'] = own_cpu(pid) - before
            r['cpu_ms_per_delivered_mb'] = round(1000 * r['controller_cpu_s'] / max(1, r['bytes_min'] * n / 1e6), 2)
            runs[n].append(r)
    return runs


def idle_console(pid, url, auth, management):
    """10,000 idle console sessions on one lab: the controller's PSS before and after."""
    time.sleep(3)
    subprocess.run(['jcmd', str(pid), 'GC.run'], capture_output=True)
    before = pss_kb(pid)
    hold = subprocess.Popen(['node', os.path.join(HERE, 'client.js'), 'idle', url, str(CONSOLE_SESSIONS), '20'], stdout=subprocess.PIPE,
                            text=True, env={**os.environ, **auth})
    opened = json.loads(hold.stdout.readline())
    time.sleep(5)
    subprocess.run(['jcmd', str(pid), 'GC.run'], capture_output=True)
    time.sleep(1)
    after = pss_kb(pid)
    with urllib.request.urlopen(f'http://127.0.0.1:{management}/q/metrics') as r:
        gauge = [l for l in r.read().decode().splitlines() if l.startswith('lab_stream_sessions{stream="console"}')]
    hold.kill()
    hold.wait()
    return {**opened, 'controller_pss_mb_before': round(before / 1024), 'controller_pss_mb_after': round(after / 1024),
            'kb_per_session': round((after - before) / max(1, opened['opened']), 1), 'gauge': gauge[0] if gauge else None}


def print_table(r):
    spread = lambda xs: f"{min(xs):.2f}–{max(xs):.2f}" if xs else '–'
    print('\n| proxy | throughput GB/s, median (range) of %d | GB per proxy CPU-second, median (range) | 1-byte RTT median / p99 µs (median of %d) | idle sessions opened | KB per idle session |' % (ROUNDS, LATENCY_ROUNDS))
    print('|---|---|---|---|---|---|')
    for name, v in r.items():
        if not isinstance(v, dict) or 'gbps' not in v:
            continue
        lat = v.get('latency')
        idle = v.get('idle', {})
        tp = f"{median(v['gbps']):.2f} ({spread(v['gbps'])})" if v['gbps'] else '–'
        pc = f"{median(v['per_core']):.2f} ({spread(v['per_core'])})" if v['per_core'] else '–'
        rtt = f"{lat['median_us']:.0f} / {lat['p99_us']:.0f}" if lat else '–'
        print(f"| {name} | {tp} | {pc} | {rtt} | {idle.get('opened', '–')} | {idle.get('kb_per_session', '–')} |")
    if r.get('ratio_per_round'):
        b = r['controller bridge']
        print(f"\nper core, bridge ÷ websockify, each round: {', '.join(f'{x:.2f}' for x in r['ratio_per_round'])} "
              f"(median {median(r['ratio_per_round']):.2f}); bridge warm-up {b['warmup_s']} s, JIT CPU during the rounds {b['jit_s_in_rounds']:.2f} s")
    if 'fanout' in r:
        for n, runs in r['fanout'].items():
            print(f"console fan-out, {n} viewer(s): " + '; '.join(
                f"all saw it in {x['ms_last']:.0f} ms (first {x['ms_first']:.0f}), {x['bytes_min']}–{x['bytes_max']} bytes each in {x['frames']} frames, "
                f"controller {x['controller_cpu_s']:.2f} CPU-s ({x['cpu_ms_per_delivered_mb']} ms per delivered MB)" for x in runs))
    c = r.get('console_10k')
    if c:
        print(f"\n10,000 idle console sessions on one lab: opened {c['opened']}, failed {c['failed']}; controller PSS "
              f"{c['controller_pss_mb_before']} MB -> {c['controller_pss_mb_after']} MB ({c['kb_per_session']} KB per session); {c['gauge']}")


if __name__ == '__main__':
    try:
        main()
    finally:
        for pr in procs:
            try:
                os.killpg(pr.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
