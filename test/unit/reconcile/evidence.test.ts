import { expect } from 'chai';
import { Journal } from '../../../src/journal/writer';
import type { JournalEntry } from '../../../src/journal/types';
import { booksFor, ruleEvidence } from '../../../src/reconcile/evidence';
import { parseScenario } from '../../../src/scenario/load';

type Line = Omit<JournalEntry, 'ts'>;
function tallyOf(lines: Line[]) {
  const j = new Journal();
  for (const l of lines) j.write(l);
  return j.tally;
}
const originals = (n: number, status: number | undefined, extra: Partial<Line> = {}): Line[] =>
  Array.from({ length: n }, (_, i) => ({ kind: 'original', id: `o-${i}`, rule: 'r', key: `k${i}`, status, fault: 'replay', ...extra }));
const copies = (n: number, outcome: JournalEntry['outcome'], extra: Partial<Line> = {}): Line[] =>
  Array.from({ length: n }, (_, i) => ({ kind: 'copy', id: `c-${i}.1`, of: `o-${i}`, rule: 'r', key: `k${i}`, fault: 'replay', status: 201, outcome, ...extra }));
const ev = (lines: Line[], books: string[] = [], kind: 'http' | 'kafka' = 'http') => ruleEvidence('r', { counts: tallyOf(lines).get('r'), kind, minCopies: 10, books });

describe('reconcile/evidence', () => {
  it('sufficient: enough copies positively replayed, no books needed', () => {
    const e = ev([...originals(12, 201), ...copies(12, 'replayed', { verifiedBy: 'identity' })]);
    expect(e).to.deep.include({ sufficient: true, judged: 12, verified: { header: 0, identity: 12, status: 0, books: 0 } });
  });

  it('unverified copies need the books; with books they are judged by them', () => {
    const lines = [...originals(12, 201), ...copies(12, 'unverified')];
    expect(ev(lines).reason).to.equal('rule r: 12 copies, all `unverified` (answers that name no resource: empty, constant, no id), and no probe reads the books: add a side-effect probe with an invariant over ops(…), or set the rule\'s responseId');
    expect(ev(lines, ['orders grows by ops(r)'])).to.deep.include({ sufficient: true, judged: 12, verified: { header: 0, identity: 0, status: 0, books: 12 } });
  });

  it('says why copies were judged without the answers\' id: it repeated across operations, or echoed the request', () => {
    const repeats = [...originals(12, 201), ...copies(2, 'replayed', { verifiedBy: 'identity' }), ...copies(10, 'unverified', { identityIgnored: 'repeats' })];
    expect(ev(repeats).reason).to.equal(
      'rule r: 12 copies, 10 of them `unverified` (10 judged without the answers\' id, which named one value for different operations: no resource identity), and no probe reads the books: add a side-effect probe with an invariant over ops(…), or set the rule\'s responseId',
    );
    const echo = [...originals(12, 201), ...copies(12, 'unverified', { identityIgnored: 'echo' })];
    expect(ev(echo).reason).to.match(/all `unverified` \(12 whose only ids repeat what the request sent\)/);
    expect(ev(echo, ['orders grows by ops(r)'])).to.deep.include({ sufficient: true, judged: 12 });
    expect(tallyOf(repeats).get('r').identityIgnored).to.deep.equal({ echo: 0, repeats: 10 });
  });

  it('names why nothing succeeded: credentials, an unreachable upstream', () => {
    expect(ev(originals(20, 401)).reason).to.equal('rule r: no original succeeded (the service answered 20 originals: 100% with 401): check the credentials; nothing was tested');
    expect(ev(originals(5, undefined, { error: 'ECONNREFUSED' })).reason).to.match(/100% got no response\): is the upstream up and reachable/);
    expect(ev([]).reason).to.match(/no request matched during the window/);
  });

  it('all copies in error, too few copies, no copy sent (with the reasons)', () => {
    expect(ev([...originals(12, 201), ...copies(12, 'error', { status: 500 })]).reason).to.match(/12 copies, all `error`/);
    expect(ev([...originals(12, 201), ...copies(3, 'replayed')]).reason).to.match(/only 3 of 3 copies .* at least 10 are needed/);
    const dropped = copies(4, undefined, { reason: 'budget-total', status: undefined });
    expect(ev([...originals(4, 201), ...dropped]).reason).to.equal('rule r: no copy was sent (not sent: 4 budget-total): raise the fraction or the budget, or run longer');
  });

  it('lost-reply: the client retries are the duplicates, judged by the books', () => {
    const lines = [...originals(12, 201, { fault: 'lost-reply', clientStatus: 504 }), ...originals(12, 201, { fault: undefined, reason: 'client-retry' })];
    expect(ev(lines)).to.deep.include({ sufficient: false, judged: 0 });
    expect(ev(lines, ['orders grows by ops(r)'])).to.deep.include({ sufficient: true, judged: 12, ops: 12 });
  });

  it('a relay is judged only by the books', () => {
    const lines: Line[] = [
      ...Array.from({ length: 12 }, (_, i): Line => ({ kind: 'original', id: `m-${i}`, relay: 'r', messageId: `p${i}` })),
      ...Array.from({ length: 12 }, (_, i): Line => ({ kind: 'copy', id: `m-${i}.1`, of: `m-${i}`, relay: 'r', messageId: `p${i}` })),
    ];
    expect(ev(lines, [], 'kafka').reason).to.match(/a Kafka copy shows only in the books/);
    expect(ev(lines, ['payments grows by ops(r)'], 'kafka')).to.deep.include({ sufficient: true, judged: 12 });
  });

  it('the tally: first executions count as operations, outside-window lines are skipped', () => {
    const t = tallyOf([
      { kind: 'original', id: 'o-1', rule: 'r', key: 'a', status: 409, fault: 'burst' },
      { kind: 'copy', id: 'c-1.1', of: 'o-1', rule: 'r', key: 'a', status: 201, outcome: 'conflict', verifiedBy: 'status', firstExecution: true },
      { kind: 'original', id: 'o-2', rule: 'r', key: 'b', status: 201, reason: 'outside-window' },
    ]);
    expect(t.get('r')).to.deep.include({ originals: 1, ops: 1, picked: 1, copies: 1, statuses: { '409': 1 } });
  });

  it('booksFor: side-effect upper bounds that name the rule (or *)', () => {
    const s = parseScenario({
      version: 1, name: 'b', http: { upstream: 'http://127.0.0.1:1', rules: [{ name: 'r', fraction: 1 }] },
      probes: { orders: { sql: 'select 1', url: 'env:D' }, dedup_hits: { sql: 'select 1', url: 'env:D' }, all: { sql: 'select 1', url: 'env:D' } },
      invariants: [
        { probe: 'orders', grows_by: '2 * ops(r)' },
        { probe: 'dedup_hits', grows_at_least: 'copies(r, replayed)' },
        { probe: 'all', grows_at_most: 'ops(*)', name: 'everything' },
        { probe: 'orders', grows_at_least: 'ops(r)' },
      ],
    });
    expect(booksFor('r', s.invariants, (p) => (p === 'dedup_hits' ? 'dedup' : 'side-effect'))).to.deep.equal(['orders grows by 2 * ops(r)', 'everything']);
  });
});

describe('reconcile/evidence: a pass-through relay in a forced-redelivery run', () => {
  const relayOriginals: Line[] = Array.from({ length: 20 }, (_, i) => ({ kind: 'original', id: `o-${i}`, relay: 'r', topic: 't', partition: 0, offset: String(i), messageId: `m${i}` }));
  const relayEv = (books: string[], forcedRedelivery: boolean) =>
    ruleEvidence('r', { counts: tallyOf(relayOriginals).get('r'), kind: 'kafka', minCopies: 10, books, forcedRedelivery });

  it('with books, the group re-reads are the duplicates: sufficient without a single copy', () => {
    expect(relayEv(['payments grows by ops(r)'], true)).to.deep.include({ sufficient: true, copies: 0 });
  });

  it('without books, or without a forced redelivery, a relay that copied nothing is not evidence', () => {
    expect(relayEv([], true).sufficient).to.equal(false);
    expect(relayEv(['payments grows by ops(r)'], false).reason).to.match(/no copy was sent/);
  });
});
