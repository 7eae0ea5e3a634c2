// Fuzz-style suite over request framing (issue 15): seeded random requests through raw sockets, with
// hostile variations (Upgrade offers, repeated and Connection-listed headers, chunked bodies with
// trailers, half-close, 1,000+ headers, pipelining, malformed lines). For every request, either the
// proxy refuses it cleanly (4xx or a closed connection, and the upstream never saw it), or the
// upstream saw the original exactly once with the same body and the client got the upstream's answer.
// Afterwards the proxy still serves. Runs in seconds.
import { expect } from 'chai';
import seedrandom from 'seedrandom';
import { RawConnection, startRecorder, type Recorder, type RawResponse } from '../../helpers/raw-http';
import { startHarness, type Harness } from './harness';

const rng = seedrandom('framing-fuzz');
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)];
const chance = (p: number) => rng() < p;

interface Case {
  key: string;
  bytes: string;
  body: string;
  trailers?: string[];
  halfClose: boolean;
  /** Malformed on purpose: refusal is the expected answer, forwarding is allowed only if unchanged. */
  hostile: string | undefined;
}

function makeCase(i: number): Case {
  const key = `fz-${i}`;
  const body = JSON.stringify({ i, note: pick(['', 'é', 'x'.repeat(Math.floor(rng() * 3000)), '\\r\\n']) });
  const lines: string[] = [`Host: ${pick(['proxy.test', 'localhost', '127.0.0.1:1'])}`];
  const hv = pick(['1.1', '1.1', '1.1', '1.0']);
  if (chance(0.2)) lines.push(pick(['Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA', 'Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==']));
  if (chance(0.2)) lines.push(`Connection: ${pick(['keep-alive', 'close', 'idempotency-key', 'x-a, content-type', 'authorization, cookie'])}`);
  if (chance(0.2)) lines.push('X-Dup: a', 'X-Dup: b', 'Authorization: Bearer one', 'Authorization: Bearer two');
  if (chance(0.1)) for (let n = 0; n < 1000 + Math.floor(rng() * 300); n++) lines.push(`F${n}: v`);
  lines.push(`${pick(['Idempotency-Key', 'idempotency-key', 'IDEMPOTENCY-KEY'])}: ${key}`, 'Content-Type: application/json');
  let hostile: string | undefined;
  if (chance(0.12)) {
    hostile = pick(['Bad Header: x', 'X-Ctl: a\u0001b', 'Content-Length: 5\r\nTransfer-Encoding: chunked', 'Transfer-Encoding: gzip, chunked, identity', ' X-Folded: y', 'X-Big: ' + 'b'.repeat(20_000)]);
    lines.push(hostile);
  }
  const chunked = hv === '1.1' && chance(0.3);
  const trailers = chunked && chance(0.5) ? ['X-Checksum', `c${i}`] : undefined;
  let payload: string;
  if (chunked) {
    lines.push('Transfer-Encoding: chunked');
    if (trailers) lines.push('Trailer: X-Checksum');
    const cut = Math.floor(rng() * body.length);
    const parts = [body.slice(0, cut), body.slice(cut)].filter((p) => p.length > 0);
    payload = parts.map((p) => `${Buffer.byteLength(p).toString(16)}\r\n${p}\r\n`).join('') + `0\r\n${trailers ? `${trailers[0]}: ${trailers[1]}\r\n` : ''}\r\n`;
  } else {
    lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
    payload = body;
  }
  const bytes = `POST /orders HTTP/${hv}\r\n${lines.join('\r\n')}\r\n\r\n${payload}`;
  return { key, bytes, body, trailers, halfClose: chance(0.2), hostile };
}

describe('request framing fuzz (issue 15)', function () {
  this.timeout(60_000);
  let up: Recorder;
  let h: Harness;
  before(async () => {
    up = await startRecorder();
    h = await startHarness({
      upstream: up.url, markCopies: 'x-doubletap-copy',
      rules: [{ name: 'orders', match: { method: 'POST', path: '/orders' }, fraction: 0.3, faults: [{ kind: 'replay' }] }],
    });
  });
  after(async () => {
    await h.close();
    await up.close();
  });

  it('200 seeded requests: a clean refusal, or the original once and unchanged with the upstream answer; still up', async () => {
    const port = Number(new URL(h.proxy.url).port);
    const started = Date.now();
    const results: Array<{ c: Case; res?: RawResponse; error?: string }> = [];
    for (let i = 0; i < 200; i++) {
      const c = makeCase(i);
      const conn = new RawConnection(port);
      await conn.connected();
      // Split the bytes at a random point: framing must not depend on how TCP cuts them.
      const cut = Math.floor(rng() * c.bytes.length);
      conn.write(Buffer.from(c.bytes.slice(0, cut), 'utf8'));
      conn.write(Buffer.from(c.bytes.slice(cut), 'utf8'));
      if (c.halfClose) conn.socket.end();
      try {
        results.push({ c, res: await conn.response(5000) });
      } catch (err) {
        results.push({ c, error: (err as Error).message });
      }
      conn.destroy();
    }
    await h.proxy.settle(5000);
    const originals = up.requests.filter((r) => up.values(r, 'x-doubletap-copy').length === 0);
    let forwarded = 0;
    let refused = 0;
    for (const { c, res, error } of results) {
      const seen = originals.filter((r) => up.values(r, 'idempotency-key').includes(c.key));
      const where = `case ${c.key} (${c.hostile ?? 'plain'}, halfClose=${c.halfClose}): ${error ?? res?.status}`;
      expect(seen.length, where).to.be.at.most(1);
      if (seen.length === 1) {
        forwarded++;
        expect(seen[0].body.toString('utf8'), where).to.equal(c.body);
        if (c.trailers) expect(seen[0].rawTrailers, where).to.deep.equal(c.trailers);
        expect(res?.status, where).to.equal(201);
        expect(res?.body, where).to.match(/^\{"id":\d+\}$/);
      } else {
        refused++;
        expect(c.hostile, `${where}: a well-formed request was not forwarded`).to.not.equal(undefined);
        if (res) expect(res.status, where).to.be.within(400, 499);
      }
    }
    expect(forwarded).to.be.greaterThan(150);
    expect(refused).to.be.greaterThan(5);
    // Still up: an ordinary request goes through.
    const last = new RawConnection(port);
    await last.connected();
    last.write(`POST /orders HTTP/1.1\r\nHost: x\r\nIdempotency-Key: after\r\nContent-Length: 2\r\n\r\n{}`);
    expect((await last.response()).status).to.equal(201);
    last.destroy();
    expect(Date.now() - started).to.be.below(45_000);
  });
});
