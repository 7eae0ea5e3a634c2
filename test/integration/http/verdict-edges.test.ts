// Regression tests for the accounting edges the verdict depends on (issue 9 part 4): held lost-reply
// replies on halt, copies of failed originals, drops journaled, per-rule keyless sequence, the window.
import { expect } from 'chai';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startUpstream, type TestUpstream } from '../../helpers/upstreams';
import { request, rule, sleep, startHarness, type Harness } from './harness';

const body = JSON.stringify({ sku: 'A-1', amount_cents: 500 });
const json = { 'content-type': 'application/json' };

describe('http proxy: verdict accounting edges', () => {
  let up: TestUpstream | undefined;
  let h: Harness | undefined;
  let failing: http.Server | undefined;
  afterEach(async () => {
    await h?.close();
    await up?.close();
    failing?.closeAllConnections();
    await new Promise((r) => (failing ? failing.close(r) : r(undefined)));
    h = up = failing = undefined;
  });

  it('halt releases a reply held for lost-reply: the client gets the upstream\'s real answer', async () => {
    up = await startUpstream({ mode: 'correct', delayMs: 300 });
    h = await startHarness({ upstream: up.url, rules: [rule([{ kind: 'lost-reply', status: 504 }])] });
    const pending = request(h.proxy.url, { headers: { ...json, 'idempotency-key': 'held-1' }, body });
    await sleep(100); // the upstream is still processing: the reply is held
    h.halt.halt('operator');
    const res = await pending;
    expect(res.status).to.equal(201);
    expect(JSON.parse(res.text)).to.have.property('id', 1);
    expect(up.orders).to.equal(1);
    const [o] = h.journal.originals();
    expect(o).to.include({ status: 201, fault: 'lost-reply' });
    expect(o.clientStatus).to.equal(undefined);
  });

  it('copies of a failed original are not sent, and each planned copy is journaled with its reason', async () => {
    let hits = 0;
    failing = http.createServer((req, res) => {
      hits += 1;
      req.resume();
      req.on('end', () => res.writeHead(503).end('{"error":"down"}'));
    });
    await new Promise<void>((r) => failing!.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(failing.address() as AddressInfo).port}`;
    h = await startHarness({ upstream: url, rules: [rule([{ kind: 'replay', copies: 2 }])] });
    const res = await request(h.proxy.url, { headers: { ...json, 'idempotency-key': 'f-1' }, body });
    expect(res.status).to.equal(503);
    expect(await h.proxy.settle(2000)).to.equal(true);
    await sleep(50);
    expect(hits).to.equal(1);
    const copies = h.journal.copies();
    expect(copies.map((c) => [c.id, c.reason, c.outcome])).to.deep.equal([['c-1.1', 'original-failed', undefined], ['c-1.2', 'original-failed', undefined]]);
    expect(h.sink.tally.get('orders')).to.deep.include({ copies: 0, dropped: { 'original-failed': 2 }, ops: 0 });
  });

  it('a copy refused by the budget at send time is journaled (budget-total), not sent', async () => {
    up = await startUpstream({ mode: 'correct' });
    h = await startHarness({ upstream: up.url, rules: [rule([{ kind: 'replay' }])] }, { budget: { total: 1 } });
    for (const k of ['b-1', 'b-2']) await request(h.proxy.url, { headers: { ...json, 'idempotency-key': k }, body });
    expect(await h.proxy.settle(2000)).to.equal(true);
    expect(up.hits).to.have.length(3);
    // The second copy can be refused before the first one's answer is journaled: order-free.
    expect(h.journal.copies().map((c) => `${c.of}:${c.reason ?? c.outcome}`).sort()).to.deep.equal(['o-1:replayed', 'o-2:budget-total']);
  });

  it('the keyless sequence is per rule: traffic on another rule never shifts this rule\'s picks', async () => {
    up = await startUpstream({ mode: 'naive' });
    const rules = [rule([{ kind: 'replay' }], { name: 'a', fraction: 0.5, match: { method: 'POST', path: '/a' } }), rule([{ kind: 'replay' }], { name: 'b', fraction: 0.5, match: { method: 'POST', path: '/b' } })];
    const picks = async (interleave: boolean): Promise<boolean[]> => {
      h = await startHarness({ upstream: up!.url, rules });
      for (let i = 0; i < 12; i++) {
        await request(h.proxy.url, { path: '/a', headers: json, body });
        if (interleave) await request(h.proxy.url, { path: '/b', headers: json, body });
      }
      const picked = h.journal.originals().filter((o) => o.rule === 'a').map((o) => o.fault !== undefined);
      await h.close();
      h = undefined;
      return picked;
    };
    const alone = await picks(false);
    expect(alone.filter(Boolean).length).to.be.within(1, 11);
    expect(await picks(true)).to.deep.equal(alone);
  });

  it('outside the counting window requests are forwarded, never picked and never counted', async () => {
    up = await startUpstream({ mode: 'naive' });
    h = await startHarness({ upstream: up.url, rules: [rule([{ kind: 'replay' }])] }, { windowClosed: true });
    await request(h.proxy.url, { headers: { ...json, 'idempotency-key': 'w-1' }, body });
    h.proxy.openWindow();
    await request(h.proxy.url, { headers: { ...json, 'idempotency-key': 'w-2' }, body });
    expect(await h.proxy.closeWindow(2000)).to.equal(true);
    await request(h.proxy.url, { headers: { ...json, 'idempotency-key': 'w-3' }, body });
    expect(up.hits.map((x) => x.headers['idempotency-key'])).to.deep.equal(['w-1', 'w-2', 'w-2', 'w-3']);
    expect(h.journal.originals().map((o) => o.reason ?? 'counted')).to.deep.equal(['outside-window', 'counted', 'outside-window']);
    expect(h.sink.tally.get('orders')).to.deep.include({ originals: 1, ops: 1, copies: 1 });
  });
});
