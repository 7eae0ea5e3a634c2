// At-least-once, never loss: 20,000 messages through the relay while (a) the relay process is killed
// with SIGKILL and restarted, (b) the broker is restarted. Every input id comes out at least once, and
// every extra message is accounted for: injected copies (marked) plus redeliveries the relay counted —
// including, after the SIGKILL, those the restarted relay found in the destination's tail.
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { Partitioners } from 'kafkajs';
import type { JournalEntry } from '../../../src/journal/types';
import { runCli, stopCli } from '../../helpers/cli';
import { ensureBroker, uniqueTopic, type TestBroker } from '../../helpers/kafka-broker';
import { client, createTopics, produceAll, readTopic, startTestRelay, testMessage, type ReadMessage } from './kafka-util';

const N = 20_000;
const MARK = 'x-doubletap-copy';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Produces the N messages in paced chunks so the relay works while the fault happens. One idempotent
 * producer with patient retries rides out the broker restart: the test's own input must not be what
 * fails (a producer per chunk met the broker down at connect and gave up after kafkajs' retries).
 */
function pacedProduce(brokers: string[], topic: string): Promise<void> {
  return (async () => {
    const producer = client(brokers, { retries: 60, initialRetryTime: 200, maxRetryTime: 2000 }).producer({ createPartitioner: Partitioners.DefaultPartitioner, idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    try {
      for (let i = 0; i < N; i += 1000) {
        await producer.send({ topic, acks: -1, messages: Array.from({ length: 1000 }, (_, j) => testMessage(i + j, 50, 200)) });
        await sleep(250);
      }
    } finally {
      await producer.disconnect();
    }
  })();
}

function account(out: ReadMessage[]) {
  const ids = new Set(out.map((m) => m.headers['message-id']));
  const marked = out.filter((m) => m.headers[MARK] !== undefined).length;
  const unmarkedExtra = out.length - marked - ids.size;
  return { ids, marked, unmarkedExtra };
}

/** SIGKILL while the relay is mid-stream: its journal has at least `after` originals and is growing. */
async function killWhileBusy(child: ChildProcess, journal: string, after: number): Promise<void> {
  let last = -1;
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; await sleep(5)) {
    const n = existsSync(journal) ? statSync(journal).size : 0;
    if (n > after * 150 && last >= 0 && n > last) break;
    last = n;
  }
  child.kill('SIGKILL');
}

const journalOf = (file: string): JournalEntry[] =>
  readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as JournalEntry);

describe('kafka relay: no loss under crashes (real broker)', function () {
  this.timeout(180_000);
  let broker: TestBroker;

  before(async () => {
    broker = await ensureBroker();
  });

  it('SIGKILL of the relay process mid-stream, then a restart: nothing lost, extras = copies + counted redeliveries', async () => {
    const [brokers, source, dest] = [broker.brokers, uniqueTopic('kill-src'), uniqueTopic('kill-dst')];
    await createTopics(brokers, [source, dest], 3);
    const scenario = join(tmpdir(), `kill-${process.pid}.yaml`);
    writeFileSync(scenario, `version: 1\nname: kill\nseed: 5\nkafka:\n  brokers: [${brokers[0]}]\n  relays:\n    - { name: r, from: ${source}, to: ${dest}, group: g-${dest}, fromBeginning: true, fraction: 0.1, markCopies: ${MARK}, identity: { header: message-id } }\n`);
    // One journal file, appended to by both runs (as a supervisor restarting the same command would).
    const journalFile = join(tmpdir(), `kill-${process.pid}-${Date.now()}.jsonl`);
    const producing = pacedProduce(brokers, source);
    const a = await runCli(['relay', '--scenario', scenario, '--journal', journalFile], { until: 'relaying', timeoutMs: 60_000 });
    await killWhileBusy(a.child, journalFile, 4000);
    await stopCli(a);
    const linesA = journalOf(journalFile).length;
    const b = await runCli(['relay', '--scenario', scenario, '--journal', journalFile], { until: 'relaying', timeoutMs: 60_000 });
    await producing;
    await readTopic(brokers, dest, { done: (m) => new Set(m.map((x) => x.headers['message-id'])).size >= N, idleMs: 5000, timeoutMs: 90_000 });
    await sleep(1000);
    await stopCli(b, 'SIGTERM', 20_000);
    const all = await readTopic(brokers, dest, { idleMs: 2000 });
    const { ids, marked, unmarkedExtra } = account(all);
    expect(ids.size).to.equal(N);
    const lines = journalOf(journalFile);
    const [ja, jb] = [lines.slice(0, linesA), lines.slice(linesA)];
    const injected = lines.filter((e) => e.kind === 'copy' && !e.outcome).length;
    const counted = lines.filter((e) => e.redelivery).length;
    const recovered = jb.filter((e) => e.recovered).length;
    const offsetsA = new Set(ja.filter((e) => e.kind === 'original').map((e) => `${e.topic}/${e.partition}/${e.offset}`));
    const reRelayed = jb.filter((e) => e.kind === 'original' && !e.recovered && offsetsA.has(`${e.topic}/${e.partition}/${e.offset}`));
    console.log(`      out ${all.length}: extras ${all.length - N} = copies ${marked} (journaled ${injected}) + redeliveries ${unmarkedExtra} (counted ${counted}; ${reRelayed.length} journaled by both runs, ${recovered} recovered from the request in flight)`);
    // Every original the second run relayed again was counted, whether or not the first run had
    // journaled it before dying — and nothing else was.
    expect(reRelayed.every((e) => e.redelivery)).to.equal(true);
    expect(unmarkedExtra).to.equal(counted);
    expect(all.length).to.equal(N + marked + counted);
    // Every source message has exactly one original line (not a redelivery): ops() counts N, including
    // the originals in the request in flight at SIGKILL (journaled by the restart, `recovered`).
    const originals = lines.filter((e) => e.kind === 'original' && !e.redelivery);
    expect(originals).to.have.length(N);
    expect(new Set(originals.map((e) => `${e.topic}/${e.partition}/${e.offset}`)).size).to.equal(N);
    expect(marked - injected).to.be.within(0, 1700);
  });

  it('a broker restart mid-stream: nothing lost, extras = injected copies + counted redeliveries', async () => {
    const [brokers, source, dest] = [broker.brokers, uniqueTopic('bounce-src'), uniqueTopic('bounce-dst')];
    await createTopics(brokers, [source, dest], 3);
    const t = await startTestRelay(brokers, { group: `g-${dest}`, from: source, to: dest, fraction: 0.1, markCopies: MARK, identity: { header: 'message-id' } }, { seed: 9 });
    const producing = pacedProduce(brokers, source);
    await readTopic(brokers, dest, { done: (m) => m.length >= 4000, timeoutMs: 30_000 });
    const t0 = Date.now();
    await broker.restart();
    console.log(`      broker restarted in ${Date.now() - t0} ms`);
    await producing;
    await readTopic(brokers, dest, { done: (m) => new Set(m.map((x) => x.headers['message-id'])).size >= N, idleMs: 10_000, timeoutMs: 120_000 });
    expect(await t.relay.settle(10_000)).to.equal(true);
    const all = await readTopic(brokers, dest, { idleMs: 2000 });
    await t.relay.close();
    const { ids, marked, unmarkedExtra } = account(all);
    const stats = t.relay.stats();
    console.log(`      out ${all.length}, stats ${JSON.stringify(stats)}, redelivered ${unmarkedExtra}`);
    expect(ids.size).to.equal(N);
    expect(marked).to.equal(stats.copies);
    expect(unmarkedExtra).to.equal(stats.redeliveries);
    expect(stats.originals).to.equal(N);
  });

  it('a destination that refuses some messages (size, timestamp): nothing lost, the refused ones named and dead-lettered, the rest in order', async () => {
    const [brokers, source, dest, dlt] = [broker.brokers, uniqueTopic('rej-src'), uniqueTopic('rej-dst'), uniqueTopic('rej-dlt')];
    await createTopics(brokers, [source, dlt], 3);
    const admin = client(brokers).admin();
    await admin.connect();
    await admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic: dest, numPartitions: 3, configEntries: [{ name: 'max.message.bytes', value: '20000' }, { name: 'message.timestamp.before.max.ms', value: '3600000' }] }],
    });
    await admin.disconnect();
    const M = 3000;
    const tooBig = (i: number) => i % 250 === 7;
    const tooOld = (i: number) => i % 300 === 11;
    const input = Array.from({ length: M }, (_, i) => ({
      ...testMessage(i, 50, tooBig(i) ? 30_000 : 100),
      ...(tooOld(i) ? { timestamp: String(Date.now() - 2 * 86_400_000) } : {}),
    }));
    const refused = new Set(input.map((_, i) => i).filter((i) => tooBig(i) || tooOld(i)).map((i) => `m-${i}`));
    await produceAll(brokers, source, input, 200);
    const journal = join(tmpdir(), `rej-${process.pid}-${Date.now()}.jsonl`);
    const t = await startTestRelay(brokers, { group: `g-${dest}`, from: source, to: dest, deadLetter: dlt, fraction: 0.1, markCopies: MARK, identity: { header: 'message-id' } }, { seed: 3, journal });
    await readTopic(brokers, dest, { done: (m) => new Set(m.map((x) => x.headers['message-id'])).size >= M - refused.size, timeoutMs: 120_000 });
    expect(await t.relay.settle(10_000)).to.equal(true);
    await t.relay.close();
    const out = await readTopic(brokers, dest, { idleMs: 2000 });
    const aside = await readTopic(brokers, dlt, { idleMs: 2000 });
    await t.journal.close();
    const originals = out.filter((m) => m.headers[MARK] === undefined);
    // Nothing lost: every source message is in the destination or (only the refused) in the dead-letter topic.
    expect(new Set(originals.map((m) => m.headers['message-id']))).to.have.property('size', M - refused.size);
    expect(originals).to.have.length(M - refused.size);
    expect(new Set(aside.map((m) => m.headers['message-id']))).to.deep.equal(refused);
    expect(aside.every((m) => /max.message.bytes|before.max.ms/.test(m.headers['doubletap-rejected']) && m.headers['doubletap-source'].startsWith(`${source}/`))).to.equal(true);
    // Named in the journal, with the reason and where they went.
    const named = journalOf(journal).filter((e) => e.error);
    expect(new Set(named.map((e) => e.messageId))).to.deep.equal(refused);
    expect(named.every((e) => e.deadLetter === dlt)).to.equal(true);
    // The rest in order: per key, the sequence numbers of the delivered originals only ever grow.
    const last = new Map<string, number>();
    for (const m of originals.sort((x, y) => x.partition - y.partition || Number(BigInt(x.offset) - BigInt(y.offset)))) {
      const { key, seq } = JSON.parse(m.value) as { key: string; seq: number };
      expect(seq, `key ${key}`).to.be.above(last.get(key) ?? -1);
      last.set(key, seq);
    }
    const stats = t.relay.stats();
    console.log(`      refused ${refused.size} (dead-lettered ${stats.deadLettered}), relayed ${originals.length}, copies ${out.length - originals.length}`);
    expect(stats).to.include({ originals: M - refused.size, deadLettered: refused.size, redeliveries: 0 });
    expect(out.length - originals.length).to.equal(stats.copies);
  });
});
