import { expect } from 'chai';
import { Tally } from '../../../src/journal/tally';
import type { JournalEntry } from '../../../src/journal/types';
import { evaluateInvariants } from '../../../src/reconcile/invariants';
import type { ProbeReading } from '../../../src/reconcile/types';
import type { Invariant } from '../../../src/scenario/schema-probes';

// 50 successful create-order operations, 7 copies of which 5 replayed.
const tally = new Tally();
for (let i = 0; i < 50; i++) tally.add({ ts: '', kind: 'original', id: `o${i}`, rule: 'create-order', key: `k${i}`, status: 201 } as JournalEntry);
for (let i = 0; i < 7; i++) {
  tally.add({ ts: '', kind: 'copy', id: `c${i}`, of: `o${i}`, rule: 'create-order', outcome: i < 5 ? 'replayed' : 're-executed' } as JournalEntry);
}

const reading = (before: number | null, after: number | null, error?: string): ProbeReading => ({
  before,
  after,
  delta: before !== null && after !== null ? after - before : null,
  ...(error ? { error } : {}),
});

const inv = (i: Partial<Invariant> & { probe: string }) => i as Invariant;

describe('reconcile/invariants', () => {
  it('a probe that did not move while it should have grown is blind, not a failure of the service', () => {
    const readings = { orders: reading(40, 40), hits: reading(3, 3), refunds: reading(0, 0) };
    const [orders, hits, refunds, none] = evaluateInvariants(
      [inv({ probe: 'orders', grows_by: 'ops(create-order)' }), inv({ probe: 'hits', grows_at_least: 'copies(create-order, replayed)' }),
        inv({ probe: 'refunds', grows_by: '0' }), inv({ probe: 'orders', grows_at_most: 'ops(create-order)' })],
      readings,
      tally,
    );
    expect(orders).to.include({ ok: false, blind: true, expected: 50, actual: 0 });
    expect(orders.detail).to.equal('orders did not move while it should have grown by 50 = ops(create-order): it does not see these writes (wrong table, filter or database, or they land after settle), so it proves nothing about duplicates: fix the probe');
    expect(hits).to.include({ ok: false, blind: true, expected: 5 });
    expect(refunds).to.include({ ok: true }).and.not.have.property('blind');
    expect(none).to.include({ ok: true }).and.not.have.property('blind');
  });

  it('grows_by: pass and fail with exact expected/actual and a readable detail', () => {
    const readings = { orders: reading(100, 150), ledger: reading(0, 107), emails: reading(10, 57) };
    const [ok, extra, missing] = evaluateInvariants(
      [inv({ probe: 'orders', grows_by: 'ops(create-order)' }), inv({ probe: 'ledger', grows_by: '2 * ops(create-order)' }), inv({ probe: 'emails', grows_by: 'ops(create-order)' })],
      readings,
      tally,
    );
    expect(ok).to.deep.equal({ name: 'orders grows by ops(create-order)', ok: true, expected: 50, actual: 50, detail: 'orders grew by 50, expected 50 = ops(create-order)' });
    expect(extra).to.include({ ok: false, expected: 100, actual: 107, detail: 'ledger grew by 107, expected 100 = 2 * ops(create-order): 7 extra' });
    expect(missing).to.include({ ok: false, expected: 50, actual: 47, detail: 'emails grew by 47, expected 50 = ops(create-order): 3 missing' });
  });

  it('grows_at_least, grows_at_most, unchanged', () => {
    const readings = { dedup: reading(0, 4), orders: reading(5, 5), mails: reading(0, 9) };
    const results = evaluateInvariants(
      [
        inv({ probe: 'dedup', grows_at_least: 'copies(create-order, replayed)' }),
        inv({ probe: 'dedup', grows_at_most: 'copies(create-order)', name: 'dedup bounded' }),
        inv({ probe: 'orders', unchanged: true }),
        inv({ probe: 'mails', unchanged: true }),
        inv({ probe: 'mails', grows_at_most: '5' }),
      ],
      readings,
      tally,
    );
    expect(results.map((r) => [r.ok, r.expected, r.actual])).to.deep.equal([[false, 5, 4], [true, 7, 4], [true, 0, 0], [false, 0, 9], [false, 5, 9]]);
    expect(results[0]!.detail).to.equal('dedup grew by 4, expected at least 5 = copies(create-order, replayed): 1 short');
    expect(results[0]!.name).to.equal('dedup grows by at least copies(create-order, replayed)');
    expect(results[1]!.name).to.equal('dedup bounded');
    expect(results[3]!.detail).to.equal('mails changed by 9, expected unchanged');
    expect(results[4]!.detail).to.equal('mails grew by 9, expected at most 5: 4 over');
  });

  it('an unreadable probe makes the invariant not ok, saying so', () => {
    const [r] = evaluateInvariants([inv({ probe: 'orders', grows_by: 'ops(create-order)' })], { orders: reading(3, null, 'after: probe orders: timed out') }, tally);
    expect(r).to.deep.equal({ name: 'orders grows by ops(create-order)', ok: false, expected: 50, actual: null, detail: 'probe orders could not be read: after: probe orders: timed out' });
  });
});
