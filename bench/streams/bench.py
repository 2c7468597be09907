#!/usr/bin/env python3
"""Stream benchmark driver: see run.sh. Starts the byte source and every proxy, runs the same
node client through each, reads the proxies' CPU time and PSS from /proc, prints a table."""
import json, os, signal, socket, subprocess, sys, time, urllib.request

SECONDS = int(sys.argv[1]) if len(sys.argv) > 1 else 5
ROUNDS, IDLE, CONSOLE_SESSIONS = 3, 1000, 10000
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


def cpu(pid):
    return sum(sum(int(x) for x in f[11:15]) for _, f in group(pid)) / TICK


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
    chp = {m: start([os.path.join(NODE_BIN, 'configurable-http-proxy'), '--ip', '127.0.0.1', '--port', str(p['chp_' + m]),
                     '--api-ip', '127.0.0.1', '--api-port', str(p[f'api{i + 1}']), '--default-target', f"http://127.0.0.1:{p['w' + m]}",
                     '--log-level', 'error']) for i, m in enumerate('fei')}
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
    for name, (urls, pids) in peers.items():  # 5 s warm-up (JIT compilation, connection pools), not counted
        client('throughput', urls['f'], 5)
    for _ in range(ROUNDS):  # alternate the peers within each round
        for name, (urls, pids) in peers.items():
            before = cpu(pids['f']) if pids else 0
            r = client('throughput', urls['f'], SECONDS)
            time.sleep(1)
            used = cpu(pids['f']) - before if pids else None
            results[name]['gbps'].append(r['bytes'] / r['seconds'] / 1e9)
            if used:
                results[name]['per_core'].append(r['bytes'] / used / 1e9)
    # Latency: a warm-up run per peer (the JIT compiles the echo path; not counted), then rounds
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
    results['console_10k'] = console_sessions(java)
    print_table(results)
    os.makedirs(os.path.join(ROOT, 'target', 'bench'), exist_ok=True)
    with open(os.path.join(ROOT, 'target', 'bench', 'streams.json'), 'w') as f:
        json.dump(results, f, indent=2)


def console_sessions(java):
    """10,000 idle console sessions on one demo lab of a real controller."""
    data = os.path.join(ROOT, 'target', 'bench', f'console-{os.getpid()}')
    os.makedirs(data, exist_ok=True)
    http = port()
    management = port()
    ctl = start([java, *os.environ.get('GC_OPTS', '-XX:+UseSerialGC').split(), f'-Dquarkus.http.port={http}',
                 f'-Dquarkus.management.port={management}', f'-Dlab.data-dir={data}', f'-Dlab.qemu.image-dir={ROOT}/.cache/images',
                 '-Dlab.auth.admin-password=bench-password', '-Dlab.qemu.remove-vms-at-shutdown=true', '-jar',
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
        time.sleep(3)
        subprocess.run(['jcmd', str(ctl.pid), 'GC.run'], capture_output=True)
        before = pss_kb(ctl.pid)
        url = f"ws://127.0.0.1:{http}/api/v1/labs/{lab['id']}/console"
        hold = subprocess.Popen(['node', os.path.join(HERE, 'client.js'), 'idle', url, str(CONSOLE_SESSIONS), '20'], stdout=subprocess.PIPE,
                                text=True, env={**os.environ, 'HEADER': f'Authorization: Bearer {token}'})
        opened = json.loads(hold.stdout.readline())
        time.sleep(5)
        subprocess.run(['jcmd', str(ctl.pid), 'GC.run'], capture_output=True)
        time.sleep(1)
        after = pss_kb(ctl.pid)
        with urllib.request.urlopen(f'http://127.0.0.1:{management}/q/metrics') as r:
            gauge = [l for l in r.read().decode().splitlines() if l.startswith('lab_stream_sessions{stream="console"}')]
        hold.kill()
        hold.wait()
        return {**opened, 'controller_pss_mb_before': round(before / 1024), 'controller_pss_mb_after': round(after / 1024),
                'kb_per_session': round((after - before) / max(1, opened['opened']), 1), 'gauge': gauge[0] if gauge else None}
    finally:
        os.killpg(ctl.pid, signal.SIGTERM)
        ctl.wait(30)


def print_table(r):
    print('\n| proxy | throughput GB/s (median of %d) | GB per proxy CPU-second | 1-byte RTT median / p99 µs (median of %d) | idle sessions opened | KB per idle session |' % (ROUNDS, LATENCY_ROUNDS))
    print('|---|---|---|---|---|---|')
    for name, v in r.items():
        if name == 'console_10k':
            continue
        lat = v['latency']
        idle = v.get('idle', {})
        print(f"| {name} | {median(v['gbps']):.2f} | {median(v['per_core']):.2f} | " if v['per_core'] else f"| {name} | {median(v['gbps']):.2f} | – | ",
              end='')
        print(f"{lat['median_us']:.0f} / {lat['p99_us']:.0f} | {idle.get('opened', '–')} | {idle.get('kb_per_session', '–')} |")
    c = r['console_10k']
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
