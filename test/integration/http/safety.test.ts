// Determinism (same seed → same decisions), halt (no copy after halt returns, every cancel counted),
// dry-run and budget, against a real upstream counting what it received.
import { expect } from 'chai';
import http from 'node:http';
import type { JournalEntry } from '../../../src/journal/types';
import { startUpstream, type TestUpstream } from '../../helpers/upstreams';
import { metricValue, request, rule, sleep, startHarness, type Harness } from './harness';

describe('http proxy safety and determinism', () => {
  let up: TestUpstream;
  let h: Harness;
  afterEach(async () => {
    await h?.close();
    await up?.close();
  });

  const mixed = [
    { kind: 'replay', weight: 2, copies: 2, delay: { dist: 'exponential', mean: '5ms', max: '20ms' } },
    { kind: 'key-reuse', change: { field: 'n', add: 1 } },
    { kind: 'strip-key' },
  ];

  async function runTraffic(seed: number): Promise<Array<Partial<JournalEntry>>> {
    up = await startUpstream({ mode: 'correct' });
    h = await startHarness({ upstream: up.url, rules: [rule(mixed, { fraction: 0.3 })] }, { seed });
    const agent = new http.Agent({ keepAlive: true });
    for (let i = 0; i < 60; i++) await request(h.proxy.url, { agent, headers: { 'idempotency-key': `det-${i}` }, body: JSON.stringify({ n: i }) });
    expect(await h.proxy.settle(5000)).to.equal(true);
    agent.destroy();
    const lines = h.journal.entries.map(({ ts: _t, durationMs: _d, ...rest }) => rest);
    await h.close();
    await up.close();
    return lines.sort((a, b) => (a.id! < b.id! ? -1 : 1));
  }

  it('same seed and traffic → identical journals (minus ts/durations); another seed → different', async () => {
    const a = await runTraffic(7);
    const b = await runTraffic(7);
    const c = await runTraffic(8);
    expect(a).to.deep.equal(b);
    expect(a.filter((e) => e.kind === 'copy').length).to.be.greaterThan(5);
    const picked = (x: typeof a) => x.filter((e) => e.kind === 'original' && e.fault).map((e) => `${e.key}:${e.fault}`);
    expect(picked(a)).to.not.deep.equal(picked(c));
  });

  it('halt cancels every scheduled copy at once; none reaches the upstream afterwards', async () => {
    up = await startUpstream({ mode: 'correct' });
    h = await startHarness({
      upstream: up.url, markCopies: 'x-copy-id',
      rules: [rule([{ kind: 'replay', copies: 2, delay: { dist: 'uniform', min: '20ms', max: '400ms' } }])],
    });
    const agent = new http.Agent({ keepAlive: true });
    await Promise.all(Array.from({ length: 30 }, (_, i) => request(h.proxy.url, { agent, headers: { 'idempotency-key': `h-${i}` }, body: `{"i":${i}}` })));
    await sleep(100);
    expect(h.proxy.pending()).to.be.greaterThan(0);
    h.halt.halt('test');
    const afterHaltPending = h.proxy.pending();
    // Originals keep flowing while halted, and are not duplicated.
    expect((await request(h.proxy.url, { agent, headers: { 'idempotency-key': 'h-after' }, body: '{}' })).status).to.equal(201);
    expect(await h.proxy.settle(2000)).to.equal(true);
    await sleep(450); // past every original delay
    agent.destroy();
    const copies = h.journal.copies();
    const cancelled = copies.filter((c) => c.outcome === 'cancelled');
    const sent = copies.filter((c) => c.outcome !== 'cancelled');
    expect(copies).to.have.length(60);
    expect(cancelled.length).to.be.greaterThan(10);
    expect(afterHaltPending).to.be.at.most(sent.length); // only copies already on the wire were left
    const atUpstream = up.hits.map((x) => x.headers['x-copy-id']).filter(Boolean).sort();
    expect(atUpstream).to.deep.equal(sent.map((c) => c.id).sort());
    expect(up.hitsFor('h-after')).to.have.length(1);
    expect(await metricValue(h.metrics, 'doubletap_http_copies_total', { outcome: 'cancelled' })).to.equal(cancelled.length);
    expect(await metricValue(h.metrics, 'doubletap_http_not_duplicated_total', { reason: 'halted' })).to.equal(1);
  });

  it('close with a copy on the wire: journaled as error (it was sent), not cancelled; budget stays spent', async () => {
    up = await startUpstream({ mode: 'naive', delayMs: 400 });
    h = await startHarness(
      { upstream: up.url, markCopies: 'x-copy-id', rules: [rule([{ kind: 'replay', delay: { dist: 'fixed', value: '0ms' } }])] },
      { budget: { total: 10 } },
    );
    expect((await request(h.proxy.url, { headers: { 'idempotency-key': 'w-1' }, body: '{}' })).status).to.equal(201);
    const deadline = Date.now() + 2000;
    while (up.hitsFor('w-1').length < 2 && Date.now() < deadline) await sleep(5);
    expect(up.hitsFor('w-1')).to.have.length(2); // the copy reached the upstream, which is still working on it
    await h.close();
    const copies = h.journal.copies();
    expect(copies).to.have.length(1);
    expect(copies[0]).to.include({ outcome: 'error', key: 'w-1' });
    expect(h.budget.used).to.equal(1);
    expect(await metricValue(h.metrics, 'doubletap_http_copies_total', { outcome: 'cancelled' })).to.equal(0);
  });

  it('dry-run: every decision journaled, no copy sent', async () => {
    up = await startUpstream({ mode: 'naive' });
    h = await startHarness({ upstream: up.url, rules: [rule([{ kind: 'replay' }])] }, { dryRun: true });
    for (let i = 0; i < 5; i++) await request(h.proxy.url, { headers: { 'idempotency-key': `dr-${i}` }, body: '{}' });
    await sleep(50);
    expect(up.hits).to.have.length(5);
    expect(h.journal.originals().every((o) => o.dryRun === true && o.fault === 'replay' && o.reason === 'dry-run')).to.equal(true);
    expect(await metricValue(h.metrics, 'doubletap_http_not_duplicated_total', { reason: 'dry-run' })).to.equal(5);
  });

  it('budget: copies never exceed the total; the rest counted as budget-total', async () => {
    up = await startUpstream({ mode: 'naive' });
    h = await startHarness({ upstream: up.url, rules: [rule([{ kind: 'replay' }])] }, { budget: { total: 5 } });
    for (let i = 0; i < 20; i++) await request(h.proxy.url, { headers: { 'idempotency-key': `bu-${i}` }, body: '{}' });
    expect(await h.proxy.settle(2000)).to.equal(true);
    expect(up.hits).to.have.length(25);
    // Sent copies have an outcome; the 15 the budget refused are journaled with their reason.
    expect(h.journal.copies().filter((c) => c.outcome !== undefined)).to.have.length(5);
    expect(h.journal.copies().filter((c) => c.reason === 'budget-total')).to.have.length(15);
    expect(await metricValue(h.metrics, 'doubletap_http_not_duplicated_total', { reason: 'budget-total' })).to.equal(15);
    expect(await metricValue(h.metrics, 'doubletap_budget_remaining', {})).to.equal(0);
  });
});
