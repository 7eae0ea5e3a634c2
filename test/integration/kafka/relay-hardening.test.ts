// Issue 16 defects 4, 7, 9 and the two number-bearing cases, issue 9 part 4 (serial sender after a
// failed produce; the tail read off the start-up path), against a real broker. Counts, not timings.
import { expect } from 'chai';
import { Partitioners } from 'kafkajs';
import { createKafka } from '../../../src/kafka/client';
import { restartCheck } from '../../../src/kafka/restart-tail';
import { NotSentError, SerialSender } from '../../../src/kafka/serial-sender';
import { ConfigError } from '../../../src/errors';
import { silentLogger } from '../../../src/log';
import { parseScenario } from '../../../src/scenario/load';
import { ensureBroker, uniqueTopic } from '../../helpers/kafka-broker';
import { client, createTopics, produceAll, readTopic, startTestRelay, testMessage } from './kafka-util';

const MARK = 'x-doubletap-copy';
const ids = (msgs: { headers: Record<string, string> }[]) => msgs.map((m) => m.headers['message-id']);

describe('kafka relay hardening (real broker)', function () {
  this.timeout(180_000);
  let brokers: string[];

  before(async () => {
    brokers = (await ensureBroker()).brokers;
  });

  /** A destination that refuses records over 20 kB, and a serial sender on it with a 30 kB request cap. */
  async function refusingSender(prefix: string) {
    const dest = uniqueTopic(prefix);
    const admin = client(brokers).admin();
    await admin.connect();
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic: dest, numPartitions: 1, configEntries: [{ name: 'max.message.bytes', value: '20000' }] }] });
    await admin.disconnect();
    const section = parseScenario({ version: 1, name: 't', kafka: { brokers, relays: [] } }).kafka!;
    const producer = createKafka(section, silentLogger()).producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    return { dest, producer, sender: new SerialSender(producer, 30_000) };
  }

  it('two relays without --group get groups of their own: each relays all of its source', async () => {
    const [a, b, c, d] = ['grp-a', 'grp-b', 'grp-c', 'grp-d'].map(uniqueTopic);
    await createTopics(brokers, [a, b, c, d], 2);
    await produceAll(brokers, a, Array.from({ length: 200 }, (_, i) => testMessage(i)));
    await produceAll(brokers, c, Array.from({ length: 200 }, (_, i) => testMessage(i)));
    const r1 = await startTestRelay(brokers, { from: a, to: b, fraction: 0 });
    const r2 = await startTestRelay(brokers, { from: c, to: d, fraction: 0 });
    const [outB, outD] = await Promise.all([b, d].map((t) => readTopic(brokers, t, { done: (m) => m.length >= 200 })));
    expect([outB.length, outD.length]).to.deep.equal([200, 200]);
    expect([r1.relay.health().state, r2.relay.health().state]).to.deep.equal(['relaying', 'relaying']);
    await Promise.all([r1.relay.close(), r2.relay.close()]);
  });

  it('a consumer outside doubletap in the relay\'s group: the relay fails naming it', async () => {
    const [source, dest] = [uniqueTopic('foreign-src'), uniqueTopic('foreign-dst')];
    await createTopics(brokers, [source, dest], 4);
    const group = `g-${dest}`;
    const intruder = new (require('kafkajs').Kafka)({ brokers, clientId: 'intruder', logLevel: 0 }).consumer({ groupId: group });
    await intruder.connect();
    await intruder.subscribe({ topic: source, fromBeginning: true });
    let stolen = 0;
    await intruder.run({ eachMessage: async () => void (stolen += 1) });
    await produceAll(brokers, source, Array.from({ length: 400 }, (_, i) => testMessage(i)));
    const t = await startTestRelay(brokers, { group, from: source, to: dest, fraction: 0 });
    const reason = await t.relay.failed;
    expect(reason).to.include(`group ${group} has members this relay did not start (intruder@`);
    expect(t.relay.health()).to.include({ state: 'failed' });
    await t.relay.close();
    await intruder.disconnect();
    console.log(`      the intruder took ${stolen} of 400 before the relay refused`);
  });

  it('maxPending holds exactly: a backlog with 5 copies each never schedules more than the bound, and all arrive', async () => {
    const [source, dest] = [uniqueTopic('pend-src'), uniqueTopic('pend-dst')];
    await createTopics(brokers, [source, dest], 2);
    const N = 1000;
    await produceAll(brokers, source, Array.from({ length: N }, (_, i) => testMessage(i)));
    const t = await startTestRelay(brokers, { group: `g-${dest}`, from: source, to: dest, fraction: 1, copies: 5, maxPending: 200, markCopies: MARK, delay: { dist: 'fixed', value: '200ms' } });
    const out = await readTopic(brokers, dest, { done: (m) => m.length >= 6 * N, timeoutMs: 150_000, idleMs: 10_000 });
    expect(await t.relay.settle(10_000)).to.equal(true);
    await t.relay.close();
    const stats = t.relay.stats();
    console.log(`      peak pending ${stats.peakPending} (bound 200), out ${out.length}`);
    expect(stats.peakPending).to.be.at.most(200).and.above(100);
    expect(out.length).to.equal(6 * N);
    expect(stats).to.include({ originals: N, copies: 5 * N });
  });

  it('a genuine producer duplicate after a clean restart is a new original (with a copy decision), not a redelivery', async () => {
    const [source, dest] = [uniqueTopic('dup-src'), uniqueTopic('dup-dst')];
    await createTopics(brokers, [source, dest], 1);
    await produceAll(brokers, source, Array.from({ length: 100 }, (_, i) => testMessage(i)));
    const relay = { group: `g-${dest}`, from: source, to: dest, fraction: 1, markCopies: MARK, identity: { header: 'message-id' } };
    const first = await startTestRelay(brokers, relay);
    await readTopic(brokers, dest, { done: (m) => m.length >= 200 });
    expect(await first.relay.settle(10_000)).to.equal(true);
    expect(await first.relay.close()).to.equal(true);
    // While the relay is stopped, the producer sends message m-5 again (a new record, same identity).
    await produceAll(brokers, source, [testMessage(5)]);
    const second = await startTestRelay(brokers, relay);
    const out = await readTopic(brokers, dest, { done: (m) => m.length >= 202 });
    expect(await second.relay.settle(10_000)).to.equal(true);
    await second.relay.close();
    expect(second.relay.stats()).to.include({ originals: 1, redeliveries: 0, copies: 1 });
    expect(ids(out).filter((id) => id === 'm-5')).to.have.length(4);
  });

  it('after a produce the destination refuses, no original queued behind it is sent; copies still go', async () => {
    const { dest, producer, sender } = await refusingSender('sender-dst');
    const first = sender.enqueue(dest, { value: 'warm-up' }, 'original');
    // Enqueued in one go: the 30 kB request cap sends the warm-up alone, then the big one alone.
    const big = sender.enqueue(dest, { value: 'x'.repeat(50_000) }, 'original');
    const behind = [1, 2, 3].map((i) => sender.enqueue(dest, { value: `behind-${i}` }, 'original'));
    const copy = sender.enqueue(dest, { value: 'a copy' }, 'copy');
    await first.acked;
    const bigErr = await big.acked.then(() => undefined, (e: unknown) => e);
    expect(bigErr).to.be.instanceOf(Error).and.not.instanceOf(NotSentError);
    for (const b of behind) expect(await b.acked.then(() => undefined, (e: unknown) => e)).to.be.instanceOf(NotSentError);
    await copy.acked;
    await producer.disconnect();
    const out = await readTopic(brokers, dest, { idleMs: 2000 });
    expect(out.map((m) => m.value)).to.deep.equal(['warm-up', 'a copy']);
  });

  it('a chunk of originals settles as one: the acknowledged prefix, then the first failure; nothing behind it is sent', async () => {
    const { dest, producer, sender } = await refusingSender('chunk-dst');
    // The 30 kB request cap: a and b ride the first request, the big one (refused) the second alone.
    const chunk = ['a', 'b', 'x'.repeat(50_000), 'c', 'd'].map((value) => ({ value }));
    const result = sender.enqueueChunk(dest, chunk, chunk.map((m) => m.value.length + 100));
    const copy = sender.enqueue(dest, { value: 'a copy' }, 'copy');
    const { done, failed } = await result;
    expect(done).to.equal(2);
    expect(failed).to.be.instanceOf(Error).and.not.instanceOf(NotSentError);
    await copy.acked;
    expect(await sender.enqueueChunk(dest, [], [])).to.deep.equal({ done: 0, failed: undefined });
    await producer.disconnect();
    const out = await readTopic(brokers, dest, { idleMs: 2000 });
    expect(out.map((m) => m.value)).to.deep.equal(['a', 'b', 'a copy']);
  });

  it('the restart tail read runs in the background: restartCheck returns before it ends', async () => {
    const [source, dest] = [uniqueTopic('tail-src'), uniqueTopic('tail-dst')];
    await createTopics(brokers, [source, dest], 1);
    await produceAll(brokers, dest, Array.from({ length: 3000 }, (_, i) => testMessage(i)));
    const relay = parseScenario({ version: 1, name: 't', kafka: { brokers, relays: [{ name: 'r', from: source, to: dest, fraction: 0, identity: { header: 'message-id' } }] } }).kafka!.relays[0];
    const kafka = createKafka({ brokers, clientId: 't', ssl: false, connectTimeout: 5000, relays: [] }, silentLogger());
    const tail = await restartCheck(kafka, relay, silentLogger(), { limits: { maxMessageBytes: 1_000_000 }, positions: [{ topic: source, partition: 0, committed: 0n, end: 10n }] });
    let settled = false;
    void tail.matcher.then(() => (settled = true));
    await Promise.resolve();
    expect(settled).to.equal(false);
    const matcher = await tail.matcher;
    expect(matcher?.identities).to.equal(3000);
  });

  it('a committed offset beyond the log end: kafkajs alone re-reads the whole retained log; the relay refuses (exit 2)', async () => {
    const source = uniqueTopic('beyond-src');
    await createTopics(brokers, [source], 1);
    await produceAll(brokers, source, Array.from({ length: 300 }, (_, i) => testMessage(i)));
    const [plain, relayGroup] = [`g-plain-${source}`, `g-relay-${source}`];
    const admin = client(brokers).admin();
    await admin.connect();
    for (const groupId of [plain, relayGroup]) await admin.setOffsets({ groupId, topic: source, partitions: [{ partition: 0, offset: '5000' }] });
    await admin.disconnect();
    const consumer = client(brokers).consumer({ groupId: plain });
    await consumer.connect();
    await consumer.subscribe({ topic: source, fromBeginning: true });
    let reread = 0;
    await consumer.run({ eachMessage: async () => void (reread += 1) });
    for (const deadline = Date.now() + 30_000; reread < 300 && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 200));
    await consumer.disconnect();
    console.log(`      committed 5000 on a log ending at 300: kafkajs re-read ${reread} messages`);
    expect(reread).to.equal(300);
    const dest = uniqueTopic('beyond-dst');
    await createTopics(brokers, [dest], 1);
    const err = await startTestRelay(brokers, { group: relayGroup, from: source, to: dest, fraction: 0 }).then(() => undefined, (e: unknown) => e);
    expect(err).to.be.instanceOf(ConfigError);
    expect((err as Error).message).to.include(`committed offset 5000 for ${source}/0, beyond its log end 300`);
  });
});
