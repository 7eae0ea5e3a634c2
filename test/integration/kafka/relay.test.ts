// The relay against a real broker: the seeded fraction (exact count), reproducibility, per-key order,
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JournalEntry } from '../../../src/journal/types';
// dry-run and halt. Counts come from reading the destination topic back.
import { expect } from 'chai';
import { decide } from '../../../src/chaos/decide';
import { ensureBroker, uniqueTopic } from '../../helpers/kafka-broker';
import { createTopics, produceAll, readTopic, startTestRelay, testMessage, type ReadMessage } from './kafka-util';

const N = 2000;
const FRACTION = 0.1;
const MARK = 'x-doubletap-copy';

function pickedIds(seed: number): Set<string> {
  const rule = { name: 'r', fraction: FRACTION, faults: [{ weight: 1 }] };
  const ids = new Set<string>();
  for (let i = 0; i < N; i++) if (decide(seed, rule, `m-${i}`).picked) ids.add(`m-${i}`);
  return ids;
}

const copiesIn = (msgs: ReadMessage[]) => msgs.filter((m) => m.headers[MARK] !== undefined);
const originalsIn = (msgs: ReadMessage[]) => msgs.filter((m) => m.headers[MARK] === undefined);

describe('kafka relay (real broker)', function () {
  this.timeout(120_000);
  let brokers: string[];
  let source: string;

  before(async () => {
    const t0 = Date.now();
    brokers = (await ensureBroker()).brokers;
    console.log(`      broker ready in ${Date.now() - t0} ms`);
    source = uniqueTopic('relay-src');
    await createTopics(brokers, [source], 3);
    await produceAll(brokers, source, Array.from({ length: N }, (_, i) => testMessage(i)));
  });

  async function relayOnce(seed: number, extra: Record<string, unknown> = {}, dryRun = false, journal?: string) {
    const dest = uniqueTopic('relay-dst');
    await createTopics(brokers, [dest], 3);
    const t = await startTestRelay(brokers, { group: `g-${dest}`, from: source, to: dest, fraction: FRACTION, markCopies: MARK, identity: { header: 'message-id' }, ...extra }, { seed, dryRun, journal });
    const expected = dryRun ? N : N + pickedIds(seed).size;
    const out = await readTopic(brokers, dest, { done: (m) => m.length >= expected, timeoutMs: 60_000 });
    expect(await t.relay.settle(5000)).to.equal(true);
    // Nothing beyond the exact expectation arrives later.
    const late = await readTopic(brokers, dest, { done: (m) => m.length > expected, idleMs: 1500 });
    await t.relay.close();
    return { out: late.length > out.length ? late : out, t };
  }

  it('duplicates exactly the seeded set, within the statistical bound, and keeps key, value and headers', async () => {
    const picked = pickedIds(42);
    // Binomial(2000, 0.1): 3 sigma is ±0.020.
    expect(Math.abs(picked.size / N - FRACTION)).to.be.below(0.02);
    const { out, t } = await relayOnce(42);
    const copies = copiesIn(out);
    expect(originalsIn(out)).to.have.length(N);
    expect(copies).to.have.length(picked.size);
    expect(new Set(copies.map((c) => c.headers['message-id']))).to.deep.equal(picked);
    expect(t.relay.stats()).to.deep.include({ originals: N, copies: picked.size, redeliveries: 0, deadLettered: 0 });
    const byId = new Map(originalsIn(out).map((m) => [m.headers['message-id'], m]));
    for (const c of copies) {
      const o = byId.get(c.headers['message-id'])!;
      expect([c.key, c.value, c.timestamp]).to.deep.equal([o.key, o.value, o.timestamp]);
    }
    const metrics = await t.metrics.registry.getSingleMetricAsString('doubletap_kafka_messages_total');
    expect(metrics).to.include(`doubletap_kafka_messages_total{relay="r",kind="original"} ${N}`);
    expect(metrics).to.include(`doubletap_kafka_messages_total{relay="r",kind="copy"} ${picked.size}`);
  });

  it('is reproducible: same seed → same duplicated ids; another seed → another set', async () => {
    const a = await relayOnce(42);
    const b = await relayOnce(7);
    const idsA = new Set(copiesIn(a.out).map((m) => m.headers['message-id']));
    const idsB = new Set(copiesIn(b.out).map((m) => m.headers['message-id']));
    expect(idsA).to.deep.equal(pickedIds(42));
    expect(idsB).to.deep.equal(pickedIds(7));
    expect(idsA).to.not.deep.equal(idsB);
  });

  it('keeps the per-key order of originals', async () => {
    const { out } = await relayOnce(42, { copies: 2, delay: { dist: 'uniform', min: 0, max: '50ms' } });
    const lastSeq = new Map<string, number>();
    for (const m of originalsIn(out).sort((x, y) => x.partition - y.partition || Number(BigInt(x.offset) - BigInt(y.offset)))) {
      const { key, seq } = JSON.parse(m.value) as { key: string; seq: number };
      expect(seq, `key ${key}`).to.equal((lastSeq.get(key) ?? -1) + 1);
      lastSeq.set(key, seq);
    }
    expect([...lastSeq.values()].reduce((s, v) => s + v + 1, 0)).to.equal(N);
  });

  it('dry-run journals the decisions and produces no copy', async () => {
    const journalFile = join(mkdtempSync(join(tmpdir(), 'dt-relay-dry-')), 'journal.jsonl');
    const { out, t } = await relayOnce(42, {}, true, journalFile);
    await t.journal.close();
    expect(out).to.have.length(N);
    const tally = t.journal.tally.get('r');
    expect(tally.originals).to.equal(N);
    // Decisions are journaled (dryRun: true) but are not copies: the tally counts none.
    expect(tally.copies).to.equal(0);
    expect(t.relay.stats().copies).to.equal(0);
    const lines = readFileSync(journalFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as JournalEntry);
    const decided = new Set(lines.filter((l) => l.kind === 'copy' && l.dryRun).map((l) => l.messageId));
    expect(decided).to.deep.equal(pickedIds(42));
  });

  it('halt cancels every scheduled copy; none is produced after halt returns', async () => {
    const dest = uniqueTopic('relay-halt');
    await createTopics(brokers, [dest], 3);
    const t = await startTestRelay(brokers, { group: `g-${dest}`, from: source, to: dest, fraction: 0.5, markCopies: MARK, delay: { dist: 'fixed', value: '3s' } });
    await readTopic(brokers, dest, { done: (m) => m.length >= N, timeoutMs: 60_000 });
    // every original is out; the copies wait 3 s
    const pending = t.relay.pending();
    expect(pending).to.be.greaterThan(800);
    t.halt.halt('test');
    expect(t.relay.pending()).to.equal(0);
    await new Promise((r) => setTimeout(r, 3500));
    const out = await readTopic(brokers, dest, { idleMs: 1500 });
    expect(copiesIn(out)).to.have.length(0);
    expect(out).to.have.length(N);
    expect(t.journal.tally.get('r').outcomes.cancelled).to.equal(pending);
    await t.relay.close();
  });
});
