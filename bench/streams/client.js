// The one client of the stream benchmark, the same for every proxy:
//   node client.js throughput URL SECONDS          -> {"bytes":N,"seconds":S}
//   node client.js latency URL COUNT               -> {"median_us":..,"p99_us":..}
//   node client.js idle URL COUNT HOLD_SECONDS     -> opens COUNT sessions, holds them, prints when all are open
//   CMD=.. MARKER=.. node client.js fanout URL COUNT -> COUNT viewers on one console, times until each saw MARKER
// An optional HEADER env var (e.g. "Authorization: Bearer x") is sent with every upgrade.
'use strict';
const WebSocket = require('ws');
const [mode, url, a, b] = process.argv.slice(2);
const headers = {};
if (process.env.HEADER) {
  const i = process.env.HEADER.indexOf(':');
  headers[process.env.HEADER.slice(0, i).trim()] = process.env.HEADER.slice(i + 1).trim();
}
const open = () => new WebSocket(url, { headers, perMessageDeflate: false, maxPayload: 256 * 1024 * 1024 });

if (mode === 'throughput') {
  const seconds = Number(a);
  const ws = open();
  let bytes = 0;
  let start = 0;
  ws.on('open', () => { start = process.hrtime.bigint(); });
  ws.on('message', (m) => { bytes += m.length; });
  ws.on('error', (e) => { console.error(String(e)); process.exit(1); });
  setTimeout(() => {
    if (start === 0) { console.error(`never opened: ${url}`); process.exit(3); }
    const s = Number(process.hrtime.bigint() - start) / 1e9;
    console.log(JSON.stringify({ bytes, seconds: s }));
    ws.terminate();
    process.exit(0);
  }, seconds * 1000 + 1000);
} else if (mode === 'latency') {
  const count = Number(a);
  const ws = open();
  const times = [];
  let sent = 0n;
  const one = Buffer.from('x');
  const next = () => { sent = process.hrtime.bigint(); ws.send(one, { binary: true }); };
  ws.on('open', next);
  ws.on('message', () => {
    times.push(Number(process.hrtime.bigint() - sent) / 1000);
    if (times.length < count + 200) { next(); return; }
    const t = times.slice(200).sort((x, y) => x - y);
    console.log(JSON.stringify({ median_us: t[Math.floor(t.length / 2)], p99_us: t[Math.floor(t.length * 0.99)] }));
    ws.terminate();
    process.exit(0);
  });
  ws.on('error', (e) => { console.error(String(e)); process.exit(1); });
} else if (mode === 'idle') {
  const count = Number(a);
  const hold = Number(b);
  let opened = 0;
  let failed = 0;
  const sockets = [];
  const openOne = () => {
    const ws = open();
    sockets.push(ws);
    ws.on('open', () => { opened++; done(); });
    ws.on('message', () => {});
    ws.on('error', () => { failed++; done(); });
  };
  const done = () => {
    if (opened + failed === count) {
      console.log(JSON.stringify({ opened, failed }));
      setTimeout(() => { sockets.forEach((s) => s.terminate()); process.exit(0); }, hold * 1000);
    }
  };
  // Open in batches so no proxy is refused for a burst rather than for the number of sessions.
  let i = 0;
  const batch = () => { for (let k = 0; k < 100 && i < count; k++, i++) openOne(); if (i < count) setTimeout(batch, 50); };
  batch();
} else if (mode === 'fanout') {
  // COUNT viewers on one console; when all are open the first types CMD; each viewer counts the
  // bytes it gets until the marker the command prints last (its echo does not contain it).
  const count = Number(a);
  const cmd = process.env.CMD;
  const marker = process.env.MARKER;
  const viewers = [];
  let opened = 0;
  let sent = 0n;
  const done = [];
  for (let k = 0; k < count; k++) {
    const v = { ws: open(), bytes: 0, tail: '' };
    viewers.push(v);
    v.ws.on('open', () => {
      if (++opened === count) setTimeout(() => { sent = process.hrtime.bigint(); viewers[0].ws.send(Buffer.from(cmd + '\r')); }, 500);
    });
    v.ws.on('message', (m) => {
      if (sent === 0n || v.end) return;
      v.bytes += m.length;
      v.frames = (v.frames || 0) + 1;
      v.tail = (v.tail + m.toString('latin1')).slice(-200);
      if (v.tail.includes(marker)) {
        v.end = Number(process.hrtime.bigint() - sent) / 1e6;
        done.push(v);
        if (done.length === count) {
          const t = viewers.map((x) => x.end).sort((x, y) => x - y);
          const bytes = viewers.map((x) => x.bytes).sort((x, y) => x - y);
          console.log(JSON.stringify({ viewers: count, ms_first: t[0], ms_median: t[Math.floor(count / 2)], ms_last: t[count - 1],
            bytes_min: bytes[0], bytes_max: bytes[count - 1], frames: viewers[0].frames }));
          viewers.forEach((x) => x.ws.terminate());
          process.exit(0);
        }
      }
    });
    v.ws.on('error', (e) => { console.error(String(e)); process.exit(1); });
  }
} else {
  console.error('usage: client.js throughput|latency|idle URL ...');
  process.exit(2);
}
