// After a crash, the previous run may have written originals to the destination whose source offsets
// were never committed (the commit lags the acks, and a SIGKILL loses the request in flight). The
// restarted relay consumes them again. To count those redeliveries, it reads the destination's tail
// once at start-up and remembers the identities found there (restart-match.ts).
import type { Kafka } from 'kafkajs';
import { messageOf } from '../errors';
import type { Logger } from '../log';
import type { KafkaRelay } from '../scenario/schema-kafka';
import { RestartMatcher } from './restart-match';
import { headerValue } from './relay-message';
import type { Preflight } from './relay-preflight';

/** Originals per handler chunk: one chunk is produced, then offsets may be committed. */
export const RELAY_CHUNK = 500;
/**
 * Commit once this many offsets are resolved (or every second, whichever first). This bounds how many
 * relayed originals can be uncommitted when the process dies: below COMMIT_EVERY + RELAY_CHUNK.
 */
export const COMMIT_EVERY = 2_000;
/** At most this long for the tail read: start-up must not wait much, even on a slow cluster. */
export const TAIL_READ_MS = 5_000;
/** Memory bound of the identity set (≈ 100 bytes each). */
export const TAIL_MAX_IDENTITIES = 200_000;

/**
 * How far back to read per destination partition. The previous run's uncommitted originals (all of
 * them may hash to one partition) and every copy produced meanwhile: their own copies, plus every
 * copy that was already pending (at most maxPending). The request in flight at the crash belongs
 * to these (SerialSender sends one at a time). Other writers to the destination are not bounded.
 */
export function tailPerPartition(relay: KafkaRelay): number {
  return (COMMIT_EVERY + RELAY_CHUNK) * (1 + relay.copies) + relay.maxPending;
}

interface Range {
  partition: number;
  start: bigint;
  end: bigint;
  /** Next offset to accept: a fetch from before a seek took effect must not add an id twice. */
  next: bigint;
}

/** The tail read runs in the background: the relay subscribes meanwhile and waits for it only before
 * its first original is produced. */
export interface TailRead {
  matcher: Promise<RestartMatcher | undefined>;
}

const OFF: TailRead = { matcher: Promise.resolve(undefined) };

/**
 * Only source offsets the group had not committed when this run started can be redeliveries: after a
 * clean stop (everything committed) there is nothing to read. Takes the destination's end offsets now
 * (before this run produces anything), then starts the tail read. Any failure turns detection off
 * (logged): the relay still relays everything, only restart redeliveries go uncounted.
 */
export async function restartCheck(kafka: Kafka, relay: KafkaRelay, logger: Logger, pre: Preflight): Promise<TailRead> {
  const header = relay.identity?.header;
  if (!header) return OFF;
  const matcher = new RestartMatcher(TAIL_MAX_IDENTITIES, !pre.limits.logAppendTime);
  let open = 0;
  for (const p of pre.positions) {
    // No commit: a new group (nothing relayed yet) unless it starts at the beginning and a run died first.
    const from = p.committed >= 0n ? p.committed : relay.fromBeginning ? 0n : p.end;
    if (from < p.end) open += 1;
    matcher.setSourceRange(p.topic, p.partition, from, p.end);
  }
  if (open === 0) return OFF;
  const ranges: Range[] = [];
  const admin = kafka.admin();
  try {
    await withTimeout((async () => {
      await admin.connect();
      const n = BigInt(tailPerPartition(relay));
      for (const p of await admin.fetchTopicOffsets(relay.to)) {
        const [low, end] = [BigInt(p.low), BigInt(p.high)];
        const start = end - n > low ? end - n : low;
        if (start < end) ranges.push({ partition: p.partition, start, end, next: start });
      }
    })(), TAIL_READ_MS);
  } catch (err) {
    logger.warn('restart redeliveries not counted: end offsets unreadable', { relay: relay.name, error: messageOf(err) });
    return OFF;
  } finally {
    admin.disconnect().catch(() => undefined);
  }
  if (ranges.length === 0) return { matcher: Promise.resolve(matcher) };
  return { matcher: readTail(kafka, relay, header, ranges, matcher, logger) };
}

async function readTail(
  kafka: Kafka, relay: KafkaRelay, header: string, ranges: Range[], matcher: RestartMatcher, logger: Logger,
): Promise<RestartMatcher | undefined> {
  const started = Date.now();
  // A throwaway group (name, pid and time are unique enough; nothing random). It never commits, so
  // the coordinator drops it as soon as the consumer leaves.
  const consumer = kafka.consumer({
    groupId: `doubletap-tail-${relay.name}-${process.pid}-${started}`, maxWaitTimeInMs: 100, allowAutoTopicCreation: false,
  });
  const remaining = new Map(ranges.map((r) => [r.partition, r]));
  let full = false;
  let closed = false;
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  try {
    await withTimeout((async () => {
      await consumer.connect();
      await consumer.subscribe({ topics: [relay.to], fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          const r = remaining.get(batch.partition);
          // After a timeout the relay already uses the set: nothing is added behind its back.
          if (!r || closed) return;
          for (const m of batch.messages) {
            const o = BigInt(m.offset);
            if (o < r.next || o >= r.end) continue;
            r.next = o + 1n;
            // Copies the previous run made are not originals it relayed: only unmarked messages count.
            if (relay.markCopies && headerValue(m.headers, relay.markCopies) !== undefined) continue;
            const id = headerValue(m.headers, header);
            if (id !== undefined && id !== '' && !matcher.add(id, m.timestamp)) {
              full = true;
              finish();
              return;
            }
          }
          if (r.next >= r.end || BigInt(batch.lastOffset()) >= r.end - 1n) remaining.delete(batch.partition);
          if (remaining.size === 0) finish();
        },
      });
      for (const r of ranges) consumer.seek({ topic: relay.to, partition: r.partition, offset: r.start.toString() });
      await done;
    })(), TAIL_READ_MS);
    if (full) logger.warn('restart tail: identity bound reached, some redeliveries may go uncounted', { relay: relay.name, identities: matcher.identities });
    logger.info('restart tail read', { relay: relay.name, identities: matcher.identities, partitions: ranges.length, ms: Date.now() - started });
  } catch (err) {
    // What was read still counts; the rest may surface as uncounted extras.
    logger.warn('restart tail read incomplete: some redeliveries may go uncounted', {
      relay: relay.name, error: messageOf(err), unreadPartitions: remaining.size, identities: matcher.identities,
    });
  } finally {
    closed = true;
    consumer.disconnect().catch(() => undefined);
  }
  return matcher;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_r, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000}s`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
