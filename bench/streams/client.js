// The one client of the stream benchmark, the same for every proxy:
//   node client.js throughput URL SECONDS          -> {"bytes":N,"seconds":S}
//   node client.js latency URL COUNT               -> {"median_us":..,"p99_us":..}
//   node client.js idle URL COUNT HOLD_SECONDS     -> opens COUNT sessions, holds them, prints when all are open
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
} else {
  console.error('usage: client.js throughput|latency|idle URL ...');
  process.exit(2);
}
