// The byte source every proxy carries in the stream benchmark. Modes, by port:
//   tcp flood: writes 64 KiB chunks as fast as the socket takes them (websockify, the bridge)
//   tcp echo:  echoes every byte back (latency)
//   tcp idle:  holds connections open (memory per idle session)
//   ws flood / ws echo / ws idle: the same over websocket binary frames (direct, configurable-http-proxy)
'use strict';
const net = require('net');
const { WebSocketServer } = require('ws');
const [tcpFlood, tcpEcho, tcpIdle, wsFlood, wsEcho, wsIdle] = process.argv.slice(2).map(Number);
const chunk = Buffer.alloc(64 * 1024, 0x61);

net.createServer((s) => {
  s.on('error', () => {});
  const pump = () => { while (s.write(chunk)) { /* until the socket buffer is full */ } };
  s.on('drain', pump);
  pump();
}).listen(tcpFlood, '127.0.0.1');
net.createServer((s) => { s.on('error', () => {}); s.pipe(s); }).listen(tcpEcho, '127.0.0.1');
net.createServer((s) => { s.on('error', () => {}); }).listen(tcpIdle, '127.0.0.1');

new WebSocketServer({ host: '127.0.0.1', port: wsFlood, perMessageDeflate: false }).on('connection', (ws) => {
  ws.on('error', () => {});
  // A client that left can leave the socket destroyed while readyState is still OPEN (the close
  // event comes a tick later) and writableLength at 0: an unbounded loop then held the whole
  // source, so every later run through configurable-http-proxy or direct never opened.
  const pump = () => {
    let n = 0;
    while (ws.readyState === 1 && !ws._socket.destroyed && ws._socket.writableLength < 4 * 1024 * 1024 && n++ < 256) {
      ws.send(chunk, { binary: true });
    }
    if (ws.readyState !== 1 || ws._socket.destroyed) return;
    if (ws._socket.writableLength >= 4 * 1024 * 1024) ws._socket.once('drain', pump);
    else setImmediate(pump);
  };
  pump();
});
new WebSocketServer({ host: '127.0.0.1', port: wsEcho, perMessageDeflate: false }).on('connection', (ws) => {
  ws.on('error', () => {});
  ws.on('message', (m) => ws.send(m, { binary: true }));
});
new WebSocketServer({ host: '127.0.0.1', port: wsIdle, perMessageDeflate: false }).on('connection', (ws) => {
  ws.on('error', () => {});
});
console.log('source ready');
