// The control API through real sockets: a real express server on port 0, real fetch calls,
// and a real upstream counting the copies that got through.
import { expect } from 'chai';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HaltSwitch } from '../../../src/chaos/halt';
import { startControlServer, type ControlServer } from '../../../src/control/server';
import { ConfigError } from '../../../src/errors';
import { silentLogger } from '../../../src/log';
import { createMetrics } from '../../../src/metrics';

const TOKEN = 'test-token-8f3a';

async function listen(server: Server): Promise<number> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

describe('control API (real server)', () => {
  const open: ControlServer[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
  });

  async function start(extra: { listen?: string; token?: string; status?: () => unknown; onHalt?: (r: string) => void } = {}) {
    const halt = new HaltSwitch();
    const metrics = createMetrics();
    const server = await startControlServer({
      listen: extra.listen ?? '127.0.0.1:0',
      token: extra.token,
      halt,
      registry: metrics.registry,
      status: extra.status ?? (() => ({ phase: 'chaos', originals: 12, pending: 3 })),
      logger: silentLogger(),
      onHalt: extra.onHalt,
    });
    open.push(server);
    return { halt, metrics, server, url: server.url };
  }

  it('POST /halt flips the switch and cancels pending copies before the answer; none reach the upstream after', async () => {
    let upstreamHits = 0;
    const upstream = createServer((req, res) => {
      upstreamHits += 1;
      req.resume();
      req.on('end', () => res.end('ok'));
    });
    const upstreamPort = await listen(upstream);
    const sendCopy = (): Promise<void> =>
      new Promise((resolve, reject) => {
        const r = request({ host: '127.0.0.1', port: upstreamPort, method: 'POST', path: '/orders' }, (res) => {
          res.resume();
          res.on('end', resolve);
        });
        r.on('error', reject);
        r.end('{}');
      });

    const order: string[] = [];
    const { halt, url } = await start({ onHalt: () => order.push('onHalt') });
    // A stand-in for the proxy: copies scheduled on timers, cancelled by the switch's listener.
    const timers = new Set<NodeJS.Timeout>();
    const sent: Promise<void>[] = [];
    halt.on('halt', () => {
      order.push(`switch cancelled ${timers.size}`);
      for (const t of timers) clearTimeout(t);
      timers.clear();
    });
    for (let i = 0; i < 5; i++) sent.push(sendCopy());
    await Promise.all(sent);
    for (let i = 0; i < 20; i++) {
      const t = setTimeout(() => {
        timers.delete(t);
        sent.push(sendCopy());
      }, 150);
      timers.add(t);
    }
    const res = await fetch(`${url}/halt`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ reason: 'game day over' }) });
    order.push('response');
    expect(res.status).to.equal(200);
    expect(await res.json()).to.deep.equal({ halted: true, reason: 'game day over' });
    expect(order).to.deep.equal(['switch cancelled 20', 'onHalt', 'response']);
    expect(halt.reason).to.equal('game day over');
    await new Promise((r) => setTimeout(r, 300));
    await Promise.all(sent);
    expect(upstreamHits).to.equal(5);
    upstream.close();
  });

  it('GET /status merges the caller’s snapshot with the switch state; /healthz answers ok', async () => {
    const { url, halt } = await start();
    expect(await (await fetch(`${url}/status`)).json()).to.deep.equal({ phase: 'chaos', originals: 12, pending: 3, halted: false, haltReason: null });
    halt.halt('stop condition: error rate');
    expect(await (await fetch(`${url}/status`)).json()).to.include({ halted: true, haltReason: 'stop condition: error rate' });
    const h = await fetch(`${url}/healthz`);
    expect(h.status).to.equal(200);
    expect(await h.text()).to.equal('ok');
  });

  it('GET /metrics serves the registry with prometheus content type; doubletap_halted follows halt and resume', async () => {
    const { url, metrics, halt } = await start();
    metrics.httpRequests.inc({ rule: 'create-order', method: 'POST' }, 7);
    const m1 = await fetch(`${url}/metrics`);
    expect(m1.headers.get('content-type')).to.match(/^text\/plain; version=0\.0\.4/);
    const t1 = await m1.text();
    expect(t1).to.match(/^doubletap_halted 0$/m);
    expect(t1).to.match(/^doubletap_http_requests_total\{rule="create-order",method="POST"\} 7$/m);
    await fetch(`${url}/halt`, { method: 'POST', headers: { 'content-type': 'application/json' } });
    expect(await (await fetch(`${url}/metrics`)).text()).to.match(/^doubletap_halted 1$/m);
    const r = await fetch(`${url}/resume`, { method: 'POST', headers: { 'content-type': 'application/json' } });
    expect(await r.json()).to.deep.equal({ halted: false });
    expect(halt.halted).to.equal(false);
    expect(await (await fetch(`${url}/metrics`)).text()).to.match(/^doubletap_halted 0$/m);
    halt.halt('from elsewhere');
    expect(await (await fetch(`${url}/metrics`)).text()).to.match(/^doubletap_halted 1$/m);
  });

  it('with a token on loopback: POSTs need it (401 without or wrong, switch untouched); GETs stay open', async () => {
    const { url, halt } = await start({ token: TOKEN });
    for (const headers of [{}, { authorization: 'Bearer wrong' }, { authorization: `Basic ${TOKEN}` }] as Record<string, string>[]) {
      const res = await fetch(`${url}/halt`, { method: 'POST', headers });
      expect(res.status).to.equal(401);
      expect(res.headers.get('www-authenticate')).to.equal('Bearer');
      expect(await res.json()).to.deep.include({ error: 'UNAUTHORIZED' });
    }
    expect(halt.halted).to.equal(false);
    expect((await fetch(`${url}/status`)).status).to.equal(200);
    const ok = await fetch(`${url}/halt`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' } });
    expect(ok.status).to.equal(200);
    expect(halt.halted).to.equal(true);
    expect((await fetch(`${url}/resume`, { method: 'POST' })).status).to.equal(401);
    expect(halt.halted).to.equal(true);
  });

  it('refuses 0.0.0.0 without a token, naming control.listen', async () => {
    try {
      await start({ listen: '0.0.0.0:0' });
      expect.fail('should refuse');
    } catch (err) {
      expect(err).to.be.instanceOf(ConfigError);
      expect((err as ConfigError).issues[0]).to.match(/^control\.listen: 0\.0\.0\.0:0 is not loopback/);
    }
  });

  it('listens on 0.0.0.0 with a token; then GET /status and /metrics need it too (healthz stays open)', async () => {
    const { url } = await start({ listen: '0.0.0.0:0', token: TOKEN });
    const local = `http://127.0.0.1:${new URL(url).port}`;
    expect((await fetch(`${local}/status`)).status).to.equal(401);
    expect((await fetch(`${local}/metrics`)).status).to.equal(401);
    expect((await fetch(`${local}/healthz`)).status).to.equal(200);
    const auth = { authorization: `Bearer ${TOKEN}` };
    expect((await fetch(`${local}/status`, { headers: auth })).status).to.equal(200);
    expect((await fetch(`${local}/metrics`, { headers: auth })).status).to.equal(200);
  });

  it('answers JSON errors: bad JSON 400, bad reason 400, unknown route 404, a throwing status 500', async () => {
    const { url, halt } = await start({ status: () => { throw new Error('boom with secret detail'); } });
    const bad = await fetch(`${url}/halt`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{nope' });
    expect(bad.status).to.equal(400);
    expect(await bad.json()).to.deep.equal({ error: 'BAD_REQUEST', message: 'body is not valid JSON' });
    const badReason = await fetch(`${url}/halt`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"reason":42}' });
    expect(badReason.status).to.equal(400);
    expect(await badReason.json()).to.deep.include({ error: 'CONFIG_INVALID' });
    expect(halt.halted).to.equal(false);
    const nf = await fetch(`${url}/nope`);
    expect(nf.status).to.equal(404);
    expect(await nf.json()).to.deep.include({ error: 'NOT_FOUND' });
    const boom = await fetch(`${url}/status`);
    expect(boom.status).to.equal(500);
    expect(await boom.json()).to.deep.equal({ error: 'INTERNAL', message: 'internal error (see the doubletap log)' });
  });

  it('a port in use or a malformed listen is a ConfigError naming control.listen', async () => {
    const { url } = await start();
    const port = new URL(url).port;
    await start({ listen: `127.0.0.1:${port}` }).then(
      () => expect.fail('should fail'),
      (err: ConfigError) => expect(err.issues[0]).to.match(/^control\.listen: cannot listen on 127\.0\.0\.1:\d+: .*EADDRINUSE/),
    );
    await start({ listen: 'nope' }).then(
      () => expect.fail('should fail'),
      (err: ConfigError) => expect(err.issues[0]).to.match(/^control\.listen: "nope" must be HOST:PORT/),
    );
  });
});
