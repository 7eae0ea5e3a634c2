import { expect } from 'chai';
import type { JournalEntry } from '../../../src/journal/types';
import { applyInfraFaults, readInfraFaults } from '../../../src/reconcile/infra-faults';
import { StoreDownEvaluator, storeDownInvariant } from '../../../src/reconcile/store-down';
import type { Verdict } from '../../../src/reconcile/types';
import { parseScenarioText } from '../../../src/scenario/load';

const scenario = (declared = 'fail-closed') =>
  parseScenarioText(`version: 1\nname: x\nduration: 10s\nhttp:\n  upstream: http://127.0.0.1:1\n  rules: [{ name: pay, fraction: 0.5, onStoreDown: ${declared} }, { name: browse, fraction: 0.5 }]\n`);

const T0 = Date.parse('2026-12-01T10:00:00.000Z');
const at = (ms: number) => new Date(T0 + ms).toISOString();
const link: JournalEntry = { ts: at(3000), kind: 'link', id: 'l-redis-0', link: 'redis', mode: 'refuse', start: at(1000), end: at(3000), connections: 2 };
/** An attempt that started at `startMs` and took `durationMs`. */
const attempt = (kind: 'original' | 'copy', rule: string, startMs: number, durationMs: number, status: number, outcome?: JournalEntry['outcome']): JournalEntry =>
  ({ ts: at(startMs + durationMs), kind, id: `${kind}-${startMs}`, rule, status, durationMs, ...(outcome ? { outcome } : {}) });

function evaluate(entries: JournalEntry[], declared?: string) {
  const e = new StoreDownEvaluator(scenario(declared), entries.filter((x) => x.kind === 'link'));
  entries.forEach((x) => e.add(x));
  return e.results();
}

describe('store-down evaluation', () => {
  it('fail-closed: originals and copies inside the outage got errors; attempts outside it do not count', () => {
    const r = evaluate([
      attempt('original', 'pay', 500, 10, 201), // before the window
      attempt('original', 'pay', 1200, 5, 503),
      attempt('copy', 'pay', 1210, 5, 503, 'error'),
      attempt('original', 'pay', 2900, 400, 201), // started inside, answered after: it may have waited
      attempt('original', 'pay', 3100, 5, 201), // after
      link,
    ]).pay;
    expect(r).to.deep.equal({
      declared: 'fail-closed', observed: 'fail-closed',
      originals: { during: 2, succeeded: 0, refused: 1, waited: 1 }, copies: { during: 1, reExecuted: 0, refused: 1, other: 0 },
    });
    expect(storeDownInvariant('pay', r)).to.include({ ok: true, actual: 0 });
  });

  it('fail-open: a success entirely inside the outage, a copy re-executed; declared fail-closed → not ok', () => {
    const r = evaluate([link, attempt('original', 'pay', 1500, 20, 201), attempt('copy', 'pay', 1530, 20, 201, 're-executed')]).pay;
    expect(r.observed).to.equal('fail-open');
    const row = storeDownInvariant('pay', r)!;
    expect(row).to.include({ name: 'store down: pay fail-closed', ok: false, expected: 0, actual: 2 });
    expect(row.detail).to.match(/failed open but declares fail-closed/);
  });

  it('a rule declared fail-open may fail open; undeclared rules are reported, not checked', () => {
    const all = evaluate([link, attempt('original', 'pay', 1500, 20, 201), attempt('original', 'browse', 1500, 20, 201)], 'fail-open');
    expect(storeDownInvariant('pay', all.pay)!.ok).to.equal(true);
    expect(all.browse.observed).to.equal('fail-open');
    expect(storeDownInvariant('browse', all.browse)).to.equal(undefined);
  });

  it('a declared rule with nothing inside an outage turns a pass into inconclusive', async () => {
    const faults = await readInfraFaults(scenario(), { journalEntries: [link, attempt('original', 'pay', 5000, 5, 201)] });
    const verdict = { status: 'pass', invariants: [], kafka: { originals: 0, copies: 0 } } as unknown as Verdict;
    applyInfraFaults(verdict, faults);
    expect(verdict.status).to.equal('inconclusive');
    expect(verdict.reason).to.match(/no request of pay started inside a link outage/);
  });

  it('a violated row turns a pass into fail and counts forced redeliveries from the journal', async () => {
    const s = parseScenarioText(`version: 1\nname: x\nduration: 10s\nhttp:\n  upstream: http://127.0.0.1:1\n  rules: [{ name: pay, fraction: 0.5, onStoreDown: fail-closed }]\nkafka:\n  brokers: [h:1]\n  redeliver: [{ kind: rewind, group: g, topic: t, messages: 3 }]\n`);
    const redeliver: JournalEntry = { ts: at(0), kind: 'redeliver', id: 'r-0', fault: 'rewind', group: 'g', topic: 't', partitions: [{ partition: 0, from: '7', to: '10', count: 3 }], count: 3 };
    const faults = await readInfraFaults(s, { journalEntries: [link, redeliver, attempt('original', 'pay', 1500, 20, 201)] });
    const verdict = { status: 'pass', invariants: [], kafka: { originals: 0, copies: 0 } } as unknown as Verdict;
    applyInfraFaults(verdict, faults);
    expect(verdict.status).to.equal('fail');
    expect(verdict.kafka.forcedRedeliveries).to.deep.equal({ rebalances: 0, rewinds: 1, messages: 3, skipped: 0 });
    expect(verdict.invariants.map((i) => i.ok)).to.deep.equal([false]);
  });
});

describe('reconcile/infra-faults: forced redeliveries', () => {
  const passing = () => ({ status: 'pass', kafka: { originals: 20, copies: 0 }, invariants: [] }) as unknown as Parameters<typeof applyInfraFaults>[0];

  it('a rewind that re-presented no message turns a pass into inconclusive, saying why', () => {
    const v = applyInfraFaults(passing(), { storeDown: {}, redeliveries: { rebalances: 0, rewinds: 1, messages: 0, skipped: 0 } });
    expect(v.status).to.equal('inconclusive');
    expect(v.reason).to.match(/re-presented no message/);
  });

  it('a rewind of 5 messages leaves the pass standing and is reported', () => {
    const v = applyInfraFaults(passing(), { storeDown: {}, redeliveries: { rebalances: 0, rewinds: 1, messages: 5, skipped: 0 } });
    expect(v.status).to.equal('pass');
    expect(v.kafka.forcedRedeliveries).to.deep.equal({ rebalances: 0, rewinds: 1, messages: 5, skipped: 0 });
  });
});
