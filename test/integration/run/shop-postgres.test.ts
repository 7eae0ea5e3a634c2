// `doubletap run` end to end against the example shop on a real PostgreSQL, through the real proxy:
// naive fails with the exact extra rows the journal explains, correct passes, racy fails only under
// bursts, no-fingerprint is caught as wrong-replay, and the same seed makes the same decisions.
import { expect } from 'chai';
import { startShop, type Shop } from '../../../examples/shop';
import type { RunResult } from '../../../src/run/experiment';
import { createTestPostgres, type TestDatabase } from '../../helpers/databases';
import { decisions, journalCounts, readJournalLines, runFixture } from './e2e-helpers';

describe('doubletap run: the shop on PostgreSQL (e2e)', function () {
  this.timeout(60_000);
  let db: TestDatabase;
  let shop: Shop;
  const vars = (variant: string, seed: number, extra: Record<string, string> = {}) => ({
    SHOP_URL: shop.url, SHOP_DATABASE_URL: db.url, VARIANT: variant, SEED: String(seed), ...extra,
  });
  // Keys are dt-<seed>-…: every run on this one database gets its own seed, so no run replays another's keys.
  const run = (file: string, variant: string, seed: number) => runFixture(file, vars(variant, seed));

  before(async () => {
    db = await createTestPostgres();
    shop = await startShop({ port: 0, databaseUrl: db.url });
  });
  after(async () => {
    await shop?.close();
    await db?.drop();
  });

  describe('correct vs naive, every fault kind', () => {
    let naive: RunResult;
    let correct: RunResult;
    before(async () => {
      naive = await run('shop-mixed.yaml', 'naive', 7);
      correct = await run('shop-mixed.yaml', 'correct', 8);
    });

    it('passes the correct variant: exit 0, every invariant ok, copies absorbed', () => {
      const v = correct.verdict;
      expect(v.status, v.reason).to.equal('pass');
      expect(correct.exitCode).to.equal(0);
      expect(v.invariants).to.have.length(4); // three from the scenario, plus the outcome check
      for (const inv of v.invariants) expect(inv.ok, inv.detail).to.equal(true);
      expect(v.http.copies).to.be.greaterThan(5);
      expect(v.http.outcomes['re-executed']).to.equal(0);
      expect(v.http.outcomes['wrong-replay']).to.equal(0);
      expect(v.http.outcomes.replayed).to.be.greaterThan(0);
      expect(v.leaked).to.deep.equal([]);
    });

    it('fails the naive variant with exactly the extra writes the journal shows', () => {
      const v = naive.verdict;
      const j = journalCounts(readJournalLines(naive.runDir));
      // Every 2xx original (client retries after a lost reply included) wrote an order; so did every
      // copy classified re-executed. Nothing else may have written.
      const expectedDelta = j.originals2xx + j.by('re-executed');
      expect(v.status).to.equal('fail');
      expect(naive.exitCode).to.equal(1);
      expect(v.probes.orders!.delta).to.equal(expectedDelta);
      expect(v.probes.ledger!.delta).to.equal(2 * expectedDelta);
      expect(j.by('error'), 'no ambiguous copies in this run').to.equal(0);

      const orders = v.invariants.find((i) => i.name.startsWith('orders'))!;
      expect(orders.ok).to.equal(false);
      expect(orders.expected).to.equal(j.ops);
      expect(orders.actual).to.equal(expectedDelta);
      const ledger = v.invariants.find((i) => i.name.startsWith('ledger'))!;
      expect([ledger.ok, ledger.expected, ledger.actual]).to.deep.equal([false, 2 * j.ops, 2 * expectedDelta]);
      // Extra rows = re-executed copies + lost-reply retries that wrote again.
      const lostReplies = readJournalLines(naive.runDir).filter((e) => e.kind === 'original' && e.clientStatus === 504).length;
      expect(lostReplies).to.be.greaterThan(0);
      expect(expectedDelta - j.ops).to.equal(j.by('re-executed') + (j.originals2xx - j.ops));
      // A lost reply near the window's end may never be retried: at most one extra write per lost reply.
      expect(j.originals2xx - j.ops).to.be.within(1, lostReplies);
      expect(v.leaked.length).to.equal(j.by('re-executed'));
      expect(v.probes.dedup_hits!.role).to.equal('dedup');
      expect(v.probes.orders!.role).to.equal(undefined); // unmarked = side effect
    });
  });

  describe('racy check-then-insert', () => {
    it('passes with replays only', async () => {
      const r = await run('shop-replay.yaml', 'racy', 21);
      expect(r.verdict.status, r.verdict.reason).to.equal('pass');
      expect(r.verdict.http.outcomes.replayed).to.equal(r.verdict.http.copies);
      expect(r.verdict.http.copies).to.be.greaterThan(5);
    });

    it('fails with bursts, the burst copies re-executed', async () => {
      const r = await run('shop-burst.yaml', 'racy', 22);
      const j = journalCounts(readJournalLines(r.runDir));
      expect(r.verdict.status).to.equal('fail');
      expect(r.exitCode).to.equal(1);
      expect([...j.faults]).to.deep.equal(['burst']);
      expect(j.by('re-executed', 'burst')).to.be.greaterThan(0);
      expect(r.verdict.probes.orders!.delta).to.equal(j.originals2xx + j.by('re-executed'));
      expect(r.verdict.leaked.every((l) => l.fault === 'burst' && l.outcome === 're-executed')).to.equal(true);
    });
  });

  it('flags a replayed response for a changed body as wrong-replay (no-fingerprint, key-reuse)', async () => {
    const r = await run('shop-key-reuse.yaml', 'no-fingerprint', 31);
    const j = journalCounts(readJournalLines(r.runDir));
    const v = r.verdict;
    expect(j.by('wrong-replay', 'key-reuse')).to.be.greaterThan(0);
    expect(j.by('wrong-replay')).to.equal(j.copies);
    expect(v.http.outcomes['wrong-replay']).to.equal(j.copies);
    expect(v.leaked).to.have.length(j.copies);
    expect(v.leaked.every((l) => l.outcome === 'wrong-replay' && l.fault === 'key-reuse')).to.equal(true);
    // The books do not move for a wrong replay, so the count invariants hold; the outcome check
    // (failOn, on by default) fails the run on its own.
    expect(v.probes.orders!.delta).to.equal(j.ops);
    expect(v.invariants.filter((i) => !i.ok).map((i) => [i.name, i.actual])).to.deep.equal([['no copy re-executed or wrong-replay', j.copies]]);
    expect(v.status).to.equal('fail');
    expect(r.exitCode).to.equal(1);
  });

  it('makes the same decisions with the same seed (two runs, fresh databases)', async function () {
    this.timeout(60_000);
    const runs: string[][] = [];
    for (let i = 0; i < 2; i++) {
      const own = await createTestPostgres();
      const s = await startShop({ port: 0, databaseUrl: own.url });
      try {
        const r = await runFixture('shop-mixed.yaml', { SHOP_URL: s.url, SHOP_DATABASE_URL: own.url, VARIANT: 'correct', SEED: '99', DURATION: '2s' }, `seed-${i}`);
        runs.push(decisions(readJournalLines(r.runDir)));
      } finally {
        await s.close();
        await own.drop();
      }
    }
    expect(runs[0]!.length).to.be.greaterThan(5);
    // The load paces by wall clock: a run may send one operation more or less at the window's edge.
    const common = runs[0]!.filter((d) => runs[1]!.includes(d));
    expect(common.length).to.be.at.least(Math.min(runs[0]!.length, runs[1]!.length) - 3);
  });
});
