// Our own forward path for originals (src/http/forward.ts): what http-proxy did for us must still
// happen, and what it got wrong must not. Each test counts what reached a plain node:http upstream.
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import diagnostics from 'node:diagnostics_channel';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { rule, startHarness, type Harness } from './harness';

interface Hit {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  bytes: number;
  sha256: string;
}

/** An upstream that records every request whole, then lets the test decide the answer. */
async function upstream(answer: (req: http.IncomingMessage, res: http.ServerResponse, hit: Hit) => void): Promise<{ url: string; hits: Hit[]; close(): Promise<void> }> {
  const hits: Hit[] = [];
  const server = http.createServer((req, res) => {
    const hash = createHash('sha256');
    let bytes = 0;
    req.on('data', (c: Buffer) => {
      bytes += c.length;
      hash.update(c);
    });
    req.on('end', () => {
      const hit = { method: req.method!, url: req.url!, headers: req.headers, bytes, sha256: hash.digest('hex') };
      hits.push(hit);
      answer(req, res, hit);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits,
    close: () => new Promise((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}

function rawExchange(url: string, text: string, waitMs = 1500): Promise<{ text: string; closed: boolean }> {
  const { port } = new URL(url);
  return new Promise((resolve) => {
    const s = net.connect(Number(port), '127.0.0.1', () => s.write(text));
    let out = '';
    s.on('data', (d) => (out += d.toString('latin1')));
    s.on('error', () => undefined);
    const timer = setTimeout(() => (s.destroy(), resolve({ text: out, closed: false })), waitMs);
    s.on('close', () => (clearTimeout(timer), resolve({ text: out, closed: true })));
  });
}

describe('forward path for originals', () => {
  let h: Harness | undefined;
  let up: Awaited<ReturnType<typeof upstream>> | undefined;
  afterEach(async () => {
    await h?.close();
    await up?.close();
    h = up = undefined;
  });

  it('the request target reaches the upstream byte for byte (http-proxy folded `//`)', async () => {
    up = await upstream((_req, res) => res.end('ok'));
    h = await startHarness({ upstream: up.url + '/base', rules: [rule([{ kind: 'replay' }], { fraction: 0 })] });
    const targets = ['/a//b///c?x=1&&y=//z', '//double', '/p?q=a?b'];
    for (const path of targets) await rawExchange(h.proxy.url, `GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
    expect(up.hits.map((x) => x.url)).to.deep.equal(targets.map((t) => '/base' + t));
  });

  it('X-Forwarded-* appended, bodiless DELETE framed, HTTP/1.0 client answered with Connection: close', async () => {
    up = await upstream((_req, res) => res.end('done'));
    h = await startHarness({ upstream: up.url, rules: [rule([{ kind: 'replay' }], { fraction: 0 })] });
    const a = await rawExchange(h.proxy.url, 'DELETE /orders/1 HTTP/1.1\r\nHost: shop:8443\r\nX-Forwarded-For: 10.0.0.9\r\nConnection: close\r\n\r\n');
    expect(a.text).to.match(/^HTTP\/1\.1 200/);
    const b = await rawExchange(h.proxy.url, 'GET /old HTTP/1.0\r\nHost: shop\r\n\r\n');
    expect(b.text).to.match(/^HTTP\/1\.1 200/);
    expect(b.text.toLowerCase()).to.include('connection: close');
    expect(b.closed).to.equal(true);
    expect(up.hits).to.have.length(2);
    const del = up.hits[0].headers;
    expect(del['content-length']).to.equal('0');
    expect(del['x-forwarded-for']).to.equal('10.0.0.9,127.0.0.1');
    expect(del['x-forwarded-port']).to.equal('8443');
    expect(del['x-forwarded-proto']).to.equal('http');
    expect(del['x-forwarded-host']).to.equal('shop:8443');
    expect(del.host).to.equal('shop:8443');
  });

  // An 8 MiB body streams on node:http; a small request rides undici and its 8 MiB answer must be held
  // back by undici's own backpressure (onData returning false), with or without a Content-Length.
  for (const c of [
    { name: '8 MiB each way (node:http)', smallRequest: false, chunked: false },
    { name: 'a small request (undici), an 8 MiB answer', smallRequest: true, chunked: false },
    { name: 'a small request (undici), an 8 MiB chunked answer', smallRequest: true, chunked: true },
  ]) {
    it(`${c.name}, with a slow reader: the bodies arrive whole (backpressure, no buffering of the whole)`, async () => {
      const big = Buffer.alloc(8 * 2 ** 20, 7);
      const sent = c.smallRequest ? Buffer.from('{"a":1}') : big;
      up = await upstream((_req, res) => {
        res.writeHead(200, c.chunked ? {} : { 'content-length': big.length });
        res.end(big);
      });
      h = await startHarness({ upstream: up.url, rules: [rule([{ kind: 'replay' }], { fraction: 0 })] });
      const got = await new Promise<{ bytes: number; sha256: string }>((resolve, reject) => {
        const req = http.request(h!.proxy.url + '/orders', { method: 'POST', headers: { 'content-length': sent.length } }, (res) => {
          const hash = createHash('sha256');
          let bytes = 0;
          res.on('data', (chunk: Buffer) => {
            bytes += chunk.length;
            hash.update(chunk);
            // A slow client: the proxy must hold back, not buffer the whole answer.
            res.pause();
            setTimeout(() => res.resume(), 1);
          });
          res.on('end', () => resolve({ bytes, sha256: hash.digest('hex') }));
        });
        req.on('error', reject);
        req.end(sent);
      });
      const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
      expect(up.hits).to.have.length(1);
      expect(up.hits[0].bytes).to.equal(sent.length);
      expect(up.hits[0].sha256).to.equal(sha(sent));
      expect(got).to.deep.equal({ bytes: big.length, sha256: sha(big) });
    });
  }

  it('an upstream that cuts its answer short cuts the client too (no hang), and the next request still works', async () => {
    up = await upstream((req, res) => {
      if (req.url === '/cut') {
        res.writeHead(200, { 'content-length': 1000 });
        res.write('x'.repeat(100));
        setTimeout(() => res.socket?.destroy(), 50);
      } else res.end('fine');
    });
    h = await startHarness({ upstream: up.url, rules: [rule([{ kind: 'replay' }], { fraction: 0 })] });
    const started = Date.now();
    const cut = await rawExchange(h.proxy.url, 'POST /cut HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}', 5000);
    expect(cut.closed).to.equal(true);
    expect(Date.now() - started).to.be.lessThan(3000);
    expect(cut.text).to.match(/^HTTP\/1\.1 200/);
    expect(cut.text.endsWith('x'.repeat(100))).to.equal(true);
    const next = await rawExchange(h.proxy.url, 'POST /ok HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}');
    expect(next.text.endsWith('fine')).to.equal(true);
    expect(up.hits.map((x) => x.url)).to.deep.equal(['/cut', '/ok']);
  });

  it('ordinary requests ride undici, the rest node:http: each reaches the upstream once and unchanged, answers (trailers, repeats) whole', async () => {
    up = await upstream((req, res) => {
      // A chunked answer with trailers and repeated lines, to every request.
      res.setHeader('set-cookie', ['a=1', 'b=2']);
      res.setHeader('x-multi', ['one', 'two']);
      res.setHeader('trailer', 'x-sum');
      res.write(`${req.method} ${req.url}`);
      res.addTrailers({ 'x-sum': 'ok' });
      res.end();
    });
    h = await startHarness({ upstream: up.url, rules: [rule([{ kind: 'replay' }], { fraction: 0 })] });
    // Every request undici makes in this process (the proxy runs here; fraction 0 makes no copies).
    let onUndici = 0;
    const count = (): void => void onUndici++;
    diagnostics.subscribe('undici:request:create', count);
    const big = 'b'.repeat(100 * 1024);
    const cases = [
      { name: 'small POST', undici: true, text: 'POST /small HTTP/1.1\r\nHost: x\r\nContent-Length: 7\r\n\r\n{"a":1}', body: '{"a":1}' },
      { name: 'GET', undici: true, text: 'GET /get?q=1 HTTP/1.1\r\nHost: x\r\n\r\n', body: '' },
      { name: 'POST, empty body', undici: true, text: 'POST /empty HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n', body: '' },
      { name: 'PUT over 16 KiB', undici: false, text: `PUT /big HTTP/1.1\r\nHost: x\r\nContent-Length: ${big.length}\r\n\r\n${big}`, body: big },
      { name: 'chunked POST', undici: false, text: 'POST /chunked HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n', body: 'hi' },
      { name: 'Expect: 100-continue', undici: false, text: 'POST /expect HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nhi', body: 'hi' },
      { name: 'bodiless DELETE', undici: false, text: 'DELETE /gone HTTP/1.1\r\nHost: x\r\n\r\n', body: '' },
    ];
    try {
      for (const c of cases) {
        const before = onUndici;
        const hits = up.hits.length;
        const reply = await rawExchange(h.proxy.url, c.text.replace('\r\n', '\r\nConnection: close\r\n'), 3000);
        expect(onUndici - before, `${c.name}: on undici`).to.equal(c.undici ? 1 : 0);
        expect(up.hits.length - hits, `${c.name}: reached the upstream`).to.equal(1);
        const hit = up.hits[hits];
        expect(hit.bytes, c.name).to.equal(c.body.length);
        expect(hit.sha256, c.name).to.equal(createHash('sha256').update(c.body).digest('hex'));
        expect(hit.headers['x-forwarded-for'], c.name).to.equal('127.0.0.1');
        // Node's server says 100 Continue to an Expect itself, before the answer.
        const text = reply.text.replace(/^HTTP\/1\.1 100 Continue\r\n\r\n/, '');
        const [head, rest] = text.split('\r\n\r\n');
        expect(head, c.name).to.match(/^HTTP\/1\.1 200/);
        expect(head.match(/^set-cookie: .*$/gim), c.name).to.deep.equal(['set-cookie: a=1', 'set-cookie: b=2']);
        expect(head, c.name).to.match(/^x-multi: one, two$/im);
        // The chunked body, then the trailer the upstream added.
        expect(rest, c.name).to.include(`${hit.method} ${hit.url}`);
        expect(text, c.name).to.match(/\r\n0\r\nx-sum: ok\r\n\r\n$/i);
      }
    } finally {
      diagnostics.unsubscribe('undici:request:create', count);
    }
    expect(up.hits.map((x) => x.url)).to.deep.equal(['/small', '/get?q=1', '/empty', '/big', '/chunked', '/expect', '/gone']);
  });
});
