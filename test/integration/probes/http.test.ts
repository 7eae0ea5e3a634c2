// http probe against a real express server on port 0; counts how many GETs reached it.
import { expect } from 'chai';
import express from 'express';
import type { Server } from 'node:http';
import { ProbeError } from '../../../src/errors';
import { createProbe } from '../../../src/probes';
import { freePort } from '../../helpers/prometheus';

describe('probes/http against a real server', () => {
  let server: Server;
  let base = '';
  let hits = 0;
  let emails = 3;
  let seenAuth: string | undefined;

  before(async () => {
    const app = express();
    app.use((req, _res, next) => {
      hits += 1;
      next();
    });
    app.get('/stats', (req, res) => {
      seenAuth = req.get('authorization');
      res.json({ emails, stats: { orders: 12, total: '9007199254740993' }, items: [{ n: 4 }, { n: 5 }], name: 'shop', nothing: null });
    });
    app.get('/number', (_req, res) => res.type('json').send('42'));
    // A keyed books endpoint: how many of the posted keys have an order.
    app.post('/orders/count', express.json(), (req, res) => {
      const keys = (req.body as { keys: string[] }).keys;
      res.json({ count: keys.filter((k) => ['k1', 'k2', 'k3'].includes(k)).length });
    });
    app.get('/html', (_req, res) => res.type('html').send('<p>hi</p>'));
    app.get('/down', (_req, res) => res.status(503).json({ error: 'down' }));
    app.get('/slow', (_req, res) => void setTimeout(() => res.json({ n: 1 }), 2000));
    await new Promise<void>((resolve) => (server = app.listen(0, '127.0.0.1', () => resolve())));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  after(() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }));

  const probe = (path: string, url = `${base}/stats`, extra: { headers?: Record<string, string>; timeout?: number } = {}, env: NodeJS.ProcessEnv = {}) =>
    createProbe('emails', { http: url, path, headers: extra.headers ?? {}, timeout: extra.timeout ?? 2000 }, env);

  async function probeError(p: Promise<number>): Promise<string> {
    try {
      await p;
    } catch (err) {
      expect(err).to.be.instanceOf(ProbeError);
      return (err as Error).message;
    }
    throw new Error('expected a ProbeError');
  }

  it('reads numbers at dot paths, one GET per read', async () => {
    const before = hits;
    expect(await probe('emails').read()).to.equal(3);
    emails = 10;
    expect(await probe('emails').read()).to.equal(10);
    expect(await probe('stats.orders').read()).to.equal(12);
    expect(await probe('items[1].n').read()).to.equal(5);
    expect(await probe('', `${base}/number`).read()).to.equal(42);
    expect(hits - before).to.equal(5);
  });

  it('keyed: POSTs {"keys": [...]} and reads the number the service answers', async () => {
    const p = createProbe('orders', { http: `${base}/orders/count`, path: 'count', headers: {}, timeout: 2000, keys: { rule: 'create', of: 'ops' } }, {});
    expect(await p.read(['k1', 'k3', 'zz'])).to.equal(2);
    expect(await p.read([])).to.equal(0);
    expect(await probeError(p.read())).to.match(/keyed probe is read with the run's keys/);
  });

  it('resolves env: headers and sends them', async () => {
    await probe('emails', undefined, { headers: { authorization: 'env:STATS_TOKEN' } }, { STATS_TOKEN: 'Bearer t0ken' }).read();
    expect(seenAuth).to.equal('Bearer t0ken');
  });

  it('a non-number is an error naming the path and what was there', async () => {
    expect(await probeError(probe('name').read())).to.equal(`probe emails: GET 127.0.0.1:${base.split(':')[2]}/stats: name is the string "shop", not a number`);
    expect(await probeError(probe('nothing').read())).to.match(/nothing is null, not a number/);
    expect(await probeError(probe('stats').read())).to.match(/stats is an object/);
    expect(await probeError(probe('missing.deep').read())).to.match(/missing\.deep is nothing/);
    expect(await probeError(probe('', `${base}/html`).read())).to.match(/not JSON/);
  });

  it('HTTP errors, timeouts and refused connections name host:port', async () => {
    expect(await probeError(probe('n', `${base}/down`).read())).to.match(/GET 127\.0\.0\.1:\d+\/down failed: HTTP 503/);
    const started = Date.now();
    expect(await probeError(probe('n', `${base}/slow`, { timeout: 300 }).read())).to.match(/timed out after 300ms/);
    expect(Date.now() - started).to.be.lessThan(1500);
    const closed = await freePort();
    expect(await probeError(probe('n', `http://127.0.0.1:${closed}/stats?token=abc`).read())).to.equal(`probe emails: GET 127.0.0.1:${closed}/stats failed: ECONNREFUSED`);
  });
});
