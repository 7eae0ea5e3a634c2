// Issue 15, defects 1-6: the original must reach the upstream unchanged and exactly once, whatever
// its framing. Raw sockets on both sides: we write exact bytes and look at every line that arrived.
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { RawConnection, rawRequest, startRecorder, type Recorder } from '../../helpers/raw-http';
import { startHarness, type Harness, metricValue, sleep } from './harness';

const JSON_BODY = '{"sku":"A-1"}';
const jsonLines = (key: string) => ['Content-Type: application/json', `Idempotency-Key: ${key}`, `Content-Length: ${Buffer.byteLength(JSON_BODY)}`];

describe('proxy framing (issue 15: originals lost or altered)', function () {
  this.timeout(20_000);
  let up: Recorder;
  let h: Harness;
  const conns: RawConnection[] = [];
  const connect = async () => {
    const c = new RawConnection(Number(new URL(h.proxy.url).port));
    conns.push(c);
    await c.connected();
    return c;
  };
  async function start(fraction = 0, extra: Record<string, unknown> = {}, delayMs = 0) {
    up = await startRecorder({ delayMs });
    h = await startHarness({
      upstream: up.url, markCopies: 'x-doubletap-copy', ...extra,
      rules: [{ name: 'orders', match: { method: 'POST', path: '/orders' }, fraction, faults: [{ kind: 'replay' }] }],
    });
  }
  const originals = () => up.requests.filter((r) => up.values(r, 'x-doubletap-copy').length === 0);
  const copies = () => up.requests.filter((r) => up.values(r, 'x-doubletap-copy').length > 0);
  afterEach(async () => {
    conns.splice(0).forEach((c) => c.destroy());
    await h?.close();
    await up?.close();
  });

  describe('1. Upgrade offers that are not a WebSocket handshake are ordinary requests', () => {
    for (const [label, lines] of [
      ['an h2c offer (curl --http2)', ['Connection: Upgrade, HTTP2-Settings', 'Upgrade: h2c', 'HTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA']],
      ['a POST with Upgrade: websocket', ['Connection: Upgrade', 'Upgrade: websocket', 'Sec-WebSocket-Version: 13', 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==']],
    ] as const) {
      it(`${label}: forwarded once, unchanged body and key, the client gets the upstream's 201`, async () => {
        await start();
        const c = await connect();
        c.write(rawRequest('POST', '/orders', [...lines, ...jsonLines('k-up')], JSON_BODY));
        const res = await c.response();
        expect(res.status).to.equal(201);
        expect(res.body).to.equal('{"id":1}');
        expect(up.requests).to.have.length(1);
        const [r] = up.requests;
        expect([r.method, r.url, r.body.toString()]).to.deep.equal(['POST', '/orders', JSON_BODY]);
        expect(up.values(r, 'idempotency-key')).to.deep.equal(['k-up']);
        expect(up.values(r, 'upgrade')).to.deep.equal([]);
        // The connection stays usable: a second request on it is forwarded too.
        c.write(rawRequest('POST', '/orders', jsonLines('k-up2'), JSON_BODY));
        expect((await c.response()).status).to.equal(201);
        expect(up.requests.map((x) => up.values(x, 'idempotency-key')[0])).to.deep.equal(['k-up', 'k-up2']);
      });
    }
  });

  it('1c. the reported case, with the real curl: `curl --http2 -X POST -d {}` gets the upstream answer', async () => {
    await start();
    const out = await new Promise<string>((resolve, reject) => {
      execFile('curl', ['-sS', '--http2', '-X', 'POST', '-H', 'Idempotency-Key: k-curl', '-H', 'Content-Type: application/json', '-d', '{}', '-w', ' %{http_code}', `${h.proxy.url}/orders`], (err, stdout, stderr) =>
        err ? reject(new Error(`curl: ${stderr || err.message}`)) : resolve(stdout),
      );
    });
    expect(out).to.equal('{"id":1} 201');
    expect(up.requests.map((r) => [r.body.toString(), up.values(r, 'idempotency-key')[0]])).to.deep.equal([['{}', 'k-curl']]);
  });

  it('2. 1,100 filler headers: every line reaches the upstream, on the original and on its copy', async () => {
    await start(1);
    const filler = Array.from({ length: 1100 }, (_, i) => `F${i}: v`);
    const c = await connect();
    c.write(rawRequest('POST', '/orders', [...filler, 'Authorization: Bearer t0k3n', ...jsonLines('k-many')], JSON_BODY));
    expect((await c.response()).status).to.equal(201);
    await h.proxy.settle(5000);
    expect(originals()).to.have.length(1);
    expect(copies()).to.have.length(1);
    for (const r of [originals()[0], copies()[0]]) {
      expect(r.rawHeaders.filter((n, i) => i % 2 === 0 && /^f\d+$/i.test(n))).to.have.length(1100);
      expect(up.values(r, 'idempotency-key')).to.deep.equal(['k-many']);
      expect(up.values(r, 'authorization')).to.deep.equal(['Bearer t0k3n']);
      expect(r.body.toString()).to.equal(JSON_BODY);
    }
  });

  it('3. graceful shutdown: the answer to an in-flight request says Connection: close, then the socket closes', async () => {
    await start(0, {}, 400);
    const c = await connect();
    c.write(rawRequest('POST', '/orders', jsonLines('k-drain'), JSON_BODY));
    await sleep(100);
    const closing = h.proxy.close(5000);
    const res = await c.response();
    expect(res.status).to.equal(201);
    expect(res.headers.get('connection')).to.deep.equal(['close']);
    expect(await c.waitFor(() => c.isClosed, 3000)).to.equal(true);
    await closing;
    expect(up.requests).to.have.length(1);
  });

  it('4. a client that half-closes after a complete request still gets the answer', async () => {
    await start(0, {}, 100);
    const c = await connect();
    c.write(rawRequest('POST', '/orders', jsonLines('k-half'), JSON_BODY));
    c.socket.end(); // FIN: nothing more to send, still reading
    const res = await c.response();
    expect(res.status).to.equal(201);
    expect(res.body).to.equal('{"id":1}');
    expect(up.requests).to.have.length(1);
  });

  it('5. request trailers reach the upstream (Trailer header and fields); the copy keeps the body', async () => {
    await start(1);
    const c = await connect();
    const chunked = `${Buffer.byteLength(JSON_BODY).toString(16)}\r\n${JSON_BODY}\r\n0\r\nX-Checksum: abc123\r\n\r\n`;
    c.write(rawRequest('POST', '/orders', ['Content-Type: application/json', 'Idempotency-Key: k-tr', 'Transfer-Encoding: chunked', 'Trailer: X-Checksum'], chunked));
    expect((await c.response()).status).to.equal(201);
    await h.proxy.settle(5000);
    const [o] = originals();
    expect(up.values(o, 'trailer')).to.deep.equal(['X-Checksum']);
    expect(o.rawTrailers).to.deep.equal(['X-Checksum', 'abc123']);
    expect(o.body.toString()).to.equal(JSON_BODY);
    expect(copies()[0].body.toString()).to.equal(JSON_BODY);
  });

  it('6a. two Idempotency-Key lines reach the upstream as two lines (never merged), and are not duplicated', async () => {
    await start(1);
    const c = await connect();
    c.write(rawRequest('POST', '/orders', ['Idempotency-Key: k1', 'Authorization: Bearer a', 'Authorization: Bearer b', ...jsonLines('k2')], JSON_BODY));
    expect((await c.response()).status).to.equal(201);
    await h.proxy.settle(2000);
    expect(up.requests).to.have.length(1);
    expect(up.values(up.requests[0], 'idempotency-key')).to.deep.equal(['k1', 'k2']);
    expect(up.values(up.requests[0], 'authorization')).to.deep.equal(['Bearer a', 'Bearer b']);
    expect(await metricValue(h.metrics, 'doubletap_http_not_duplicated_total', { rule: 'orders', reason: 'ambiguous-key' })).to.equal(1);
  });

  it('6b. Connection: idempotency-key strips nothing: original and copy carry the key the journal records', async () => {
    await start(1);
    const c = await connect();
    c.write(rawRequest('POST', '/orders', ['Connection: keep-alive, idempotency-key, authorization', 'Authorization: Bearer z', ...jsonLines('k-conn')], JSON_BODY));
    expect((await c.response()).status).to.equal(201);
    await h.proxy.settle(5000);
    expect(up.requests).to.have.length(2);
    for (const r of up.requests) {
      expect(up.values(r, 'idempotency-key')).to.deep.equal(['k-conn']);
      expect(up.values(r, 'authorization')).to.deep.equal(['Bearer z']);
      expect(up.values(r, 'connection')).to.not.include('idempotency-key');
    }
    expect(h.journal.entries.map((e) => e.key)).to.deep.equal(['k-conn', 'k-conn']);
  });

  it('6c. repeated Connection lines (found by the fuzz suite) never crash the proxy; the request is forwarded once', async () => {
    await start(1);
    const c = await connect();
    c.write(rawRequest('POST', '/orders', ['Connection: keep-alive', 'Connection: x-a', 'X-A: 1', ...jsonLines('k-conn2')], JSON_BODY));
    expect((await c.response()).status).to.equal(201);
    await h.proxy.settle(5000);
    expect(originals().map((r) => up.values(r, 'idempotency-key'))).to.deep.equal([['k-conn2']]);
    expect(up.values(originals()[0], 'x-a')).to.deep.equal([]); // named in Connection: hop-by-hop
  });

  it('2b. an upstream answer with 1,100 header lines reaches the client whole', async () => {
    const big = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        for (let i = 0; i < 1100; i++) res.setHeader(`r${i}`, 'v');
        res.setHeader('x-last', 'kept');
        res.end('{"ok":true}');
      });
    });
    await new Promise<void>((r) => big.listen(0, '127.0.0.1', r));
    try {
      up = await startRecorder();
      h = await startHarness({ upstream: `http://127.0.0.1:${(big.address() as AddressInfo).port}`, rules: [{ name: 'orders', fraction: 0 }] });
      const c = await connect();
      c.write(rawRequest('POST', '/orders', jsonLines('k-resp'), JSON_BODY));
      const res = await c.response();
      expect([...res.headers.keys()].filter((n) => /^r\d+$/.test(n))).to.have.length(1100);
      expect(res.headers.get('x-last')).to.deep.equal(['kept']);
      expect(res.body).to.equal('{"ok":true}');
    } finally {
      big.closeAllConnections();
      big.close();
    }
  });
});
