// Relay throughput and latency against a plain kafkajs consume→produce loop, same broker, same run.
//   npx tsx bench/relay.ts [--smoke] [--rounds N] [--messages N] [--before DIR]   (KAFKA_BROKERS=HOST:PORT to use a running broker)
// Rounds are interleaved (plain, 0 %, 10 %, plain, …) so a burst of noise on the machine hits every
// variant once; latency is measured in the first round only.
// Throughput: N pre-produced 1 KiB messages drained source → destination, in messages/s from the first
// message readable at the destination to the last (start-up and group join excluded, reported apart). Latency: originals at a steady rate, receive time − produce timestamp
// (the relay keeps the original's timestamp). Writes bench/results/relay.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Partitioners, type Kafka } from 'kafkajs';
import { Budget } from '../src/chaos/budget';
import { decide } from '../src/chaos/decide';
import { HaltSwitch } from '../src/chaos/halt';
import { Journal } from '../src/journal/writer';
import { startRelay } from '../src/kafka/relay';
import { silentLogger } from '../src/log';
import { createMetrics } from '../src/metrics';
import { parseScenario } from '../src/scenario/load';
import { ensureBroker, stopBrokerIfStarted, uniqueTopic } from '../test/helpers/kafka-broker';
import { client, createTopics, produceAll } from '../test/integration/kafka/kafka-util';

const smoke = process.argv.includes('--smoke');
const messagesArg = process.argv.indexOf('--messages');
// 60,000 drain in about 3 s: with 20,000 (about 1 s) one scheduler hiccup moved a round by 20 %.
const N = messagesArg > 0 ? Number(process.argv[messagesArg + 1]) : smoke ? 1000 : 60_000;
const LAT_N = smoke ? 200 : 2000;
const LAT_RATE = 500;
const roundsArg = process.argv.indexOf('--rounds');
const ROUNDS = roundsArg > 0 ? Number(process.argv[roundsArg + 1]) : smoke ? 1 : 3;
const PARTITIONS = 3;
const pad = 'x'.repeat(1000);
const msg = (i: number) => ({ key: `k-${i % 64}`, value: `${String(i).padStart(8, '0')}${pad}`.slice(0, 1024), headers: { 'message-id': `b-${i}` } });

/** Counts destination messages; resolves with per-message receive latencies once `expected` arrived. */
let readers = 0;
async function drain(kafka: Kafka, topic: string, expected: number) {
  const consumer = kafka.consumer({ groupId: `bench-read-${topic}-${++readers}`, maxWaitTimeInMs: 50 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  // First arrival per message id of the latency phase (ids ≥ N): the original, not a later copy.
  const latencies = new Map<string, number>();
  let count = 0;
  // Steady state: from the first batch that reached the destination to the last expected message, so
  // the consumer group's join (seconds, and as long as the drain itself) is not in the rate.
  const window = { firstAt: 0, firstCount: 0, lastAt: 0 };
  let done!: () => void;
  const finished = new Promise<void>((r) => (done = r));
  await consumer.run({
    eachBatch: async ({ batch }) => {
      const now = Date.now();
      for (const m of batch.messages) {
        const id = String(m.headers?.['message-id'] ?? '');
        if (Number(id.slice(2)) >= N && !latencies.has(id)) latencies.set(id, now - Number(m.timestamp));
      }
      if (window.firstAt === 0) Object.assign(window, { firstAt: now, firstCount: batch.messages.length });
      count += batch.messages.length;
      if ((count >= expected || latencies.size >= LAT_N) && window.lastAt === 0) {
        window.lastAt = now;
        done();
      }
    },
  });
  return { finished, latencies, window, stop: () => consumer.disconnect() };
}

/** The baseline: consume → produce with acks all, awaited per batch, nothing else. */
async function plainLoop(kafka: Kafka, from: string, to: string) {
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, idempotent: true, maxInFlightRequests: 1 });
  const consumer = kafka.consumer({ groupId: `bench-plain-${to}`, maxWaitTimeInMs: 100 });
  await Promise.all([producer.connect(), consumer.connect()]);
  await consumer.subscribe({ topic: from, fromBeginning: true });
  await consumer.run({
    eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
      for (let i = 0; i < batch.messages.length; i += 400) {
        const chunk = batch.messages.slice(i, i + 400);
        await producer.send({ topic: to, acks: -1, messages: chunk.map((m) => ({ key: m.key, value: m.value, headers: m.headers, timestamp: m.timestamp })) });
        resolveOffset(chunk[chunk.length - 1].offset);
        await heartbeat();
      }
    },
  });
  return async () => {
    await consumer.disconnect();
    await producer.disconnect();
  };
}

/** `--before DIR`: the relay of another checkout (e.g. a worktree of the previous commit), measured
 * beside this one in the same rounds: a change is compared with its baseline under the same drift. */
const beforeArg = process.argv.indexOf('--before');
const beforeDir = beforeArg > 0 ? process.argv[beforeArg + 1] : undefined;
const relayOf = (dir: string | undefined): typeof startRelay => (dir ? (require(join(dir, 'src/kafka/relay')) as { startRelay: typeof startRelay }).startRelay : startRelay);

async function startDoubletap(brokers: string[], from: string, to: string, fraction: number, start: typeof startRelay) {
  const s = parseScenario({ version: 1, name: 'bench', seed: 1, kafka: { brokers, relays: [{ name: 'bench', from, to, group: `bench-${to}`, fraction, identity: { header: 'message-id' }, fromBeginning: true }] } });
  const relay = await start({
    kafka: s.kafka!, relay: s.kafka!.relays[0], seed: 1, dryRun: false, budget: new Budget({}), halt: new HaltSwitch(),
    metrics: createMetrics(), journal: new Journal(), logger: silentLogger(),
  });
  return () => relay.close();
}

type Variant = { name: string; fraction: number | null; dir?: string };

async function measure(brokers: string[], kafka: Kafka, v: Variant, source: string, round: number) {
  const dest = uniqueTopic(`bench-dst-${v.name}`);
  await createTopics(brokers, [dest], PARTITIONS);
  const copies = v.fraction ? Array.from({ length: N }, (_, i) => i).filter((i) => decide(1, { name: 'bench', fraction: v.fraction!, faults: [{ weight: 1 }] }, `b-${i}`).picked).length : 0;
  const reader = await drain(kafka, dest, N + copies);
  const t0 = Date.now();
  // CPU of this process (relay or loop, and the destination reader, the same work per message for
  // every variant) from start to the last message: steadier than the rate, which the broker's pace sets.
  const cpu0 = process.cpuUsage();
  const stop = v.fraction === null ? await plainLoop(kafka, source, dest) : await startDoubletap(brokers, source, dest, v.fraction, relayOf(v.dir));
  await reader.finished;
  const cpu = process.cpuUsage(cpu0);
  const { firstAt, firstCount, lastAt } = reader.window;
  const seconds = Math.max(0.001, (lastAt - firstAt) / 1000);
  const perSecond = (N + copies - firstCount) / seconds;
  await reader.stop();
  const throughput = {
    variant: v.name, round, messages: N, copies, seconds, startupSeconds: (firstAt - t0) / 1000,
    messagesPerSecond: Math.round(perSecond), originalsPerSecond: Math.round((perSecond * N) / (N + copies)),
    cpuUsPerOriginal: Math.round(((cpu.user + cpu.system) / N) * 10) / 10,
  };
  if (round > 0) {
    await stop();
    return { ...throughput, latencyMs: undefined };
  }
  // Latency: a steady stream through the same running relay/loop.
  const latSource = source; // the relay keeps consuming the same source
  const latReader = await drain(kafka, dest, N + copies + LAT_N);
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  for (let i = 0; i < LAT_N; i += 10) {
    await producer.send({ topic: latSource, acks: -1, messages: Array.from({ length: 10 }, (_, j) => msg(N + i + j)) });
    await new Promise((r) => setTimeout(r, (10 / LAT_RATE) * 1000));
  }
  await Promise.race([latReader.finished, new Promise((r) => setTimeout(r, 15_000))]);
  await producer.disconnect();
  await latReader.stop();
  await stop();
  const lat = [...latReader.latencies.values()].sort((a, b) => a - b);
  const q = (p: number) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))];
  return { ...throughput, latencyMs: { samples: lat.length, p50: q(0.5), p99: q(0.99) } };
}

async function main() {
  const broker = await ensureBroker();
  const kafka = client(broker.brokers);
  const variants: Variant[] = [{ name: 'plain-kafkajs', fraction: null }, { name: 'relay-0pct', fraction: 0 }, { name: 'relay-10pct', fraction: 0.1 }];
  if (beforeDir) variants.push({ name: 'relay-0pct-before', fraction: 0, dir: beforeDir }, { name: 'relay-10pct-before', fraction: 0.1, dir: beforeDir });
  const results: Array<Awaited<ReturnType<typeof measure>>> = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (const v of variants) {
      // A fresh source per variant and round, so each drains the same backlog.
      const source = uniqueTopic(`bench-src-${v.name}`);
      await createTopics(broker.brokers, [source], PARTITIONS);
      await produceAll(broker.brokers, source, Array.from({ length: N }, (_, i) => msg(i)), 500);
      const r = await measure(broker.brokers, kafka, v, source, round);
      console.log(JSON.stringify(r));
      results.push(r);
    }
  }
  const plainOf = (round: number) => results.find((r) => r.round === round && r.variant === 'plain-kafkajs')!.originalsPerSecond;
  const out = { smoke, rounds: ROUNDS, valueBytes: 1024, partitions: PARTITIONS, results: results.map((r) => ({ ...r, vsPlain: +(r.originalsPerSecond / plainOf(r.round)).toFixed(2) })) };
  mkdirSync(join(__dirname, 'results'), { recursive: true });
  writeFileSync(join(__dirname, 'results', 'relay.json'), JSON.stringify(out, null, 2) + '\n');
  console.log(`wrote bench/results/relay.json`);
  await stopBrokerIfStarted();
}

main().then(() => process.exit(0), (err) => {
  console.error(err);
  void stopBrokerIfStarted().finally(() => process.exit(1));
});
