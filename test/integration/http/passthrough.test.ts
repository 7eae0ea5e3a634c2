// The original is sacred: at fraction 0 the upstream sees exactly the client's requests and the client
// gets exactly the upstream's answer; bad input gives a clean pass-through or a clear error.
import { expect } from 'chai';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { startUpstream, type TestUpstream } from '../../helpers/upstreams';
import { metricValue, request, rule, sleep, startHarness, type Harness } from './harness';

function raw(url: string, text: string, waitMs = 300): Promise<string> {
  const { port } = new URL(url);
  return new Promise((resolve) => {
    const s = net.connect(Number(port), '127.0.0.1', () => s.write(text));
    let out = '';
    s.on('data', (d) => (out += d.toString()));
    s.on('error', () => undefined);
    setTimeout(() => (s.destroy(), resolve(out)), waitMs);
    s.on('close', () => resolve(out));
  });
}

describe('http proxy pass-through', () => {
  let up: TestUpstream;
  let h: Harness;
  afterEach(async () => {
    await h?.close();
    await up?.close();
  });

  it('fraction 0: upstream sees exactly the requests, client gets exact status, headers, body', async () => {
    up = await startUpstream({ mode: 'naive' });
    h = await startHarness({ upstream: up.url, rules: [rule([{ kind: 'replay' }], { fraction: 0 })] });
    const agent = new http.Agent({ keepAlive: true });
    const body = Buffer.from([0, 1, 2, 255, 254, 10, 13]);
    for (let i = 0; i < 20; i++) {
      const res = await request(h.proxy.url, { agent, headers: { 'idempotency-key': `k-${i}`, 'x-custom': `v${i}` }, body });
      expect(res.status).to.equal(201);
      expect(JSON.parse(res.text).id).to.equal(i + 1);
      expect(res.headers['content-type']).to.equal('application/json');
    }
    const get = await request(h.proxy.url, { method: 'GET', path: '/things?q=1', agent });
    expect(get.status).to.equal(200);
    expect(get.headers['x-upstream']).to.equal('yes');
    expect(JSON.parse(get.text)).to.deep.equal({ ok: true, path: '/things?q=1' });
    agent.destroy();
    await sleep(30);
    expect(up.hits).to.have.length(21);
    up.hits.slice(0, 20).forEach((hit, i) => {
      expect(hit.body.equals(body)).to.equal(true);
      expect(hit.headers['idempotency-key']).to.equal(`k-${i}`);
      expect(hit.headers['x-custom']).to.equal(`v${i}`);
      expect(hit.headers['x-forwarded-for']).to.equal('127.0.0.1');
    });
    expect(h.journal.copies()).to.have.length(0);
    expect(h.journal.originals()).to.have.length(20); // matched are journaled; the GET (no rule) is not
    expect(await metricValue(h.metrics, 'doubletap_http_requests_total', { rule: 'none', method: 'GET' })).to.equal(1);
    expect(await metricValue(h.metrics, 'doubletap_http_requests_total', { rule: 'orders', method: 'POST' })).to.equal(20);
  });

  it('upstream down: 502 with a short JSON error naming the upstream; no crash', async () => {
    const srv = net.createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as AddressInfo).port;
    await new Promise((r) => srv.close(r));
    h = await startHarness({ upstream: `http://127.0.0.1:${port}`, rules: [rule([{ kind: 'replay' }])] });
    const res = await request(h.proxy.url, { headers: { 'idempotency-key': 'd-1' }, body: '{}' });
    expect(res.status).to.equal(502);
    expect(JSON.parse(res.text)).to.deep.include({ error: 'upstream unreachable', upstream: `http://127.0.0.1:${port}`, code: 'ECONNREFUSED' });
    expect(await h.proxy.settle(1000)).to.equal(true); // the planned copy was dropped, not left pending
    expect(h.journal.originals()[0]).to.include({ error: 'ECONNREFUSED', clientStatus: 502 });
    expect((await request(h.proxy.url, { method: 'GET', path: '/' })).status).to.equal(502);
  });

  it('client aborting mid-body: the proxied request is destroyed, no copy, proxy keeps serving', async () => {
    up = await startUpstream({ mode: 'naive' });
    h = await startHarness({ upstream: up.url, rules: [rule([{ kind: 'burst', copies: 2, within: '10ms' }])] });
    const req = http.request(h.proxy.url + '/orders', { method: 'POST', headers: { 'idempotency-key': 'a-1', 'content-length': '1000' } });
    req.on('error', () => undefined);
    req.write('x'.repeat(100));
    await sleep(100);
    req.destroy();
    expect(await h.proxy.settle(2000)).to.equal(true);
    await sleep(50);
    expect(up.hits).to.have.length(0); // the upstream never got a complete (or a copied) request
    expect(await metricValue(h.metrics, 'doubletap_http_not_duplicated_total', { reason: 'client-aborted' })).to.equal(1);
    expect((await request(h.proxy.url, { headers: { 'idempotency-key': 'a-2' }, body: 'ok' })).status).to.equal(201);
  });

  it('client leaving mid-answer of a picked request: journaled as such, upstream request cut, no copy', async () => {
    // The upstream sends its head and then its body a few bytes at a time, never all of it. (Node's
    // server notices a client that left only when it next writes to it: hence the trickle.)
    let hits = 0;
    let upstreamClosed = false;
    const stalled = http.createServer((req, res) => {
      hits++;
      req.resume();
      res.writeHead(201, { 'content-type': 'application/json', 'content-length': '1000' });
      res.write('{"id":"ord-1",');
      const trickle = setInterval(() => res.write(' '), 20);
      res.on('close', () => ((upstreamClosed = true), clearInterval(trickle)));
    });
    await new Promise<void>((r) => stalled.listen(0, '127.0.0.1', r));
    try {
      h = await startHarness({ upstream: `http://127.0.0.1:${(stalled.address() as AddressInfo).port}`, rules: [rule([{ kind: 'replay' }])] });
      await new Promise<void>((resolve) => {
        const req = http.request(h.proxy.url + '/orders', { method: 'POST', headers: { 'idempotency-key': 'm-1', 'content-length': '2' } }, (res) => {
          res.once('data', () => (req.destroy(), resolve()));
        });
        req.on('error', () => undefined);
        req.end('{}');
      });
      expect(await h.proxy.settle(2000)).to.equal(true);
      await sleep(100);
      expect(hits).to.equal(1); // the original once, its copy never
      expect(upstreamClosed).to.equal(true); // the upstream request was cut off, not left hanging
      expect(h.journal.originals().map((o) => o.error)).to.deep.equal(['client closed the connection']);
      expect(h.journal.copies().map((c) => c.reason)).to.deep.equal(['original-failed']);
    } finally {
      stalled.closeAllConnections();
      await new Promise((r) => stalled.close(r));
    }
  });

  it('malformed and duplicated headers; Content-Length with Transfer-Encoding', async () => {
    up = await startUpstream({ mode: 'naive' });
    h = await startHarness({ upstream: up.url, rules: [rule([{ kind: 'replay' }], { fraction: 0 })] });
    const bad = await raw(h.proxy.url, 'POST /orders HTTP/1.1\r\nHost: x\r\nBad Header: y\r\nContent-Length: 2\r\n\r\nhi');
    expect(bad).to.match(/^HTTP\/1\.1 400/);
    const both = await raw(h.proxy.url, 'POST /orders HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n');
    expect(both).to.match(/^HTTP\/1\.1 400/);
    expect(up.hits).to.have.length(0);
    const dup = await raw(h.proxy.url, 'POST /orders HTTP/1.1\r\nHost: x\r\nX-Dup: a\r\nX-Dup: b\r\nConnection: close, X-Secret-Hop\r\nX-Secret-Hop: 1\r\nContent-Length: 2\r\n\r\nhi', 500);
    expect(dup).to.match(/^HTTP\/1\.1 201/);
    expect(up.hits).to.have.length(1);
    expect(up.hits[0].headers['x-dup']).to.equal('a, b');
    expect(up.hits[0].headers['x-secret-hop']).to.equal(undefined); // named in Connection: hop-by-hop
    expect(up.hits[0].body.toString()).to.equal('hi');
  });

  it('slow client: a body sent in slow chunks arrives whole and unchanged, and is copied whole', async () => {
    up = await startUpstream({ mode: 'naive' });
    h = await startHarness({ upstream: up.url, rules: [rule([{ kind: 'replay' }])] });
    const parts = ['{"a":', '1,"b":', '"slow"}'];
    const res = await new Promise<number>((resolve, reject) => {
      const req = http.request(h.proxy.url + '/orders', { method: 'POST', headers: { 'idempotency-key': 'slow-1' } }, (r) => {
        r.resume();
        r.on('end', () => resolve(r.statusCode!));
      });
      req.on('error', reject);
      (async () => {
        for (const p of parts) {
          req.write(p);
          await sleep(60);
        }
        req.end();
      })();
    });
    expect(res).to.equal(201);
    expect(await h.proxy.settle(2000)).to.equal(true);
    expect(up.hits.map((x) => x.body.toString())).to.deep.equal([parts.join(''), parts.join('')]);
  });

  it('WebSocket upgrade passes through untouched', async () => {
    const target = http.createServer();
    target.on('upgrade', (req, socket) => {
      socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n');
      socket.on('data', (d) => socket.write(d)); // echo frames
    });
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
    h = await startHarness({ upstream: `http://127.0.0.1:${(target.address() as AddressInfo).port}`, rules: [rule([{ kind: 'replay' }])] });
    const out = await raw(
      h.proxy.url,
      'GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\nping',
      400,
    );
    expect(out).to.match(/^HTTP\/1\.1 101/);
    expect(out.toLowerCase()).to.include('sec-websocket-accept: s3pplmbitxaq9kygzzhzrbk+xoo=');
    expect(out.endsWith('ping')).to.equal(true);
    target.closeAllConnections();
    target.close();
  });
});
