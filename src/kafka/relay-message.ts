// How a consumed message becomes a produced one, and what names it (its identity).
import type { IHeaders, KafkaMessage, Message } from 'kafkajs';

/** The configured header's value, else topic/partition/offset. */
export function identityOf(m: KafkaMessage, topic: string, partition: number, header?: string): string {
  if (header) {
    const v = headerValue(m.headers, header);
    if (v !== undefined && v !== '') return v;
  }
  return `${topic}/${partition}/${m.offset}`;
}

export function headerValue(headers: IHeaders | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  if (key === undefined) return undefined;
  const raw = headers[key];
  const first = Array.isArray(raw) ? raw[0] : raw;
  return first === undefined ? undefined : first.toString();
}

/** kafkajs throws on produce for an undefined header value (#1789): keep only real values. */
function cleanHeaders(headers: IHeaders | undefined): IHeaders {
  const out: IHeaders = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    if (v === undefined || v === null) continue;
    out[k] = Array.isArray(v) ? v.filter((x) => x !== undefined && x !== null) : v;
  }
  return out;
}

/** The original is forwarded unchanged: key, value, headers and timestamp. */
export function forwardOf(m: KafkaMessage): Message {
  return { key: m.key, value: m.value, headers: cleanHeaders(m.headers), timestamp: m.timestamp };
}

/** A copy carries the original's key, value and headers; a marking header only when configured. */
export function copyOf(m: KafkaMessage, markHeader?: string, copyIndex = 1): Message {
  const headers = cleanHeaders(m.headers);
  if (markHeader) headers[markHeader] = String(copyIndex);
  return { key: m.key, value: m.value, headers, timestamp: m.timestamp };
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
