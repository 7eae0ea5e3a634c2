// The truth table: services whose behaviour with duplicates is known in advance (behaviours.ts: real
// HTTP on real PostgreSQL), each run through doubletap twice — with a probe that reads the books and
// without any — and the verdict asserted. Every row says why its verdict is the right one.
import { expect } from 'chai';
import { silentLogger } from '../../../src/log';
import type { Verdict } from '../../../src/reconcile/types';
import { runExperiment } from '../../../src/run/experiment';
import { parseScenario } from '../../../src/scenario/load';
import { tempRunDir } from '../run/e2e-helpers';
import { useBehaviours } from './behaviours';

const OPS = 24;
type Status = Verdict['status'];

interface Row {
  behaviour: string;
  fault?: 'replay' | 'burst';
  /** Copies per original (default 1). */
  copies?: number;
  /** Every extra row is named by a new resource in some copy's answer: with the books, the copies
   * judged re-executed must equal the extra rows exactly. */
  answersShowWrites?: boolean;
  /** With a probe + invariant over the books, and without any. */
  withBooks: Status;
  without: Status;
  why: string;
  /** Expected reason (a fragment) when not a pass. */
  reason?: RegExp;
}

const ROWS: Row[] = [
  { behaviour: 'executes-204', withBooks: 'fail', without: 'inconclusive', reason: /unverified|extra/,
    why: 'identical 204s prove nothing: the books show one extra row per duplicate; without books only "unverified" remains' },
  { behaviour: 'constant-ack', withBooks: 'fail', without: 'inconclusive', reason: /unverified|extra/,
    why: 'a constant {"accepted":true} names no resource: same as 204' },
  { behaviour: 'constant-ref', withBooks: 'fail', without: 'inconclusive', reason: /one value for different operations|extra/,
    why: 'every answer names the same store_id: an id that repeats across operations names no resource, so it proves nothing' },
  { behaviour: 'echo-id', withBooks: 'fail', without: 'inconclusive', reason: /repeat what the request sent|extra/,
    why: 'the answer\'s id is the sku the client sent: an echo names nothing the service made' },
  { behaviour: 'correct-id-types', withBooks: 'pass', without: 'pass', answersShowWrites: true,
    why: 'the first answer says id 5, the replay "5": one resource, so no false alarm' },
  { behaviour: 'rate-limited', withBooks: 'inconclusive', without: 'inconclusive', reason: /all `error`.*429/,
    why: 'every duplicate is throttled (429) before the write: no copy tested the deduplication' },
  { behaviour: 'correct-trimmed-replay', withBooks: 'pass', without: 'pass', answersShowWrites: true,
    why: 'the first answer names order and payment, the replay (200) only the order: the same order, no false alarm' },
  { behaviour: 'header-always', withBooks: 'fail', without: 'inconclusive', reason: /unverified|extra/,
    why: 'the replay header is on every answer, the first too: it proves nothing, so only the books can judge' },
  { behaviour: 'correct-no-header', withBooks: 'pass', without: 'pass', answersShowWrites: true,
    why: 'no replay header and jsonb reorders the keys, but every replay names the same order id (canonical JSON)' },
  { behaviour: 'refuses-401', withBooks: 'inconclusive', without: 'inconclusive', reason: /401.*check the credentials/,
    why: 'nothing succeeded, so nothing was tested; the copies of refused originals are never sent' },
  { behaviour: 'down', withBooks: 'inconclusive', without: 'inconclusive', reason: /no original succeeded.*no response.*upstream/,
    why: 'the upstream is down for the whole window: no operation, no evidence' },
  { behaviour: 'check-then-insert', fault: 'burst', withBooks: 'fail', without: 'fail', reason: /re-executed/, answersShowWrites: true,
    why: 'overlapping copies both pass the check and insert: a second order id in the answer, an extra row in the books' },
  { behaviour: 'correct', withBooks: 'pass', without: 'pass', answersShowWrites: true, why: 'replay header and the same id on every duplicate; the books grow by exactly the operations' },
  { behaviour: 'fresh-id', withBooks: 'pass', without: 'fail', reason: /re-executed/,
    why: 'a new id per duplicate reads as a second write; the books show none were written, and the books win' },
  { behaviour: 'same-body-inserts', withBooks: 'fail', without: 'pass', reason: /extra/,
    why: 'the answer is a faithful replay (same id) but a row is inserted again: only the books can see it' },
  { behaviour: 'fails-duplicates', withBooks: 'inconclusive', without: 'inconclusive', reason: /all `error`/, answersShowWrites: true,
    why: 'every duplicate gets a 500: nothing shows whether it would deduplicate' },
  { behaviour: 'conflict-forever', withBooks: 'pass', without: 'pass', answersShowWrites: true, why: 'every duplicate is refused (409) and never written' },
  { behaviour: 'sometimes-twice', withBooks: 'fail', without: 'fail', reason: /re-executed/, answersShowWrites: true,
    why: 'every third duplicate runs again under a new id' },
  { behaviour: 'last-write-wins', copies: 3, withBooks: 'fail', without: 'fail', reason: /re-executed/, answersShowWrites: true,
    why: 'the first of three copies runs again and its answer is stored; the other two replay it: one re-execution per key, not three' },
];

function scenarioFor(upstream: string, row: Row, tag: string, books: boolean, dbUrl: string, probedTag = tag, bound: 'grows_by' | 'grows_at_most' = 'grows_by') {
  const copies = row.copies ?? 1;
  const fault = row.fault === 'burst' ? { kind: 'burst', copies, within: '5ms' } : { kind: 'replay', copies, delay: { dist: 'uniform', min: '5ms', max: '30ms' } };
  return parseScenario({
    version: 1,
    name: `truth-${tag}`,
    seed: 7,
    duration: '3s',
    settle: '5s',
    timeline: { interval: '250ms' },
    http: { listen: '127.0.0.1:0', upstream, copyTimeout: '3s', rules: [{ name: 'create', match: { method: 'POST', path: '/**' }, fraction: 1, faults: [fault] }] },
    load: {
      http: [{ rule: 'create', url: `/${row.behaviour}/${tag}/orders`, rate: '40/s', total: OPS, concurrency: 4, body: { sku: 'A-{{seq}}' }, retry: { attempts: 1 } }],
    },
    ...(books
      ? { probes: { orders: { sql: `select count(*) from orders where tag = '${probedTag}'`, url: dbUrl } }, invariants: [{ probe: 'orders', [bound]: 'ops(create)' }] }
      : {}),
  });
}

describe('verdict truth table (real services on PostgreSQL)', function () {
  this.timeout(600_000);
  const env = useBehaviours();

  it('a probe that never moves (it counts another tag) is blind: a correct service is inconclusive, not failed with "24 missing"', async () => {
    const row: Row = { behaviour: 'correct', withBooks: 'inconclusive', without: 'pass', why: '' };
    const scenario = scenarioFor(env.svc().url, row, 'blind', true, env.db().url, 'nobody_writes_this_tag');
    const { verdict, exitCode } = await runExperiment(scenario, { reportDir: tempRunDir('blind'), logger: silentLogger(), pretty: false });
    expect(verdict.status, verdict.reason).to.equal('inconclusive');
    expect(exitCode).to.equal(4);
    expect(verdict.reason).to.match(/^orders did not move while it should have grown by \d+ = ops\(create\): it does not see these writes/);
    expect(verdict.invariants[0]).to.include({ ok: false, blind: true, actual: 0 });
    expect(verdict.evidence!.create.outcomes.replayed).to.equal(verdict.evidence!.create.copies);
  });

  it('an upper bound over a probe that never moves holds at 0 but bounds nothing: a service running every duplicate (204) is inconclusive, not a pass', async () => {
    const row: Row = { behaviour: 'executes-204', withBooks: 'inconclusive', without: 'inconclusive', why: '' };
    const scenario = scenarioFor(env.svc().url, row, 'blind_at_most', true, env.db().url, 'nobody_writes_this_tag', 'grows_at_most');
    const { verdict } = await runExperiment(scenario, { reportDir: tempRunDir('blind-at-most'), logger: silentLogger(), pretty: false });
    expect(verdict.status, verdict.reason).to.equal('inconclusive');
    expect(verdict.invariants[0]).to.include({ ok: true, actual: 0 });
    expect(verdict.evidence!.create.books).to.deep.equal([]);
    expect(verdict.reason).to.match(/all `unverified`.*orders grows by at most ops\(create\) did not move while \d+ operations succeeded, so it does not see these writes/);
    // The rows are there, under the service's own tag: every duplicate ran.
    const rows = Number(((await env.db().query(`select count(*) as n from orders where tag = 'blind_at_most'`)) as Array<{ n: string }>)[0].n);
    expect(rows).to.equal(verdict.evidence!.create.ops + verdict.evidence!.create.copies);
  });

  for (const row of ROWS) {
    for (const books of [true, false]) {
      const expected = books ? row.withBooks : row.without;
      it(`${row.behaviour} ${books ? 'with books' : 'without probes'} → ${expected}: ${row.why}`, async () => {
        const tag = `${row.behaviour}-${books ? 'b' : 'n'}`.replace(/-/g, '_');
        const upstream = row.behaviour === 'down' ? 'http://127.0.0.1:1' : env.svc().url;
        const scenario = scenarioFor(upstream, row, tag, books, env.db().url);
        const { verdict, exitCode } = await runExperiment(scenario, { reportDir: tempRunDir(tag), logger: silentLogger(), pretty: false });
        const ev = verdict.evidence!.create;
        const context = `${verdict.status}: ${verdict.reason ?? ''} ${JSON.stringify(ev.outcomes)}`;
        expect(verdict.status, context).to.equal(expected);
        expect(exitCode).to.equal({ pass: 0, fail: 1, aborted: 3, inconclusive: 4 }[expected]);
        if (expected !== 'pass' && row.reason) expect(verdict.reason, context).to.match(row.reason);
        if (row.behaviour === 'down') return expect(ev.ops).to.equal(0);
        // A loaded machine may not send all OPS in the window: the relations below are exact anyway.
        const n = ev.originals;
        expect(n).to.be.within(10, OPS);
        const dropped = Object.values(ev.dropped).reduce((a, b) => a + b, 0);
        if (row.behaviour === 'refuses-401') {
          // Copies of refused originals are journaled as not sent; the service saw only the originals.
          expect(ev.copies).to.equal(0);
          expect(ev.dropped['original-refused']).to.equal(n);
          expect(env.svc().hits.get(tag)).to.equal(n);
          return;
        }
        expect(ev.ops).to.equal(n);
        expect(ev.copies + dropped).to.equal(n * (row.copies ?? 1));
        expect(env.svc().hits.get(tag)).to.equal(n + ev.copies);
        if (books) {
          const rows = Number(((await env.db().query(`select count(*) as n from orders where tag = '${tag}'`)) as Array<{ n: string }>)[0].n);
          expect(verdict.probes.orders.delta).to.equal(rows);
          if (expected !== 'inconclusive') expect(verdict.status === 'pass').to.equal(rows === n);
          if (row.answersShowWrites) expect(ev.outcomes['re-executed'], context).to.equal(rows - n);
        }
      });
    }
  }
});
