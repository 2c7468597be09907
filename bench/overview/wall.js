// The peer of the overview benchmark: a "wall" of full screen streams, as a Guacamole or CrownLabs
// style instructor view holds one live VNC session per student. Opens one websocket per URL given
// (the controller's /api/v1/labs/{id}/vnc), does the RFB 3.8 handshake (security None), asks for
// raw encoding and keeps one incremental FramebufferUpdateRequest outstanding per viewer, as noVNC
// does. Prints {"opened":N} once every viewer has its first full frame, holds them until SIGTERM,
// then prints {"updates":..,"bytes":..} (counted since "opened") and exits.
//   HEADER="Authorization: Bearer x" node wall.js URL...
'use strict';
const WebSocket = require('../streams/node_modules/ws');
const urls = process.argv.slice(2);
const headers = {};
if (process.env.HEADER) {
  const i = process.env.HEADER.indexOf(':');
  headers[process.env.HEADER.slice(0, i).trim()] = process.env.HEADER.slice(i + 1).trim();
}
let ready = 0;
let updates = 0;
let bytes = 0;
const sockets = [];

function viewer(url) {
  const ws = new WebSocket(url, { headers, perMessageDeflate: false, maxPayload: 256 * 1024 * 1024 });
  sockets.push(ws);
  let buf = Buffer.alloc(0);
  let step = 'version';
  let width = 0;
  let height = 0;
  let first = true;
  const request = (incremental) => {
    const m = Buffer.alloc(10);
    m.writeUInt8(3, 0);
    m.writeUInt8(incremental ? 1 : 0, 1);
    m.writeUInt16BE(width, 6);
    m.writeUInt16BE(height, 8);
    ws.send(m);
  };
  const need = (n) => buf.length >= n;
  const take = (n) => { const b = buf.subarray(0, n); buf = buf.subarray(n); return b; };
  const pump = () => {
    for (;;) {
      if (step === 'version') {
        if (!need(12)) return;
        take(12);
        ws.send(Buffer.from('RFB 003.008\n'));
        step = 'security';
      } else if (step === 'security') {
        if (!need(1) || !need(1 + buf[0])) return;
        const types = take(1 + buf[0]).subarray(1);
        if (!types.includes(1)) throw new Error(`no security type None: ${[...types]}`);
        ws.send(Buffer.from([1]));
        step = 'result';
      } else if (step === 'result') {
        if (!need(4)) return;
        if (take(4).readUInt32BE(0) !== 0) throw new Error('security failed');
        ws.send(Buffer.from([1])); // ClientInit: shared
        step = 'init';
      } else if (step === 'init') {
        if (!need(24) || !need(24 + buf.readUInt32BE(20))) return;
        const init = take(24 + buf.readUInt32BE(20));
        width = init.readUInt16BE(0);
        height = init.readUInt16BE(2);
        // SetPixelFormat: 32 bpp true colour, as noVNC asks; SetEncodings: raw only.
        const pf = Buffer.from([0, 0, 0, 0, 32, 24, 0, 1, 0, 255, 0, 255, 0, 255, 16, 8, 0, 0, 0, 0]);
        ws.send(pf);
        ws.send(Buffer.from([2, 0, 0, 1, 0, 0, 0, 0]));
        request(false);
        step = 'message';
      } else if (step === 'message') {
        if (!need(1)) return;
        const type = buf[0];
        if (type === 0) {
          if (!need(4)) return;
          const rects = buf.readUInt16BE(2);
          let off = 4;
          for (let r = 0; r < rects; r++) {
            if (!need(off + 12)) return;
            const w = buf.readUInt16BE(off + 4);
            const h = buf.readUInt16BE(off + 6);
            const enc = buf.readInt32BE(off + 8);
            if (enc !== 0) throw new Error(`unexpected encoding ${enc}`);
            off += 12 + w * h * 4;
            if (!need(off)) return;
          }
          bytes += off;
          take(off);
          updates++;
          if (first) {
            first = false;
            if (++ready === urls.length) { updates = 0; bytes = 0; console.log(JSON.stringify({ opened: ready })); }
          }
          request(true);
        } else if (type === 2) {
          take(1); // bell
        } else if (type === 3) {
          if (!need(8) || !need(8 + buf.readUInt32BE(4))) return;
          take(8 + buf.readUInt32BE(4));
        } else {
          throw new Error(`unexpected server message ${type}`);
        }
      }
    }
  };
  ws.on('message', (m) => { buf = buf.length ? Buffer.concat([buf, m]) : Buffer.from(m); pump(); });
  ws.on('error', (e) => { console.error(`${url}: ${e}`); process.exit(1); });
  ws.on('close', (code, reason) => { if (!done) { console.error(`${url} closed: ${code} ${reason}`); process.exit(1); } });
}

let done = false;
urls.forEach(viewer);
process.on('SIGTERM', () => {
  done = true;
  console.log(JSON.stringify({ updates, bytes }));
  sockets.forEach((s) => s.terminate());
  process.exit(0);
});
