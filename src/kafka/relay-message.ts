// How a consumed message becomes a produced one, and what names it (its identity).
import type { IHeaders, KafkaMessage, Message } from 'kafkajs';
import { headersOf, rawHeadersOf, withRawHeaders } from './raw-headers';

/** The configured header's value, else topic/partition/offset. */
export function identityOf(m: KafkaMessage, topic: string, partition: number, header?: string): string {
  if (header) {
    const v = headerValue(m.headers, header);
    if (v !== undefined && v !== '') return v;
  }
  return `${topic}/${partition}/${m.offset}`;
}

export function headerValue(headers: IHeaders | undefined, name: string): string | undefined {
  const found = rawHeadersOf(headers).find(([k]) => k.toLowerCase() === name);
  return found?.[1] == null ? undefined : found[1].toString();
}

/**
 * The original is forwarded unchanged: key, value, timestamp, and the headers object as decoded,
 * which carries the wire's ordered list (raw-headers.ts): order, repeats, null values, any name.
 */
export function forwardOf(m: KafkaMessage): Message {
  return produced(m.key, m.value, withRawHeaders(m.headers), m.timestamp);
}

/** A copy carries the original's key, value and headers; a marking header (appended) only when configured. */
export function copyOf(m: KafkaMessage, markHeader?: string, copyIndex = 1): Message {
  const raw = rawHeadersOf(m.headers);
  const headers = headersOf(markHeader ? [...raw, [markHeader, Buffer.from(String(copyIndex))]] : raw);
  return produced(m.key, m.value, headers, m.timestamp);
}

/**
 * A message for kafkajs to produce, as a prototype-less object. kafkajs builds each record as
 * `{ ...message, offsetDelta, timestampDelta }`; from an ordinary object, Node 20's V8 gives that
 * spread a hidden class of its own for every message (127,405 at our record encoder in one bench
 * round, every one an inline-cache miss there and in kafkajs's batch code). From a dictionary-mode
 * object the spread takes V8's generic path, whose records share one hidden class.
 */
export function produced(key: Message['key'], value: Message['value'], headers: IHeaders, timestamp: string): Message {
  const m = Object.create(null) as Message;
  m.key = key;
  m.value = value;
  m.headers = headers;
  m.timestamp = timestamp;
  return m;
}

/** Highest offset per topic/partition whose original was acknowledged, to spot redeliveries. */
export class AckedOffsets {
  private readonly high = new Map<string, bigint>();

  isRedelivery(topic: string, partition: number, offset: string): boolean {
    const h = this.high.get(`${topic}/${partition}`);
    return h !== undefined && BigInt(offset) <= h;
  }

  ack(topic: string, partition: number, offset: string): void {
    const k = `${topic}/${partition}`;
    const o = BigInt(offset);
    const h = this.high.get(k);
    if (h === undefined || o > h) this.high.set(k, o);
  }
}
