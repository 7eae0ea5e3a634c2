// The floor for our library: a bare http-proxy pass-through with a keep-alive agent, nothing else.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import httpProxy from 'http-proxy';
import { arg, serveStats } from './ipc';

const upstream = new URL(arg('upstream'));
const agent = new http.Agent({ keepAlive: true, maxSockets: 256, scheduling: 'lifo' });
const proxy = httpProxy.createProxyServer({});
const target = { protocol: 'http:', host: upstream.hostname, hostname: upstream.hostname, port: upstream.port };
const options = { target, agent, xfwd: true } as httpProxy.ServerOptions;
proxy.on('error', (_err, _req, res) => {
  if ('writeHead' in res && !res.headersSent) res.writeHead(502);
  res.end();
});
const server = http.createServer({ keepAliveTimeout: 65_000 }, (req, res) => proxy.web(req, res, options));
serveStats();
server.listen(0, '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
