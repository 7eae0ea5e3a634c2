// A minimal Node upstream: reads the body, answers a small JSON, counts what reached it.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { serveStats } from './ipc';

let requests = 0;
let bodyBytes = 0;
let connections = 0;
const server = http.createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
  requests++;
  req.on('data', (c: Buffer) => { bodyBytes += c.length; });
  req.on('end', () => {
    const body = `{"ok":true,"n":${requests}}`;
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
});
// New connections show whether a proxy reuses its keep-alive pool or keeps reconnecting.
server.on('connection', () => { connections++; });
server.headersTimeout = 0;
server.requestTimeout = 0;
serveStats(() => ({ requests, bodyBytes, connections }));
server.listen(0, '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
