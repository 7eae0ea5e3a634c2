// Record headers exactly as they are on the wire: an ordered list of (name, value|null) pairs.
//
// WHY this replaces two kafkajs internals: kafkajs 2.2.4 (unmaintained) decodes headers into a plain
// object with a reduce that reads `obj[key]` through the prototype (a header named `constructor`
// becomes `[Object, value]` and crashed the relay; `__proto__` is lost), groups interleaved duplicates
// (`a,b,a` → `a,a,b`), and its encoder throws on a null value (#1789). The relay must forward headers
// unchanged, so the record decoder keeps the raw list next to a null-prototype map, and the record
// encoder writes a raw list when it is given one. Both modules are loaded lazily by kafkajs (on the
// first fetch / produce), so replacing them in the require cache before that is enough; installing
// too late fails loudly instead of silently reordering headers.
/* eslint-disable @typescript-eslint/no-require-imports, @typescript-eslint/no-explicit-any */
import type { IHeaders } from 'kafkajs';

export type RawHeader = [name: string, value: Buffer | null];

const RAW = Symbol.for('doubletap.rawHeaders');

/** The header map every kafkajs user sees (no prototype: any name is safe), carrying the raw list. */
export function headersOf(raw: RawHeader[]): IHeaders {
  const map: Record<string, any> = Object.create(null);
  for (const [k, v] of raw) {
    const prev = map[k];
    map[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  Object.defineProperty(map, RAW, { value: raw, enumerable: false });
  return map as IHeaders;
}

/** The headers as the encoder needs them: the decoded object itself when it carries the wire's list
 * (every consumed original: no second map per message), else a map built around its entries. */
export function withRawHeaders(headers: IHeaders | undefined): IHeaders {
  return headers && (headers as Record<symbol, unknown>)[RAW] ? headers : headersOf(rawHeadersOf(headers));
}

/** The ordered list: the one decoded from the wire, else the map's entries (repeats in place). */
export function rawHeadersOf(headers: IHeaders | undefined): RawHeader[] {
  if (!headers) return [];
  const raw = (headers as Record<symbol, RawHeader[] | undefined>)[RAW];
  if (raw) return raw;
  const out: RawHeader[] = [];
  for (const k of Object.keys(headers)) {
    const v = (headers as Record<string, any>)[k];
    for (const x of Array.isArray(v) ? v : [v]) out.push([k, x === undefined || x === null ? null : Buffer.isBuffer(x) ? x : Buffer.from(String(x))]);
  }
  return out;
}

const base = 'kafkajs/src/protocol/';
const path = (p: string) => require.resolve(base + p);

function installDecoder(): void {
  const target = path('recordBatch/record/v0/decoder');
  const original = require(target) as (decoder: any, context?: unknown) => any;
  if ((original as any)[RAW]) return;
  // Its only user; loaded on the first fetch. Loaded already = some record was decoded unpatched.
  if (require.cache[path('recordBatch/v0/decoder')]) throw new Error('raw headers: kafkajs record decoder already in use; import src/kafka before fetching');
  const decode = (decoder: any, context?: unknown) => {
    let raw: { key: string; value: Buffer | null }[] = [];
    // The record decoder reads exactly one var-int array: the headers. Keep it before kafkajs folds it.
    decoder.readVarIntArray = function (this: any, reader: unknown) {
      raw = Object.getPrototypeOf(this).readVarIntArray.call(this, reader);
      return [];
    };
    try {
      const record = original(decoder, context);
      record.headers = headersOf(raw.map((h) => [h.key, h.value]));
      return record;
    } finally {
      delete decoder.readVarIntArray;
    }
  };
  (decode as any)[RAW] = true;
  require.cache[target]!.exports = decode;
}

function installEncoder(): void {
  const target = path('recordBatch/record/v0/index');
  if (require(target)[RAW]) return;
  if (require.cache[path('requests/produce/v3/request')]) throw new Error('raw headers: kafkajs record encoder already in use; import src/kafka before producing');
  const Encoder = require(base + 'encoder');
  const encode = ({ offsetDelta = 0, timestampDelta = 0, key, value, headers }: any) => {
    const hs = rawHeadersOf(headers).map(([k, v]) => new Encoder().writeVarIntString(k).writeVarIntBytes(v));
    const size =
      1 + Encoder.sizeOfVarLong(timestampDelta) + Encoder.sizeOfVarInt(offsetDelta) + Encoder.sizeOfVarIntBytes(key) +
      Encoder.sizeOfVarIntBytes(value) + Encoder.sizeOfVarInt(hs.length) + hs.reduce((n: number, h: any) => n + h.size(), 0);
    return new Encoder()
      .writeVarInt(size)
      .writeInt8(0)
      .writeVarLong(timestampDelta)
      .writeVarInt(offsetDelta)
      .writeVarIntBytes(key)
      .writeVarIntBytes(value)
      .writeVarIntArray(hs);
  };
  (encode as any)[RAW] = true;
  require.cache[target]!.exports = encode;
}

/** Idempotent; throws when kafkajs already fetched or produced a record in this process. */
export function installRawHeaderCodec(): void {
  installDecoder();
  installEncoder();
}
