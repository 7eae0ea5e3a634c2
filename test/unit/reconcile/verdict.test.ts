import { expect } from 'chai';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Journal } from '../../../src/journal/writer';
import type { JournalEntry } from '../../../src/journal/types';
import { readJournal, summarizeJournal, tallyFromJournal } from '../../../src/reconcile/journal-reader';
import { LEAKED_CAP } from '../../../src/reconcile/journal-summary';
import { buildVerdict, verdictExitCode, writeVerdict } from '../../../src/reconcile/verdict';
import { parseScenario } from '../../../src/scenario/load';

const scenario = parseScenario({
  version: 1,
  name: 'checkout',
  seed: 42,
  http: { upstream: 'http://127.0.0.1:1', rules: [{ name: 'create-order', match: { method: 'POST', path: '/orders' }, fraction: 0.5, faults: [{ kind: 'replay' }] }] },
  kafka: { brokers: ['127.0.0.1:9092'], relays: [{ name: 'payments', from: 'a', to: 'b', fraction: 0.1 }] },
  probes: { orders: { sql: 'select count(*) from orders', url: 'env:DATABASE_URL' } },
  invariants: [{ probe: 'orders', grows_by: 'ops(create-order)' }],
});

/** 10 orders; copies: 3 replayed (replay), 2 re-executed (burst), 1 wrong-replay (key-reuse); 4 Kafka messages + 1 copy. */
function fillJournal(j: Journal): void {
  for (let i = 0; i < 10; i++) j.write({ kind: 'original', id: `o-${i}`, rule: 'create-order', key: `k${i}`, status: 201 });
  for (let i = 0; i < 3; i++) j.write({ kind: 'copy', id: `c-${i}.1`, of: `o-${i}`, rule: 'create-order', fault: 'replay', key: `k${i}`, status: 201, outcome: 'replayed' });
  for (let i = 3; i < 5; i++) j.write({ kind: 'copy', id: `c-${i}.1`, of: `o-${i}`, rule: 'create-order', fault: 'burst', key: `k${i}`, status: 201, outcome: 're-executed' });
  j.write({ kind: 'copy', id: 'c-5.1', of: 'o-5', rule: 'create-order', fault: 'key-reuse', key: 'k5', status: 201, outcome: 'wrong-replay' });
  for (let i = 0; i < 4; i++) j.write({ kind: 'original', id: `m-${i}`, relay: 'payments', messageId: `p${i}`, topic: 'a', partition: 0, offset: String(i) });
  j.write({ kind: 'copy', id: 'm-0.1', of: 'm-0', relay: 'payments', messageId: 'p0' });
}

/** The same scenario with the built-in outcome check off: only the invariants decide. */
const invariantsOnly = parseScenario({ ...JSON.parse(JSON.stringify(scenario)), failOn: [] });

const base = { scenario, startedAt: '2025-01-01T00:00:00.000Z', endedAt: '2025-01-01T00:01:00.000Z' };

describe('reconcile/verdict', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dt-verdict-'));
  const file = join(dir, 'journal.jsonl');
  const journal = new Journal(file);
  fillJournal(journal);
  before(() => journal.close());

  it('counts, per-fault outcomes, leaked copies and evidence from tally + journal', async () => {
    const v = await buildVerdict({ ...base, scenario: invariantsOnly, before: { orders: { value: 100 } }, after: { orders: { value: 110 } }, tally: journal.tally, journalFile: file, kafka: { redeliveries: 2 } });
    // Every invariant holds, but 6 copies are fewer than evidence.minCopies (10) and the relay's copy
    // shows only in books that no invariant reads for it: not a pass.
    expect(v.status).to.equal('inconclusive');
    expect(v.reason).to.equal(
      'rule create-order: only 6 of 6 copies have a verdict-bearing outcome (3 replayed, 2 re-executed, 1 wrong-replay); at least 10 are needed (evidence.minCopies): run longer or raise the fraction; ' +
        'relay payments: 1 copy, and a Kafka copy shows only in the books: add an invariant over a side-effect probe that counts ops(payments)',
    );
    expect(v.evidence!['create-order']).to.deep.include({ kind: 'http', judged: 6, books: ['orders grows by ops(create-order)'], sufficient: false });
    expect(v.evidence!.payments).to.deep.include({ kind: 'kafka', copies: 1, judged: 0, books: [], sufficient: false });
    expect(v.seed).to.equal(42);
    expect(v.http).to.deep.equal({ originals: 10, copies: 6, outcomes: { replayed: 3, conflict: 0, rejected: 0, 're-executed': 2, 'wrong-replay': 1, unverified: 0, error: 0, cancelled: 0 } });
    expect(v.kafka).to.deep.equal({ originals: 4, copies: 1, redeliveries: 2 });
    expect(v.rules['create-order']).to.deep.equal({ originals: 10, ops: 10, copies: 6, byFault: { replay: { replayed: 3 }, burst: { 're-executed': 2 }, 'key-reuse': { 'wrong-replay': 1 } } });
    expect(v.probes.orders).to.deep.equal({ before: 100, after: 110, delta: 10 });
    expect(v.invariants[0]).to.include({ ok: true, expected: 10, actual: 10 });
    expect(v.leaked.map((l) => `${l.id}:${l.fault}:${l.key}:${l.of}:${l.outcome}`)).to.deep.equal([
      'c-3.1:burst:k3:o-3:re-executed',
      'c-4.1:burst:k4:o-4:re-executed',
      'c-5.1:key-reuse:k5:o-5:wrong-replay',
    ]);
    expect(v.leakedTotal).to.equal(3);
    expect(verdictExitCode(v.status)).to.equal(4);
  });

  it('fails on wrong-replay copies even when every invariant holds (failOn); the books overrule a new id', async () => {
    const v = await buildVerdict({ ...base, before: { orders: { value: 100 } }, after: { orders: { value: 110 } }, tally: journal.tally, journalFile: file });
    expect(v.status).to.equal('fail');
    expect(v.invariants).to.have.length(2);
    expect(v.invariants[0]).to.include({ ok: true });
    // orders grew by exactly ops: the 2 copies that named a new resource did not write again.
    expect(v.invariants[1]).to.deep.equal({
      name: 'no copy re-executed or wrong-replay', ok: false, expected: 0, actual: 1,
      detail: '1 wrong-replay copy (see the leaked copies); 2 copies named a new resource but the books grew by exactly the operations: the service answers duplicates with fresh ids without executing them (clients may see two ids)',
    });
    // Without books that hold, a new id is a second execution.
    const extra = await buildVerdict({ ...base, before: { orders: { value: 100 } }, after: { orders: { value: 112 } }, tally: journal.tally, journalFile: file });
    expect(extra.invariants[1]).to.include({ ok: false, actual: 3, detail: '2 re-executed, 1 wrong-replay copies (see the leaked copies)' });
    expect(v.reason).to.match(/^1 of 2 invariants violated/);
  });

  it('status precedence: aborted > fail on direct evidence > inconclusive > fail on the books > pass', async () => {
    const tally = journal.tally;
    const wrong = { before: { orders: { value: 100 } }, after: { orders: { value: 112 } } };
    const unread = { before: { orders: { value: 100 } }, after: { orders: { value: null, error: 'probe orders: timed out' } } };
    const fail = await buildVerdict({ ...base, ...wrong, tally });
    expect(fail.status).to.equal('fail');
    // The re-executed copies explain the extra rows: no hint about other writers.
    expect(fail.invariants[0]!.detail).to.equal('orders grew by 12, expected 10 = ops(create-order): 2 extra');
    // Extra rows no copy explains (every copy replayed): other writers may share the table.
    const clean = new Journal();
    for (let i = 0; i < 10; i++) clean.write({ kind: 'original', id: `o-${i}`, rule: 'create-order', key: `k${i}`, status: 201 });
    for (let i = 0; i < 10; i++) clean.write({ kind: 'copy', id: `c-${i}.1`, of: `o-${i}`, rule: 'create-order', fault: 'replay', key: `k${i}`, status: 201, outcome: 'replayed' });
    const hinted = await buildVerdict({ ...base, ...wrong, tally: clean.tally, journalEntries: [] });
    expect(hinted.status).to.equal('fail');
    expect(hinted.invariants[0]!.detail).to.equal(
      'orders grew by 12, expected 10 = ops(create-order): 2 extra (if other writers share what orders counts, a global count cannot be reconciled: use a keyed probe, docs/verdict.md#keyed-probes)',
    );
    expect(fail.reason).to.match(/2 of 2 invariants violated/);
    const inconclusive = await buildVerdict({ ...base, scenario: invariantsOnly, ...unread, tally });
    expect(inconclusive.status).to.equal('inconclusive');
    expect(inconclusive.reason).to.match(/probe orders could not be read/);
    expect(inconclusive.invariants[0]).to.include({ ok: false, actual: null });
    // A probe missing from the snapshots entirely is unreadable too.
    expect((await buildVerdict({ ...base, scenario: invariantsOnly, before: {}, after: {}, tally })).status).to.equal('inconclusive');
    // …but a copy that was a wrong replay is direct evidence: it fails whatever the books say.
    expect((await buildVerdict({ ...base, before: {}, after: {}, tally })).status).to.equal('fail');
    const aborted = await buildVerdict({ ...base, ...unread, tally, aborted: 'halted by operator' });
    expect(aborted).to.include({ status: 'aborted', reason: 'halted by operator' });
    expect([fail, inconclusive, aborted].map((v) => verdictExitCode(v.status))).to.deep.equal([1, 4, 3]);
  });

  it('is inconclusive when no traffic reached the proxy or a relay: nothing was tested', async () => {
    const v = await buildVerdict({ ...base, before: { orders: { value: 5 } }, after: { orders: { value: 5 } }, tally: new Journal().tally });
    expect(v.status).to.equal('inconclusive');
    expect(v.reason).to.match(/^no traffic/);
    expect(verdictExitCode(v.status)).to.equal(4);
  });

  it('caps the leaked list and says how many there are', async () => {
    const entries: JournalEntry[] = [];
    for (let i = 0; i < LEAKED_CAP + 25; i++) entries.push({ ts: '', kind: 'copy', id: `c-${i}`, rule: 'create-order', outcome: 're-executed' });
    const v = await buildVerdict({ ...base, before: { orders: { value: 0 } }, after: { orders: { value: 10 } }, tally: journal.tally, journalEntries: entries });
    expect(v.leaked).to.have.length(LEAKED_CAP);
    expect(v.leakedTotal).to.equal(LEAKED_CAP + 25);
  });

  it('writeVerdict writes verdict.json that parses back', async () => {
    const v = await buildVerdict({ ...base, before: { orders: { value: 1 } }, after: { orders: { value: 11 } }, tally: journal.tally });
    const out = writeVerdict(join(dir, 'run'), v);
    expect(JSON.parse(readFileSync(out, 'utf8'))).to.deep.equal(v);
  });

  it('journal reader: streams entries, rebuilds the tally, skips only a torn last line', async () => {
    const tally = await tallyFromJournal(file);
    expect(tally.get('create-order')).to.deep.include({ originals: 10, ops: 10, copies: 6 });
    expect(tally.get('payments')).to.deep.include({ originals: 4, copies: 1 });
    const torn = join(dir, 'torn.jsonl');
    writeFileSync(torn, readFileSync(file, 'utf8') + '{"ts":"x","kind":"cop');
    const { tally: t2, summary } = await summarizeJournal(torn);
    expect(t2.totals().copies).to.equal(7);
    expect(summary.leakedTotal).to.equal(3);
    const broken = join(dir, 'broken.jsonl');
    writeFileSync(broken, 'not json\n' + readFileSync(file, 'utf8'));
    let n = 0;
    try {
      for await (const _ of readJournal(broken)) n++;
      expect.fail('should throw');
    } catch (err) {
      expect((err as Error).message).to.match(/broken\.jsonl:1: not a journal entry/);
    }
    expect(n).to.equal(0);
  });
});
