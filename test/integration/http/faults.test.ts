// Each fault against a correct idempotent upstream and a naive one: what reached the upstream
// (count, timing, headers, body) and the outcome of every copy.
import { createHash } from 'node:crypto';
import { expect } from 'chai';
import { startUpstream, type TestUpstream } from '../../helpers/upstreams';
import { metricValue, request, rule, sleep, startHarness, type Harness } from './harness';

describe('http proxy faults', () => {
  let up: TestUpstream;
  let h: Harness;
  afterEach(async () => {
    await h?.close();
    await up?.close();
  });

  async function setup(mode: 'correct' | 'naive' | 'key-only', faults: unknown[], extra: Record<string, unknown> = {}, delayMs = 0): Promise<void> {
    up = await startUpstream({ mode, delayMs });
    h = await startHarness({ upstream: up.url, rules: [rule(faults)], ...extra });
  }
  const body = JSON.stringify({ sku: 'A-1', amount_cents: 500 });
  const post = (key: string | undefined, b = body) =>
    request(h.proxy.url, { headers: { 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}) }, body: b });

  it('replay: N copies after the response, delayed, byte-identical; replayed vs re-executed', async () => {
    for (const mode of ['correct', 'naive'] as const) {
      await setup(mode, [{ kind: 'replay', copies: 2, delay: { dist: 'uniform', min: '30ms', max: '60ms' } }], { markCopies: 'x-doubletap-copy' });
      const res = await post('k-1');
      expect(res.status).to.equal(201);
      const doneAt = performance.now();
      expect(await h.proxy.settle(3000)).to.equal(true);
      const hits = up.hitsFor('k-1');
      expect(hits).to.have.length(3);
      const [orig, ...copies] = hits;
      expect(orig.headers['x-doubletap-copy']).to.equal(undefined);
      for (const c of copies) {
        expect(c.body.toString()).to.equal(body);
        expect(c.at).to.be.greaterThan(doneAt + 25); // delay counted from the original's response
        expect(c.headers['x-doubletap-copy']).to.match(/^c-1\.[12]$/);
        expect(c.headers['x-forwarded-for']).to.equal(orig.headers['x-forwarded-for']);
      }
      const outcomes = h.journal.copies().map((c) => c.outcome);
      expect(outcomes).to.deep.equal(mode === 'correct' ? ['replayed', 'replayed'] : ['re-executed', 're-executed']);
      expect(up.orders).to.equal(mode === 'correct' ? 1 : 3);
      const o = h.journal.originals()[0];
      expect(h.journal.copies().every((c) => c.of === o.id && c.bodySha256 === o.bodySha256)).to.equal(true);
      expect(await metricValue(h.metrics, 'doubletap_http_copies_total', { fault: 'replay', outcome: outcomes[0]! })).to.equal(2);
      await h.close();
      await up.close();
    }
  });

  it('burst: K copies overlap the in-flight original; conflict (correct) vs re-executed (naive)', async () => {
    for (const mode of ['correct', 'naive'] as const) {
      await setup(mode, [{ kind: 'burst', copies: 3, within: '20ms' }], {}, 150);
      const res = await post('b-1');
      expect(res.status).to.equal(201);
      expect(await h.proxy.settle(3000)).to.equal(true);
      const hits = up.hitsFor('b-1');
      expect(hits).to.have.length(4);
      // Every copy started within the window, while the original (150 ms) was still processing.
      for (const c of hits.slice(1)) expect(c.at - hits[0].at).to.be.lessThan(20 + 40);
      const outcomes = h.journal.copies().map((c) => c.outcome);
      expect(outcomes).to.deep.equal(mode === 'correct' ? ['conflict', 'conflict', 'conflict'] : ['re-executed', 're-executed', 're-executed']);
      expect(up.orders).to.equal(mode === 'correct' ? 1 : 4);
      await h.close();
      await up.close();
    }
  });

  it('lost-reply: the original commits, the client gets 504; its retry passes untouched once', async () => {
    await setup('correct', [{ kind: 'lost-reply', status: 504 }]);
    const first = await post('l-1');
    expect(first.status).to.equal(504);
    expect(JSON.parse(first.text)).to.deep.equal({ error: 'gateway timeout' });
    expect(up.orders).to.equal(1);
    const retry = await post('l-1');
    expect(retry.status).to.equal(201);
    expect(retry.headers['idempotent-replayed']).to.equal('true');
    expect(up.hitsFor('l-1')).to.have.length(2); // the original and the client's own retry, no copy
    const [o1, o2] = h.journal.originals();
    expect(o1).to.include({ status: 201, clientStatus: 504, fault: 'lost-reply', key: 'l-1' });
    expect(o2).to.include({ status: 201, key: 'l-1', reason: 'client-retry' });
    expect(h.journal.copies()).to.have.length(0);
    expect(await metricValue(h.metrics, 'doubletap_http_not_duplicated_total', { reason: 'client-retry' })).to.equal(1);
  });

  it('lost-reply with reset: the client connection is reset after the upstream committed', async () => {
    await setup('naive', [{ kind: 'lost-reply', reset: true }]);
    const err = await post('r-1').then(() => undefined, (e: NodeJS.ErrnoException) => e);
    expect(err?.code).to.be.oneOf(['ECONNRESET', 'socket hang up']);
    expect(up.orders).to.equal(1);
  });

  it('key-reuse: same key, changed body; rejected (correct) vs re-executed (naive)', async () => {
    for (const mode of ['correct', 'naive'] as const) {
      await setup(mode, [{ kind: 'key-reuse', change: { field: 'amount_cents', add: 1 } }]);
      await post('kr-1');
      expect(await h.proxy.settle(3000)).to.equal(true);
      const hits = up.hitsFor('kr-1');
      expect(hits).to.have.length(2);
      expect(JSON.parse(hits[1].body.toString())).to.deep.equal({ sku: 'A-1', amount_cents: 501 });
      expect(hits[1].headers['content-length']).to.equal(String(hits[1].body.length));
      expect(h.journal.copies()[0].outcome).to.equal(mode === 'correct' ? 'rejected' : 're-executed');
      expect(h.journal.copies()[0].bodySha256).to.not.equal(h.journal.originals()[0].bodySha256);
      await h.close();
      await up.close();
    }
  });

  it('key-reuse against an upstream that dedups on the key alone: wrong-replay', async () => {
    await setup('key-only', [{ kind: 'key-reuse', change: { field: 'sku', set: 'A-2' } }]);
    await post('wr-1');
    expect(await h.proxy.settle(3000)).to.equal(true);
    // The changed field keeps its type and no marker field is added.
    expect(JSON.parse(up.hitsFor('wr-1')[1].body.toString())).to.deep.equal({ sku: 'A-2', amount_cents: 500 });
    expect(h.journal.copies()[0].outcome).to.equal('wrong-replay');
    expect(up.orders).to.equal(1);
  });

  it('strip-key: copy without the key; rejected (correct) vs re-executed (naive)', async () => {
    for (const mode of ['correct', 'naive'] as const) {
      await setup(mode, [{ kind: 'strip-key' }]);
      await post('s-1');
      expect(await h.proxy.settle(3000)).to.equal(true);
      expect(up.hits).to.have.length(2);
      expect(up.hits[1].headers['idempotency-key']).to.equal(undefined);
      expect(up.hits[1].body.toString()).to.equal(body);
      expect(h.journal.copies()[0].outcome).to.equal(mode === 'correct' ? 'rejected' : 're-executed');
      await h.close();
      await up.close();
    }
  });

  // 5,000 bytes ride undici, which collects the body and hands it to the exchange; 50,000 stream on
  // node:http (over BUFFERED_BODY_MAX) and are teed. Both paths must keep and refuse bodies alike.
  for (const size of [5_000, 50_000]) {
    it(`body over maxBodyBytes (${size} bytes): forwarded whole, not duplicated (body-too-large)`, async () => {
      await setup('naive', [{ kind: 'replay' }], { maxBodyBytes: 1000 });
      const big = 'x'.repeat(size);
      const res = await post('big-1', big);
      expect(res.status).to.equal(201);
      await h.proxy.settle(2000);
      await sleep(50);
      expect(up.hits).to.have.length(1);
      expect(up.hits[0].body.toString()).to.equal(big);
      expect(await metricValue(h.metrics, 'doubletap_http_not_duplicated_total', { reason: 'body-too-large' })).to.equal(1);
      expect(h.journal.copies().map((c) => c.reason)).to.deep.equal(['body-too-large']);
    });

    it(`a picked ${size}-byte body: each copy carries it byte for byte, journaled with its SHA-256`, async () => {
      await setup('naive', [{ kind: 'replay', copies: 2 }], { maxBodyBytes: 100_000 });
      const b = JSON.stringify({ pad: 'y'.repeat(size - 12) });
      expect((await post('b-1', b)).status).to.equal(201);
      expect(await h.proxy.settle(3000)).to.equal(true);
      expect(up.hits.map((hit) => hit.body.toString() === b)).to.deep.equal([true, true, true]);
      const sha = createHash('sha256').update(b).digest('hex');
      expect(h.journal.originals()[0].bodySha256).to.equal(sha);
      expect(h.journal.copies().map((c) => [c.bodySha256, c.outcome])).to.deep.equal([[sha, 're-executed'], [sha, 're-executed']]);
    });
  }
});
