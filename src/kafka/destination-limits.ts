// What the destination topic accepts, read from its config at start, and the check every message
// passes before it joins a produce request. WHY a check of our own: the broker refuses a whole
// partition batch for one oversized or out-of-window record, and kafkajs reports one error for the
// request while other partitions of it may have been written; retrying blind then writes uncounted
// duplicates. A message refused here never goes out, so a request that fails is always all-or-nothing
// for the relay's accounting.
import type { Admin, Message } from 'kafkajs';
import { rawHeadersOf } from './raw-headers';

export interface DestinationLimits {
  /** The topic's max.message.bytes: the largest record batch the broker appends. */
  maxMessageBytes: number;
  /** CreateTime topics refuse timestamps outside [now - before, now + after]. LogAppendTime: none. */
  timestampBeforeMs?: number;
  timestampAfterMs?: number;
  /** The broker stamps its own time: a relayed message's timestamp differs from its source's. */
  logAppendTime?: boolean;
}

/** Our own cap per produce request (several partition batches), well under the broker's defaults. */
export const MAX_REQUEST_BYTES = 512 * 1024;
/** A record batch's header (magic 2): 61 bytes before its first record. */
const BATCH_OVERHEAD = 61;
/** Generous per-record framing (length, attributes, deltas, key/value/header lengths as var-ints). */
const RECORD_FRAMING = 24;

export const DEFAULT_LIMITS: DestinationLimits = { maxMessageBytes: 1_048_588 };

export async function readDestinationLimits(admin: Admin, topic: string): Promise<DestinationLimits> {
  const res = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: 2 /* TOPIC */, name: topic }] });
  const entries = new Map(res.resources[0]?.configEntries.map((e) => [e.configName, e.configValue]) ?? []);
  const num = (name: string): number | undefined => {
    const v = Number(entries.get(name));
    // Long.MAX_VALUE (the "no limit" default) is not a safe JS number: treat anything that big as none.
    return Number.isFinite(v) && v < Number.MAX_SAFE_INTEGER ? v : undefined;
  };
  const createTime = (entries.get('message.timestamp.type') ?? 'CreateTime') === 'CreateTime';
  const legacy = num('message.timestamp.difference.max.ms');
  return {
    maxMessageBytes: num('max.message.bytes') ?? DEFAULT_LIMITS.maxMessageBytes,
    ...(createTime ? {} : { logAppendTime: true }),
    ...(createTime ? { timestampBeforeMs: num('message.timestamp.before.max.ms') ?? legacy, timestampAfterMs: num('message.timestamp.after.max.ms') ?? legacy } : {}),
  };
}

const len = (x: unknown): number => (x === null || x === undefined ? 0 : Buffer.byteLength(x as Buffer | string));

/** An upper bound of the message's encoded size in a record batch of its own. */
export function recordBytes(m: Message): number {
  let n = RECORD_FRAMING + len(m.key) + len(m.value);
  for (const [k, v] of rawHeadersOf(m.headers)) n += 10 + Buffer.byteLength(k) + len(v);
  return n;
}

/** Why the destination would refuse this message for good, or undefined when it fits. `size`: its
 * recordBytes, when the caller has it already (the relay sizes each original once). */
export function rejectionOf(m: Message, limits: DestinationLimits, nowMs: number, size = recordBytes(m)): string | undefined {
  const bytes = BATCH_OVERHEAD + size;
  if (bytes > limits.maxMessageBytes) return `record of ${bytes} bytes exceeds the destination's max.message.bytes ${limits.maxMessageBytes}`;
  const ts = Number(m.timestamp);
  if (m.timestamp !== undefined && Number.isFinite(ts)) {
    if (limits.timestampBeforeMs !== undefined && ts < nowMs - limits.timestampBeforeMs) {
      return `timestamp ${ts} is more than message.timestamp.before.max.ms ${limits.timestampBeforeMs} in the past`;
    }
    if (limits.timestampAfterMs !== undefined && ts > nowMs + limits.timestampAfterMs) {
      return `timestamp ${ts} is more than message.timestamp.after.max.ms ${limits.timestampAfterMs} in the future`;
    }
  }
  return undefined;
}

/** Bytes per produce request: under our cap and under one record batch the destination accepts. */
export function requestBytes(limits: DestinationLimits): number {
  return Math.min(MAX_REQUEST_BYTES, limits.maxMessageBytes - BATCH_OVERHEAD);
}
