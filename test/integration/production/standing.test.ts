// Standing proxies armed by runs: pass-through until armed, two replicas armed by one run (merged
// journal, one verdict, the run's budget across both), the lease as a dead man's switch, and a replica
// restarted mid-window coming back disarmed (the run halts: it can no longer see that replica).
import { expect } from 'chai';
import { resolve } from 'node:path';
import { startUpstream, type TestUpstream } from '../../helpers/upstreams';
import { silentLogger } from '../../../src/log';
import { runExperiment } from '../../../src/run/experiment';
import { loadScenario } from '../../../src/scenario/load';
import { fixture as e2eFixture, readJournalLines, tempRunDir } from '../run/e2e-helpers';
import { arming, post, startStanding, type Standing } from './standing-helpers';

const fixture = (name: string) => e2eFixture(`../production/${name}`);

async function send(proxyUrl: string, n: number, prefix: string): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < n; i++) statuses.push((await post(`${proxyUrl}/orders`, { sku: i }, { 'idempotency-key': `${prefix}-${i}` })).status);
  return statuses;
}

/** Keys the upstream saw more than once: each extra request is a copy that reached it. */
function copiesAtUpstream(up: TestUpstream): number {
  const perKey = new Map<string, number>();
  for (const h of up.hits) perKey.set(String(h.headers['idempotency-key']), (perKey.get(String(h.headers['idempotency-key'])) ?? 0) + 1);
  return [...perKey.values()].reduce((s, n) => s + (n - 1), 0);
}

describe('standing proxies armed by a run (real upstream, real child processes)', function () {
  this.timeout(120_000);
  let up: TestUpstream;
  let a: Standing & { ports: { proxy: number; control: number } };
  let b: Standing & { ports: { proxy: number; control: number } };

  before(async () => {
    up = await startUpstream({ mode: 'correct' });
    [a, b] = await Promise.all([startStanding(up.url, 'a'), startStanding(up.url, 'b')]);
  });
  after(async () => {
    await a?.stop();
    await b?.stop();
    await up?.close();
  });

  it('passes everything through, exactly once, while no run has armed it', async () => {
    const before = up.hits.length;
    expect(await send(a.proxyUrl, 30, 'idle-a')).to.deep.equal(Array(30).fill(201));
    expect(await send(b.proxyUrl, 30, 'idle-b')).to.deep.equal(Array(30).fill(201));
    expect(up.hits.length - before).to.equal(60);
    expect((await arming(a.controlUrl)).armed).to.equal(null);
    const metrics = await (await fetch(`${a.controlUrl}/metrics`)).text();
    expect(metrics).to.match(/^doubletap_armed 0$/m);
  });

  it('two replicas, one run: merged journal with ids unique per replica, one verdict, the run\'s budget across both', async () => {
    const before = copiesAtUpstream(up);
    const env = { ...process.env, CONTROL_A: a.controlUrl, CONTROL_B: b.controlUrl, PROXY_A: a.proxyUrl, PROXY_B: b.proxyUrl, UPSTREAM: up.url };
    const r = await runExperiment(loadScenario(fixture('attach.yaml'), env), { reportDir: tempRunDir('attach'), logger: silentLogger(), pretty: false, env });
    const lines = readJournalLines(r.runDir);
    const originals = lines.filter((l) => l.kind === 'original');
    const copies = lines.filter((l) => l.kind === 'copy');
    // Both replicas' lines are in the one journal, each id prefixed by its replica.
    expect(new Set(originals.map((l) => l.replica))).to.deep.equal(new Set(['a', 'b']));
    expect(new Set(lines.map((l) => l.id)).size).to.equal(lines.length);
    expect(copies.every((c) => c.of!.startsWith(`${c.replica}/o-`))).to.equal(true);
    // Every original is picked (fraction 1), far more than the budget on each replica: exactly the
    // budget was sent, split 6 + 6, and exactly that many duplicates reached the upstream.
    for (const replica of ['a', 'b']) expect(originals.filter((l) => l.replica === replica).length).to.be.greaterThan(10);
    // Copies the budget refused are journaled too (reason budget-total, no outcome): not sent.
    const sent = copies.filter((c) => c.outcome !== undefined && c.outcome !== 'cancelled');
    console.log(`      ${originals.length} originals (a ${originals.filter((l) => l.replica === 'a').length}), copies a ${sent.filter((c) => c.replica === 'a').length} b ${sent.filter((c) => c.replica === 'b').length}, ${r.verdict.startedAt} → ${r.verdict.endedAt}`);
    expect(sent.length).to.equal(12);
    expect(sent.filter((c) => c.replica === 'a').length).to.equal(6);
    expect(copiesAtUpstream(up) - before).to.equal(12);
    expect(r.verdict.http.copies).to.equal(12);
    expect(r.verdict.http.originals).to.equal(originals.length);
    expect(r.verdict.http.outcomes.replayed).to.equal(12);
    expect(r.verdict.status, r.verdict.reason).to.equal('pass');
    // The arming is on record, and both replicas are disarmed again.
    const audits = lines.filter((l) => l.kind === 'audit').map((l) => `${l.replica ?? 'run'}:${l.event}`);
    expect(audits).to.include.members(['a:arm', 'b:arm', 'a:disarm', 'b:disarm']);
    expect((await arming(a.controlUrl)).armed).to.equal(null);
    expect((await arming(b.controlUrl)).armed).to.equal(null);
  });

  it('disarms itself when the lease is not renewed (dead man\'s switch), within the stated bound', async () => {
    const leaseMs = 1000;
    const res = await post(`${a.controlUrl}/arm`, {
      runId: 'lease-test', rules: [{ name: 'r', match: { method: 'POST', path: '/orders' }, fraction: 1 }], seed: 1,
      budget: { total: 100, perSecond: 100, inFlight: 4 }, windowEnd: new Date(Date.now() + 60_000).toISOString(), lease: `${leaseMs}ms`,
    });
    expect(res.status, await res.clone().text()).to.equal(200);
    const armedAt = Date.now();
    expect((await arming(a.controlUrl)).armed?.runId).to.equal('lease-test');
    let disarmedAfter = -1;
    while (Date.now() - armedAt < 10_000) {
      if ((await arming(a.controlUrl)).armed === null) {
        disarmedAfter = Date.now() - armedAt;
        break;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    console.log(`      lease ${leaseMs} ms: disarmed ${disarmedAfter} ms after arming`);
    expect(disarmedAfter).to.be.at.least(leaseMs - 50);
    expect(disarmedAfter).to.be.at.most(leaseMs + 1000); // docs/production.md: lease + 1 s
    // Disarmed means pass-through again: one request, one upstream hit.
    const before = up.hits.length;
    await send(a.proxyUrl, 5, 'after-lease');
    await new Promise((r) => setTimeout(r, 300));
    expect(up.hits.length - before).to.equal(5);
  });

  it('a replica restarted mid-window comes back disarmed, and the run halts (aborted)', async () => {
    const env = { ...process.env, CONTROL_A: a.controlUrl, CONTROL_B: b.controlUrl, PROXY_A: a.proxyUrl, PROXY_B: b.proxyUrl, UPSTREAM: up.url, DURATION: '8s', LEASE: '1500ms' };
    const run = runExperiment(loadScenario(fixture('attach.yaml'), env), { reportDir: tempRunDir('restart'), logger: silentLogger(), pretty: false, env });
    await new Promise((r) => setTimeout(r, 2500));
    expect((await arming(b.controlUrl)).armed).not.to.equal(null);
    await b.stop('SIGKILL');
    b = await startStanding(up.url, 'b', b.ports);
    expect((await arming(b.controlUrl)).armed).to.equal(null);
    const r = await run;
    expect(r.verdict.status).to.equal('aborted');
    expect(r.verdict.reason).to.match(/replica b .* lost its arming/);
    expect(r.exitCode).to.equal(3);
    expect((await arming(b.controlUrl)).armed).to.equal(null);
    expect((await arming(a.controlUrl)).armed).to.equal(null);
  });

  it('with --policy, refuses an arm request the policy does not allow (403, every reason), allows one it does', async () => {
    const policy = resolve(__dirname, '..', '..', 'fixtures', 'gate', 'policy-always.yaml');
    const c = await startStanding(up.url, 'c', undefined, ['--policy', policy]);
    try {
      const arm = (rules: unknown[], budget: object) => post(`${c.controlUrl}/arm`, {
        runId: 'policy-test', who: 'alice', rules, seed: 1, budget, windowEnd: new Date(Date.now() + 5000).toISOString(), settle: '1s', lease: '5s',
      });
      const refused = await arm([{ name: 'all', match: { path: '/**' }, fraction: 0.9, faults: [{ kind: 'burst' }] }], { total: 5 });
      expect(refused.status).to.equal(403);
      const body = (await refused.json()) as { reasons: string[] };
      expect(body.reasons.join('\n')).to.match(/path \/\*\* is a pattern/).and.to.match(/fraction 0\.9 is above the ceiling 0\.5/).and.to.match(/budget\.perSecond/);
      expect((await arming(c.controlUrl)).armed).to.equal(null);
      const allowed = await arm([{ name: 'orders', match: { method: 'POST', path: '/orders' }, fraction: 0.1 }], { total: 5, perSecond: 1, inFlight: 1 });
      expect(allowed.status, await allowed.clone().text()).to.equal(200);
      expect((await arming(c.controlUrl)).armed?.runId).to.equal('policy-test');
    } finally {
      await c.stop();
    }
  });
});
