// A small, honest Idempotency-Key server for the contract tests (any path, any mutating method): keys are
// claimed atomically, a reused key with the same body replays the stored answer, with another body gets
// 422, while in flight gets 409; no key → 400. It records every request so tests can count and validate.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Recorded {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body?: unknown;
}

export interface IdempotentServer {
  url: string;
  requests: Recorded[];
  close(): Promise<void>;
}

/**
 * `constant-store`: a dishonest variant that runs every write (no dedup at all) and answers each with
 * the same `{"store_id":"store-1"}` and no replay header: equal ids that name no resource.
 */
export async function startIdempotentServer(workMs = 30, mode: 'honest' | 'constant-store' = 'honest'): Promise<IdempotentServer> {
  const requests: Recorded[] = [];
  const store = new Map<string, { body: string; answer?: { status: number; json: string } }>();
  let nextId = 1;
  const server = http.createServer((req, res) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (text += c));
    req.on('end', () => {
      requests.push({ method: req.method!, url: req.url!, headers: req.headers, body: text ? JSON.parse(text) : undefined });
      const reply = (status: number, json: unknown, replayed = false): void => {
        res.writeHead(status, { 'content-type': 'application/json', ...(replayed ? { 'idempotent-replayed': 'true' } : {}) });
        res.end(typeof json === 'string' ? json : JSON.stringify(json));
      };
      // The books: how many times a write really ran (what an http probe reads).
      if (req.method === 'HEAD' || req.method === 'GET') return reply(200, { executions: nextId - 1 });
      const key = req.headers['idempotency-key'];
      if (typeof key !== 'string') return reply(400, { error: 'idempotency_key_missing' });
      if (mode === 'constant-store') return void setTimeout(() => (nextId++, reply(201, { store_id: 'store-1', status: 'accepted' })), workMs);
      const id = `${req.method} ${req.url} ${key}`;
      const seen = store.get(id);
      if (seen) {
        if (seen.body !== text) return reply(422, { error: 'idempotency_key_reused' });
        if (!seen.answer) return reply(409, { error: 'idempotency_key_in_use' });
        return reply(seen.answer.status, seen.answer.json, true);
      }
      const entry: { body: string; answer?: { status: number; json: string } } = { body: text };
      store.set(id, entry);
      setTimeout(() => {
        entry.answer = { status: 201, json: JSON.stringify({ id: nextId++ }) };
        reply(entry.answer.status, entry.answer.json);
      }, workMs);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}
