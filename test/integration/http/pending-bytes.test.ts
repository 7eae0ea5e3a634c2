// Issue 15 #15: bodies held for pending copies are bounded in bytes. Past http.maxPendingBytes a
// picked request is forwarded untouched and not duplicated (counted as pending-bytes); once its
// copies are done the bytes come back.
import { expect } from 'chai';
import http from 'node:http';
import { startUpstream, type TestUpstream } from '../../helpers/upstreams';
import { metricValue, request, startHarness, type Harness } from './harness';

describe('pending-copy byte cap (issue 15 #15)', function () {
  this.timeout(45_000);
  let up: TestUpstream;
  let h: Harness;
  afterEach(async () => {
    await h?.close();
    await up?.close();
  });

  it('10 picked 1 MB bodies against a 3 MB cap: 10 originals unchanged, 3 duplicated, 7 counted pending-bytes', async () => {
    up = await startUpstream({ mode: 'correct' });
    h = await startHarness({
      upstream: up.url, markCopies: 'x-copy', maxBodyBytes: 2_000_000, maxPendingBytes: 3_000_000,
      rules: [{ name: 'orders', match: { method: 'POST', path: '/orders' }, fraction: 1, faults: [{ kind: 'replay', delay: { dist: 'fixed', value: '6s' } }] }],
    });
    const body = (i: number) => JSON.stringify({ i, pad: 'x'.repeat(1_000_000 - 20) }).padEnd(1_000_000, ' ');
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 }); // one at a time: a fixed order
    for (let i = 0; i < 10; i++) {
      const r = await request(h.proxy.url, { agent, headers: { 'idempotency-key': `big-${i}`, 'content-type': 'application/json' }, body: body(i) });
      expect(r.status).to.equal(201);
    }
    expect(h.proxy.pending()).to.equal(3);
    expect(await metricValue(h.metrics, 'doubletap_http_not_duplicated_total', { rule: 'orders', reason: 'pending-bytes' })).to.equal(7);
    const originals = up.hits.filter((x) => x.headers['x-copy'] === undefined);
    expect(originals.map((x) => x.body.toString())).to.deep.equal(Array.from({ length: 10 }, (_, i) => body(i)));
    // The copies go out, the bytes are released: the next picked request is duplicated again.
    expect(await h.proxy.settle(20_000)).to.equal(true);
    expect(up.hits.filter((x) => x.headers['x-copy'] !== undefined).map((x) => x.headers['idempotency-key'])).to.deep.equal(['big-0', 'big-1', 'big-2']);
    await request(h.proxy.url, { agent, headers: { 'idempotency-key': 'big-10', 'content-type': 'application/json' }, body: body(10) });
    expect(h.proxy.pending()).to.equal(1);
    expect(await metricValue(h.metrics, 'doubletap_http_not_duplicated_total', { rule: 'orders', reason: 'pending-bytes' })).to.equal(7);
    agent.destroy();
  });
});
