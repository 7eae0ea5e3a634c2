// The copy sender on undici, against small real servers: the journal's `error` values stay the ones
// node:http gave (ECONNREFUSED, ECONNRESET, `timeout after Nms`, `response aborted`), headers undici
// refuses never crash a copy, and a copy cancelled before it is on the wire never reaches the upstream.
import { expect } from 'chai';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { sendCopy, type CopyResult } from '../../../src/http/copy-sender';
import { createUpstream, type Upstream } from '../../../src/http/upstream';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

describe('copy sender (undici)', () => {
  const closers: Array<() => unknown> = [];
  afterEach(async () => {
    for (const c of closers.splice(0).reverse()) await c();
  });

  async function serve(handler: Handler): Promise<{ up: Upstream; seen: http.IncomingMessage[] }> {
    const seen: http.IncomingMessage[] = [];
    const server = http.createServer((req, res) => {
      seen.push(req);
      handler(req, res);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    closers.push(() => new Promise((r) => (server.closeAllConnections(), server.close(r))));
    const up = createUpstream({ upstream: `http://127.0.0.1:${(server.address() as AddressInfo).port}/base`, insecure: false });
    closers.push(() => up.close());
    return { up, seen };
  }

  const send = (up: Upstream, headers: Record<string, string | string[] | undefined> = {}, timeoutMs = 2000, body = '{"a":1}') =>
    new Promise<CopyResult>((resolve) => sendCopy(up, { method: 'POST', url: '/orders?x=1', headers, body: Buffer.from(body) }, timeoutMs, resolve));

  it('sends the body with Content-Length, drops what undici refuses, reads status, replay header and identity', async () => {
    const { up, seen } = await serve((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        res.writeHead(201, { 'content-type': 'application/json', 'idempotent-replayed': 'true' });
        res.end(JSON.stringify({ id: 7, echo: body }));
      });
    });
    const r = await send(up, {
      host: 'client.example', 'idempotency-key': 'k-1', 'x-multi': ['a', 'b'], connection: 'keep-alive', 'keep-alive': 'timeout=5',
      'transfer-encoding': 'chunked', trailer: 'x-sum', expect: '100-continue', upgrade: 'h2c', 'content-length': '999',
    });
    expect(r).to.include({ status: 201, replayedHeader: true, identity: '{"id":"7"}' });
    expect(r.error).to.equal(undefined);
    const req = seen[0];
    expect(req.url).to.equal('/base/orders?x=1');
    expect(req.headers).to.include({ host: 'client.example', 'idempotency-key': 'k-1', 'content-length': '7' });
    expect(req.headersDistinct['x-multi']).to.deep.equal(['a', 'b']);
    for (const h of ['transfer-encoding', 'trailer', 'expect', 'upgrade', 'keep-alive']) expect(req.headers[h], h).to.equal(undefined);
  });

  it('connection refused → ECONNREFUSED', async () => {
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((r) => probe.close(r));
    const up = createUpstream({ upstream: `http://127.0.0.1:${port}`, insecure: false });
    closers.push(() => up.close());
    expect((await send(up)).error).to.equal('ECONNREFUSED');
  });

  it('closed before an answer → ECONNRESET; cut inside the body → the status and `response aborted`', async () => {
    const { up } = await serve((req, res) => {
      if (req.url!.includes('x=1') && req.headers['x-mode'] === 'close') return void req.socket.destroy();
      res.writeHead(200, { 'content-length': '100' });
      res.write('{"id":');
      setTimeout(() => req.socket.destroy(), 20);
    });
    expect((await send(up, { 'x-mode': 'close' })).error).to.equal('ECONNRESET');
    expect(await send(up)).to.include({ status: 200, error: 'response aborted' });
  });

  it('no answer in time → `timeout after Nms`, and the connection is let go', async () => {
    const { up } = await serve(() => undefined);
    const t0 = performance.now();
    const r = await send(up, {}, 150);
    expect(r.error).to.equal('timeout after 150ms');
    expect(r.durationMs).to.be.within(140, 1000);
    expect(performance.now() - t0).to.be.below(1000);
  });

  it('cancelled before it is on the wire: never reaches the upstream, done never called; on the wire: cannot be cancelled', async () => {
    const { up, seen } = await serve((_req, res) => res.end('{}'));
    let called = false;
    const a = sendCopy(up, { method: 'POST', url: '/x', headers: {}, body: Buffer.from('{}') }, 2000, () => (called = true));
    expect(a.onWire).to.equal(false); // a fresh pool is still connecting
    expect(a.cancel()).to.equal(true);
    await new Promise((r) => setTimeout(r, 150));
    expect(seen).to.have.length(0);
    expect(called).to.equal(false);
    // On a kept-alive connection too, undici may write a request a tick later: until then it can be cancelled.
    await send(up);
    expect(seen).to.have.length(1);
    const b = sendCopy(up, { method: 'POST', url: '/y', headers: {}, body: Buffer.from('{}') }, 2000, () => undefined);
    if (!b.onWire) expect(b.cancel()).to.equal(true);
    await new Promise((r) => setTimeout(r, 50));
    const c = sendCopy(up, { method: 'POST', url: '/z', headers: {}, body: Buffer.from('{}') }, 2000, () => undefined);
    for (let i = 0; i < 100 && !c.onWire; i++) await new Promise((r) => setImmediate(r));
    expect(c.onWire).to.equal(true);
    expect(c.cancel()).to.equal(false);
    await new Promise((r) => setTimeout(r, 50));
    expect(seen.map((q) => q.url)).to.deep.equal(['/base/orders?x=1', '/base/z']);
  });
});
