// Test targets for the HTTP proxy: a correct idempotent upstream (IETF Idempotency-Key draft: 400
// missing key, 422 key reused with another body, 409 while in flight, stored reply replayed) and a
// naive one that executes every request. Both count every request they receive, with its bytes.
import { createHash } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';

export interface Hit {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  rawHeaders: string[];
  body: Buffer;
  /** performance.now() when the request's headers arrived. */
  at: number;
}

export interface UpstreamOptions {
  /** correct: the IETF draft; naive: executes everything; key-only: dedups on the key, ignores the body. */
  mode: 'correct' | 'naive' | 'key-only';
  /** Processing time of a write, so copies can overlap it. */
  delayMs?: number;
  tls?: { key: string; cert: string };
  /** Load tests: keep no Hit objects, only per-key counts of originals (requests without this header)
   * and a count of copies (requests with it). */
  countOnly?: { copyHeader: string };
}

export interface TestUpstream {
  url: string;
  port: number;
  hits: Hit[];
  /** Writes executed (orders created). */
  orders: number;
  /** countOnly mode: originals per Idempotency-Key, and copies seen. */
  originalsPerKey: Map<string, number>;
  copiesSeen: number;
  requests: number;
  hitsFor(key: string): Hit[];
  close(): Promise<void>;
}

interface Stored {
  bodyHash: string;
  done: boolean;
  status?: number;
  response?: string;
}

export async function startUpstream(options: UpstreamOptions): Promise<TestUpstream> {
  const store = new Map<string, Stored>();
  const state: TestUpstream = {
    url: '', port: 0, hits: [], orders: 0, originalsPerKey: new Map(), copiesSeen: 0, requests: 0,
    hitsFor: (key) => state.hits.filter((h) => h.headers['idempotency-key'] === key),
    close: async () => undefined,
  };
  const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const at = performance.now();
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      state.requests++;
      if (options.countOnly) {
        const k = String(req.headers['idempotency-key']);
        if (req.headers[options.countOnly.copyHeader] !== undefined) state.copiesSeen++;
        else state.originalsPerKey.set(k, (state.originalsPerKey.get(k) ?? 0) + 1);
      } else state.hits.push({ method: req.method!, url: req.url!, headers: req.headers, rawHeaders: req.rawHeaders, body, at });
      if (req.method === 'GET' || req.method === 'HEAD') return reply(res, 200, { ok: true, path: req.url }, { 'x-upstream': 'yes' });
      const execute = (): string => JSON.stringify({ id: ++state.orders, sha: createHash('sha256').update(body).digest('hex').slice(0, 8) });
      const later = (fn: () => void): void => void (options.delayMs ? setTimeout(fn, options.delayMs) : setImmediate(fn));
      if (options.mode === 'naive') return later(() => reply(res, 201, execute()));
      const key = req.headers['idempotency-key'];
      if (typeof key !== 'string') return reply(res, 400, { error: 'missing Idempotency-Key' });
      const bodyHash = createHash('sha256').update(body).digest('hex');
      const seen = store.get(key);
      if (seen) {
        if (seen.bodyHash !== bodyHash && options.mode === 'correct') return reply(res, 422, { error: 'key reused with another payload' });
        if (!seen.done) return reply(res, 409, { error: 'request in progress' });
        return reply(res, seen.status!, seen.response!, { 'idempotent-replayed': 'true' });
      }
      const entry: Stored = { bodyHash, done: false };
      store.set(key, entry);
      later(() => {
        entry.response = execute();
        entry.status = 201;
        entry.done = true;
        reply(res, 201, entry.response);
      });
    });
  };
  const server = options.tls ? https.createServer(options.tls, handler) : http.createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  state.port = (server.address() as AddressInfo).port;
  state.url = `${options.tls ? 'https' : 'http'}://127.0.0.1:${state.port}`;
  state.close = () =>
    new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
  return state;
}

function reply(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}
