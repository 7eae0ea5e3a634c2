// Test-side Kafka helpers: topics, bulk produce, read a whole topic back, a relay built from a scenario.
import { Kafka, logLevel, Partitioners, type Message, type RetryOptions } from 'kafkajs';
import { Budget } from '../../../src/chaos/budget';
import { HaltSwitch } from '../../../src/chaos/halt';
import { Journal } from '../../../src/journal/writer';
import { startRelay, type RunningRelay } from '../../../src/kafka/relay';
import type { Liveness } from '../../../src/kafka/relay-health';
import { silentLogger } from '../../../src/log';
import { createMetrics } from '../../../src/metrics';
import { parseScenario } from '../../../src/scenario/load';

export function client(brokers: string[], retry: RetryOptions = { retries: 10 }): Kafka {
  return new Kafka({ brokers, clientId: 'doubletap-test', logLevel: logLevel.NOTHING, retry });
}

export async function createTopics(brokers: string[], topics: string[], partitions = 1): Promise<void> {
  const admin = client(brokers).admin();
  await admin.connect();
  await admin.createTopics({ topics: topics.map((topic) => ({ topic, numPartitions: partitions, replicationFactor: 1 })), waitForLeaders: true });
  await admin.disconnect();
}

/** Message i: key k-(i mod keys), header message-id m-i, value {key, seq-within-key}. */
export function testMessage(i: number, keys = 20, valueBytes = 0): Message {
  const key = `k-${i % keys}`;
  const value = JSON.stringify({ key, seq: Math.floor(i / keys), pad: 'x'.repeat(valueBytes) });
  return { key, value, headers: { 'message-id': `m-${i}` } };
}

export async function produceAll(brokers: string[], topic: string, messages: Message[], chunk = 1000): Promise<void> {
  const producer = client(brokers).producer({ createPartitioner: Partitioners.DefaultPartitioner, idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  for (let i = 0; i < messages.length; i += chunk) await producer.send({ topic, acks: -1, messages: messages.slice(i, i + chunk) });
  await producer.disconnect();
}

export interface ReadMessage {
  partition: number;
  offset: string;
  key: string;
  value: string;
  headers: Record<string, string>;
  timestamp: string;
}

/** Reads a topic from the start until `done(messages)` or `idleMs` without news (or `timeoutMs`). */
export async function readTopic(
  brokers: string[], topic: string, o: { done?: (m: ReadMessage[]) => boolean; idleMs?: number; timeoutMs?: number } = {},
): Promise<ReadMessage[]> {
  const consumer = client(brokers).consumer({ groupId: `reader-${topic}-${Date.now()}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const out: ReadMessage[] = [];
  let last = Date.now();
  await consumer.run({
    eachBatch: async ({ batch }) => {
      for (const m of batch.messages) {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(m.headers ?? {})) headers[k] = String(Array.isArray(v) ? v[0] : v);
        out.push({ partition: batch.partition, offset: m.offset, key: String(m.key), value: String(m.value), headers, timestamp: m.timestamp });
      }
      last = Date.now();
    },
  });
  const start = Date.now();
  const idleMs = o.idleMs ?? 3000;
  while (!(o.done?.(out) ?? false) && Date.now() - last < idleMs && Date.now() - start < (o.timeoutMs ?? 60_000)) {
    await new Promise((r) => setTimeout(r, 100));
  }
  await consumer.disconnect();
  return out;
}

export interface TestRelay {
  relay: RunningRelay;
  halt: HaltSwitch;
  journal: Journal;
  metrics: ReturnType<typeof createMetrics>;
}

/** A relay through the real scenario schema (defaults applied), in this process. */
export async function startTestRelay(
  brokers: string[], relay: Record<string, unknown>, o: { seed?: number; dryRun?: boolean; journal?: string; liveness?: Liveness } = {},
): Promise<TestRelay> {
  // Tests produce their input first: read it from the start (the relay's default is the log end).
  const scenario = parseScenario({ version: 1, name: 't', seed: o.seed ?? 42, dryRun: o.dryRun ?? false, kafka: { brokers, relays: [{ name: 'r', fromBeginning: true, ...relay }] } });
  const halt = new HaltSwitch();
  const journal = new Journal(o.journal);
  const metrics = createMetrics();
  const running = await startRelay({
    kafka: scenario.kafka!, relay: scenario.kafka!.relays[0], seed: scenario.seed, dryRun: scenario.dryRun,
    budget: new Budget(scenario.budget), halt, metrics, journal, logger: silentLogger(), liveness: o.liveness,
  });
  return { relay: running, halt, journal, metrics };
}
