// Real HTTP server on port 0 that counts what reaches it, per key.
import { expect } from 'chai';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { runHttpLoad, loadKey, type LoadResult } from '../../../src/load/http-load';
import { httpLoad } from '../../../src/scenario/schema-load';
import { silentLogger } from '../../../src/log';

interface Hit { path: string; key: string; body: string; at: number }

async function startUpstream(): Promise<{ url: string; hits: Hit[]; close(): Promise<void> }> {
  const hits: Hit[] = [];
  const seen = new Map<string, number>();
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const key = String(req.headers['idempotency-key'] ?? '');
      const path = req.url ?? '';
      hits.push({ path, key, body, at: Date.now() });
      const n = (seen.get(path + key) ?? 0) + 1;
      seen.set(path + key, n);
      if (path === '/flaky' && n === 1) return void res.writeHead(503).end('busy');
      if (path === '/conflict' && n === 1) return void res.writeHead(409).end('{"error":"in progress"}');
      if (path === '/reset' && n === 1) return void req.socket.destroy();
      if (path === '/down') return void res.writeHead(500).end();
      res.writeHead(201, { 'content-type': 'application/json' }).end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, hits, close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }) };
}

const spec = (url: string, extra: Record<string, unknown> = {}) =>
  httpLoad.parse({ url, rate: '200/s', concurrency: 4, body: { sku: 'A-{{seq}}', amount_cents: '{{int 100 5000}}' },
    retry: { attempts: 3, backoff: { base: '20ms', max: '200ms' } }, ...extra });

describe('load/http-load', function () {
  let up: Awaited<ReturnType<typeof startUpstream>>;
  beforeEach(async () => (up = await startUpstream()));
  afterEach(async () => up.close());

  it('is deterministic for a seed: same keys, bodies and retry delays', async () => {
    const runs: LoadResult[][] = [];
    const bodies: string[][] = [];
    for (let i = 0; i < 2; i++) {
      up.hits.length = 0;
      const results: LoadResult[] = [];
      await runHttpLoad(spec(up.url + '/flaky', { total: 10 }), { seed: 7, index: 0, durationMs: 10_000, logger: silentLogger(), onResult: (r) => results.push(r) });
      runs.push(results.sort((a, b) => a.seq - b.seq).map((r) => ({ ...r, durationMs: 0 })));
      bodies.push(up.hits.map((h) => `${h.key} ${h.body}`).sort());
      const up2 = up; await up2.close(); up = await startUpstream();
    }
    expect(runs[0]).to.deep.equal(runs[1]);
    expect(bodies[0]).to.deep.equal(bodies[1]);
    expect(runs[0].map((r) => r.key)).to.deep.equal([...Array(10).keys()].map((s) => loadKey(7, 0, s)));
    expect(runs[0].every((r) => r.backoffMs.length === 1)).to.equal(true);
  });

  for (const path of ['/flaky', '/conflict', '/reset']) {
    it(`retries ${path} with the same key and the same body`, async () => {
      const stats = await runHttpLoad(spec(up.url + path, { total: 12 }), { seed: 1, index: 2, durationMs: 10_000, logger: silentLogger() });
      expect(stats).to.include({ operations: 12, attempts: 24, retries: 12, succeeded: 12, failed: 0 });
      expect(up.hits).to.have.length(24);
      const byKey = new Map<string, Set<string>>();
      for (const h of up.hits) byKey.set(h.key, (byKey.get(h.key) ?? new Set()).add(h.body));
      expect(byKey.size).to.equal(12);
      for (const [key, set] of byKey) {
        expect(key).to.match(/^dt-1-2-\d+$/);
        expect(set.size, key).to.equal(1);
        expect(up.hits.filter((h) => h.key === key)).to.have.length(2);
      }
    });
  }

  it('bounds attempts when the server keeps failing', async () => {
    const stats = await runHttpLoad(spec(up.url + '/down', { total: 5 }), { seed: 1, index: 0, durationMs: 10_000, logger: silentLogger() });
    expect(stats).to.deep.equal({ operations: 5, attempts: 15, retries: 10, succeeded: 0, failed: 5, byStatus: { '500': 15 } });
    expect(up.hits).to.have.length(15);
  });

  it('roughly honours the rate over the window and stops at the window end', async () => {
    const t0 = Date.now();
    const stats = await runHttpLoad(spec(up.url + '/ok', { rate: '50/s' }), { seed: 3, index: 0, durationMs: 1000, logger: silentLogger() });
    const elapsed = Date.now() - t0;
    expect(stats.operations).to.equal(50);
    expect(up.hits).to.have.length(50);
    expect(elapsed).to.be.within(950, 1500);
    // The second half of the window got about half the traffic (no front-loaded burst).
    const late = up.hits.filter((h) => h.at - t0 >= 500).length;
    expect(late).to.be.within(20, 30);
  });

  it('stops sending and retrying when the signal aborts', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 300);
    const stats = await runHttpLoad(spec(up.url + '/down', { rate: '20/s', concurrency: 16, retry: { attempts: 10, backoff: { base: '50ms', max: '50ms', jitter: 'none' } } }),
      { seed: 3, index: 0, durationMs: 10_000, signal: ac.signal, logger: silentLogger() });
    expect(stats.operations).to.be.within(5, 8);
    expect(stats.failed).to.equal(stats.operations);
    const settled = up.hits.length;
    await new Promise((r) => setTimeout(r, 150));
    expect(up.hits.length).to.equal(settled);
  });
});
