// What the relay reads before it consumes anything: the destination's limits, and where its group
// stands in each source partition. Positions that cannot be right stop it here (exit 2) instead of
// letting kafkajs reset them silently.
import type { Admin, Kafka } from 'kafkajs';
import { ConfigError, UnreachableError, messageOf } from '../errors';
import type { Logger } from '../log';
import type { KafkaRelay } from '../scenario/schema-kafka';
import { readDestinationLimits, type DestinationLimits } from './destination-limits';

export interface SourcePosition {
  topic: string;
  partition: number;
  /** The group's committed offset; -1 when it has none (a new group, unless pinned to the end). */
  committed: bigint;
  /** Log end when this run started: later offsets are new to this run. */
  end: bigint;
}

export interface Preflight {
  limits: DestinationLimits;
  positions: SourcePosition[];
}

/** Unique to source and destination: two relays of different topics never share a group by accident. */
export function defaultGroupOf(relay: KafkaRelay): string {
  return `doubletap-relay.${relay.from.join('+')}.to.${relay.to}`;
}

/** `where` names the brokers in an UnreachableError. */
export async function preflight(kafka: Kafka, relay: KafkaRelay, groupId: string, logger: Logger, where: string): Promise<Preflight> {
  const admin = kafka.admin();
  const path = `kafka.relays[${relay.name}]`;
  try {
    await admin.connect();
    const limits = await retrying(() => readDestinationLimits(admin, relay.to));
    const positions: SourcePosition[] = [];
    const problems: string[] = [];
    for (const { topic, partitions } of await retrying(() => admin.fetchOffsets({ groupId, topics: [...relay.from] }))) {
      // A topic created a moment ago may not have its leader known everywhere yet (NOT_LEADER).
      const ends = new Map((await retrying(() => admin.fetchTopicOffsets(topic))).map((p) => [p.partition, p]));
      for (const p of partitions) {
        const committed = BigInt(p.offset);
        const log = ends.get(p.partition);
        if (!log) continue;
        const [low, end] = [BigInt(log.low), BigInt(log.high)];
        positions.push({ topic, partition: p.partition, committed, end });
        // kafkajs answers OFFSET_OUT_OF_RANGE by resetting to the subscription's default: the start
        // (re-publishing the whole retained log) or the end (skipping what arrived since). Neither is
        // what a relay that promises "every message, at least once" should do unasked.
        if (committed > end) {
          problems.push(`${path}.group: group ${groupId} committed offset ${committed} for ${topic}/${p.partition}, beyond its log end ${end} (topic recreated or truncated?); reset the group's offsets or use another group`);
        } else if (committed >= 0n && committed < low) {
          logger.warn('relay: retention deleted source messages before they were relayed', { relay: relay.name, topic, partition: p.partition, committed: String(committed), logStart: String(low) });
        }
      }
    }
    if (problems.length > 0) throw new ConfigError(problems);
    if (!relay.fromBeginning) await pinToEnd(admin, groupId, positions, logger);
    logger.info('relay preflight', { relay: relay.name, groupId, ...limits });
    return { limits, positions };
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw new UnreachableError(where, `reading ${relay.to}'s config and group ${groupId}'s offsets: ${messageOf(err)}`);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/**
 * A new group starts at the end of the source: the end read here, committed before the consumer joins.
 * WHY not kafkajs' `fromBeginning: false`: it resolves "latest" at the first fetch, after the join, so
 * messages produced between "relaying" and that fetch would be skipped. Partitions the group already
 * has a position in keep it; a partition added later starts at its beginning (subscribe fallback).
 */
async function pinToEnd(admin: Admin, groupId: string, positions: SourcePosition[], logger: Logger): Promise<void> {
  for (const topic of new Set(positions.map((p) => p.topic))) {
    const fresh = positions.filter((p) => p.topic === topic && p.committed < 0n);
    if (fresh.length === 0) continue;
    try {
      await retrying(() => admin.setOffsets({ groupId, topic, partitions: fresh.map((p) => ({ partition: p.partition, offset: String(p.end) })) }));
      for (const p of fresh) p.committed = p.end;
    } catch (err) {
      // Another member of the group is already running (scale-out): it owns the positions.
      logger.warn('relay: could not pin a new group to the log end', { groupId, topic, error: messageOf(err) });
    }
  }
}

/**
 * The group coordinator may move or still be loading (a fresh cluster creates __consumer_offsets on
 * first use), a new topic's leader may not be known yet: kafkajs' admin gives up on those quickly.
 * Retriable errors get up to 20 s.
 */
async function retrying<T>(fn: () => Promise<T>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      const e = err as { retriable?: boolean; cause?: { retriable?: boolean } };
      const retriable = e.retriable === true || e.cause?.retriable === true || /coordinator|leader/i.test(messageOf(err));
      if (!retriable || Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}
