// Built-in Kafka traffic for runs without real clients: keyed messages with a message-id header,
// all fixed by the seed (ids `${seed}-${index}-${seq}`, keys and values from the seeded templates).
import { Partitioners, type Message } from 'kafkajs';
import { rngFor } from '../chaos/decide';
import type { Logger } from '../log';
import { renderTemplate } from '../load/template';
import type { KafkaLoad } from '../scenario/schema-load';
import { createKafka } from './client';

export interface KafkaLoadOptions {
  brokers: string[];
  seed: number;
  durationMs: number;
  signal?: AbortSignal;
  logger: Logger;
  /** Which `load.kafka[i]` this is: part of every message id so two loads never collide. */
  index?: number;
}

const TICK_MS = 50;

/** Message number `seq` of a load: the same seed always builds the same message. */
export function loadMessage(spec: KafkaLoad, seed: number, index: number, seq: number): Message {
  const rng = rngFor(seed, `kafka-load:${index}:${spec.topic}`, String(seq));
  const key = String(renderTemplate(spec.key, { seq, rng }));
  const value = JSON.stringify(renderTemplate(spec.value, { seq, rng }));
  return { key, value, headers: { [spec.idHeader]: `${seed}-${index}-${seq}` } };
}

export async function runKafkaLoad(spec: KafkaLoad, o: KafkaLoadOptions): Promise<{ produced: number }> {
  const index = o.index ?? 0;
  const kafka = createKafka({ brokers: o.brokers, clientId: 'doubletap-load', ssl: false, connectTimeout: 5000, relays: [] }, o.logger);
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const started = Date.now();
  const limit = spec.total ?? Infinity;
  let produced = 0;
  try {
    while (!o.signal?.aborted && produced < limit) {
      const elapsed = Date.now() - started;
      if (elapsed >= o.durationMs) break;
      // Catch up to the rate so far (a slow send never lowers the total), at most 2000 per request.
      const due = Math.min(limit, Math.floor((elapsed / 1000) * spec.rate) + 1, produced + 2000);
      if (due > produced) {
        const messages: Message[] = [];
        for (let seq = produced; seq < due; seq++) messages.push(loadMessage(spec, o.seed, index, seq));
        await producer.send({ topic: spec.topic, acks: -1, messages });
        produced = due;
      }
      await new Promise((r) => setTimeout(r, TICK_MS));
    }
  } finally {
    await producer.disconnect().catch(() => undefined);
  }
  o.logger.info('kafka load done', { topic: spec.topic, produced });
  return { produced };
}
