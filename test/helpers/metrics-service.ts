// A real service for stop-condition tests: idempotent POST /orders (stored replies replayed), its own
// Prometheus /metrics (requests by code), a switch that makes it fail (500) from a moment on, and the
// arrival time of every copy (requests carrying the copy-mark header).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import client from 'prom-client';

export interface MetricsService {
  url: string;
  host: string;
  /** From now on every POST answers 500; returns the instant (epoch ms). */
  startFailing(): number;
  copyArrivals: number[];
  posts: number;
  close(): Promise<void>;
}

export async function startMetricsService(copyHeader = 'x-doubletap-copy'): Promise<MetricsService> {
  const registry = new client.Registry();
  const requests = new client.Counter({ name: 'svc_requests_total', help: 'POSTs by code', labelNames: ['code'], registers: [registry] });
  // Both series exist from the start: an empty vector is "unreadable", not zero.
  requests.inc({ code: '201' }, 0);
  requests.inc({ code: '500' }, 0);
  const stored = new Map<string, string>();
  let failing = false;
  const state = { copyArrivals: [] as number[], posts: 0 };
  const server = http.createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/metrics') {
      void registry.metrics().then((text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text));
      return;
    }
    req.resume();
    req.on('end', () => {
      state.posts++;
      if (req.headers[copyHeader] !== undefined) state.copyArrivals.push(Date.now());
      if (failing) {
        requests.inc({ code: '500' });
        return void res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"down"}');
      }
      const key = String(req.headers['idempotency-key']);
      const replay = stored.get(key);
      const body = replay ?? JSON.stringify({ id: stored.size + 1 });
      stored.set(key, body);
      requests.inc({ code: '201' });
      res.writeHead(201, { 'content-type': 'application/json', ...(replay ? { 'idempotent-replayed': 'true' } : {}) }).end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    startFailing: () => ((failing = true), Date.now()),
    close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))),
  });
}
