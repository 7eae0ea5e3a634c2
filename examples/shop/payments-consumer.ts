// Payment events from Kafka, applied by one consumer group per variant so one shop shows each behaviour:
// "correct" records the message id in processed_messages in the SAME transaction as the payments row
// (a redelivery or a doubletap copy is skipped and counted as a dedup hit); "offset" does the same with
// topic:partition:offset (survives the group re-reading, not a producer sending the event twice, which
// lands at a new offset); "naive" applies every delivery. Message id: the `message-id` header, else
// topic:partition:offset.
import { Kafka, logLevel, type Consumer, type KafkaMessage } from 'kafkajs';
import type { Logger } from 'winston';
import type { ShopDb } from './db';
import type { ShopMetrics } from './metrics';

export interface PaymentsConsumerOptions {
  brokers: string[];
  topic: string;
  groupPrefix?: string;
  /** Which consumer groups to start (default all three). */
  variants?: readonly PaymentVariant[];
  db: ShopDb;
  metrics: ShopMetrics;
  logger: Logger;
}

export const PAYMENT_VARIANTS = ['correct', 'naive', 'offset'] as const;
export type PaymentVariant = (typeof PAYMENT_VARIANTS)[number];

export async function startPaymentsConsumer(o: PaymentsConsumerOptions): Promise<{ close(): Promise<void> }> {
  const kafka = new Kafka({ clientId: 'shop-payments', brokers: o.brokers, logLevel: logLevel.NOTHING });
  const consumers: Consumer[] = [];
  try {
    for (const variant of o.variants ?? PAYMENT_VARIANTS) {
      const consumer = kafka.consumer({ groupId: `${o.groupPrefix ?? 'shop-payments'}-${variant}` });
      consumers.push(consumer);
      const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
      await consumer.connect();
      await consumer.subscribe({ topic: o.topic, fromBeginning: true });
      // The handler is short (one transaction): kafkajs has no background heartbeat.
      await consumer.run({
        eachMessage: async ({ topic, partition, message }) =>
          apply(o, variant, variant === 'offset' ? `${topic}:${partition}:${message.offset}` : messageId(topic, partition, message), message),
      });
      await withTimeout(joined, 30_000, `payments consumer ${variant} did not join its group`);
    }
  } catch (err) {
    await Promise.all(consumers.map((c) => c.disconnect().catch(() => undefined)));
    throw err;
  }
  return { close: async () => void (await Promise.all(consumers.map((c) => c.disconnect().catch(() => undefined)))) };
}

async function apply(o: PaymentsConsumerOptions, variant: PaymentVariant, id: string, m: KafkaMessage): Promise<void> {
  const p = parsePayment(m);
  const insertPayment = 'INSERT INTO payments (variant, message_id, payment_id, amount_cents) VALUES ($1, $2, $3, $4)';
  if (variant === 'naive') {
    await o.db.query(insertPayment, [variant, id, p.payment_id, p.amount_cents]);
    return;
  }
  const applied = await o.db.tx(async (q) => {
    const fresh = await q.query(
      'INSERT INTO processed_messages (variant, message_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING message_id', [variant, id],
    );
    if (fresh.length === 0) return false;
    await q.query(insertPayment, [variant, id, p.payment_id, p.amount_cents]);
    return true;
  });
  if (!applied) o.metrics.count('hits', variant);
}

export function messageId(topic: string, partition: number, m: KafkaMessage): string {
  const h = m.headers?.['message-id'];
  const v = Array.isArray(h) ? h[0] : h;
  return v !== undefined && v !== null && String(v) !== '' ? String(v) : `${topic}:${partition}:${m.offset}`;
}

function parsePayment(m: KafkaMessage): { payment_id: string | null; amount_cents: number | null } {
  try {
    const v = JSON.parse(m.value?.toString('utf8') ?? 'null') as Record<string, unknown> | null;
    return {
      payment_id: typeof v?.payment_id === 'string' ? v.payment_id : null,
      amount_cents: Number.isInteger(v?.amount_cents) ? (v?.amount_cents as number) : null,
    };
  } catch {
    return { payment_id: null, amount_cents: null }; // an unreadable event still counts as a delivery
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  let t: NodeJS.Timeout;
  return Promise.race([p, new Promise<T>((_, rej) => (t = setTimeout(() => rej(new Error(message)), ms)))]).finally(() => clearTimeout(t));
}
