// The Kafka relay: consume the source topic(s), produce every message to the destination (acks all),
// and schedule a seeded fraction of copies. Offsets are committed only after the original is acked.
// This file wires the parts: preflight (limits, positions), the consume loop (relay-consume.ts),
// copies (relay-plan.ts, relay-copies.ts), liveness (relay-health.ts), restart accounting.
import { Partitioners, type Consumer, type Producer } from 'kafkajs';
import type { Arming } from '../chaos/arming';
import type { ChaosContext } from '../chaos/context';
import type { KafkaRelay, KafkaSection } from '../scenario/schema-kafka';
import { checkTopics, createKafka } from './client';
import { requestBytes } from './destination-limits';
import { journaledOriginals } from './journal-recall';
import { messageOf } from '../errors';
import { CopyScheduler } from './relay-copies';
import { batchHandler } from './relay-consume';
import { RelayHealth, type HealthSnapshot, type Liveness } from './relay-health';
import { copyPlanner } from './relay-plan';
import { defaultGroupOf, preflight } from './relay-preflight';
import { COMMIT_EVERY, restartCheck } from './restart-tail';
import { SerialSender } from './serial-sender';
import { within } from '../probes/timeout';

export interface RelayOptions extends ChaosContext {
  kafka: KafkaSection;
  relay: KafkaRelay;
  /** The journal file this relay appends to: a restart reads back what the previous run journaled. */
  journalFile?: string;
  /** Standing mode: copies only while a run has this relay armed (see copyPlanner). */
  arming?: Arming;
  /** Stall thresholds (tests shorten them); docs/relay.md has the defaults. */
  liveness?: Liveness;
}

export interface RelayStats {
  originals: number;
  copies: number;
  redeliveries: number;
  deadLettered: number;
  /** Most copies scheduled at once: never above maxPending. */
  peakPending: number;
}

export interface RunningRelay {
  pending(): number;
  settle(timeoutMs: number): Promise<boolean>;
  /** Bounded: a broker that does not answer cannot hold the process (false when it gave up). */
  close(timeoutMs?: number): Promise<boolean>;
  stats(): RelayStats;
  health(): HealthSnapshot;
  /** Resolves with the reason once the relay failed for good (it stops consuming then). */
  failed: Promise<string>;
  /** End of the chaos window: schedule no new copies; scheduled ones still go out (settle). */
  stopInjecting(): void;
  /** Test hook: the clients, to kill one and watch the liveness contract react. */
  readonly clients: { consumer: Consumer; producer: Producer };
}

export async function startRelay(o: RelayOptions): Promise<RunningRelay> {
  const { relay, journal, metrics, logger } = o;
  const path = `kafka.relays[${relay.name}]`;
  await checkTopics(o.kafka, logger, [
    ...relay.from.map((topic) => ({ path: `${path}.from`, topic })),
    { path: `${path}.to`, topic: relay.to },
    ...(relay.deadLetter ? [{ path: `${path}.deadLetter`, topic: relay.deadLetter }] : []),
  ]);
  const kafka = createKafka(o.kafka, logger);
  const groupId = relay.group ?? defaultGroupOf(relay);
  const pre = await preflight(kafka, relay, groupId, logger, o.kafka.brokers.join(','));
  // Idempotent producer: a retry after a broker hiccup never writes an uncounted duplicate.
  const producer: Producer = kafka.producer({
    idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner, retry: { retries: 12, initialRetryTime: 300, maxRetryTime: 5000 },
  });
  const consumer: Consumer = kafka.consumer({
    groupId,
    // kafkajs has no background heartbeat (#447): the handler never awaits a copy's delay, and calls
    // heartbeat() between chunks; the session timeout covers one produce round trip with retries.
    sessionTimeout: 30_000, rebalanceTimeout: 30_000, heartbeatInterval: 3_000, maxWaitTimeInMs: 100,
    allowAutoTopicCreation: false,
  });
  const health = new RelayHealth(relay.name, logger, o.liveness);
  // A failure after this point (group auth, a broker gone since the check) must not leave a
  // connected producer or consumer holding the process open.
  const abandon = async (err: unknown): Promise<never> => {
    health.stopping();
    await consumer.disconnect().catch(() => undefined);
    await producer.disconnect().catch(() => undefined);
    throw err;
  };
  await producer.connect().catch(abandon);
  await consumer.connect().catch(abandon);
  health.attach(consumer, producer, () => kafka.admin(), groupId);
  const sender = new SerialSender(producer, requestBytes(pre.limits));
  const onBug = (err: unknown) => logger.error('chaos path error (originals unaffected)', { relay: relay.name, error: messageOf(err) });
  const copies = new CopyScheduler(sender, { journal, metrics, budget: o.budget, onBug }, relay);
  const counts = { originals: 0, redeliveries: 0, deadLettered: 0 };
  const sources = relay.from.map((topic) => ({ topic }));
  let paused = false;
  let closing = false;
  let injecting = true;

  const onHalt = () => copies.cancelAll();
  o.halt.on('halt', onHalt);
  const failed = new Promise<string>((resolve) => health.once('failed', resolve));
  void failed.then(() => {
    try {
      consumer.pause(sources);
    } catch {
      // the consumer is already gone (that may be the failure)
    }
  });

  const pauseSources = () => {
    if (paused) return;
    paused = true;
    health.setPaused(true);
    consumer.pause(sources);
    logger.info('relay paused: too many scheduled copies', { relay: relay.name, pending: copies.size, maxPending: relay.maxPending });
    // Resume at half the limit, so pause/resume does not flap on every copy.
    void copies.drained(Math.floor(relay.maxPending / 2)).then(() => {
      paused = false;
      health.setPaused(false);
      if (!closing && !health.failure) consumer.resume(sources);
    });
  };

  // The end offsets are taken before this run produces anything; the tail itself is read while the
  // consumer joins its group (the handler waits for it before the first original).
  const tail = await restartCheck(kafka, relay, logger, pre);
  const eachBatch = batchHandler({
    o, sender, copies, health, limits: pre.limits, tail, counts, pauseSources, planCopies: copyPlanner(o, copies, () => injecting),
    journaled: relay.identity?.header ? journaledOriginals(o.journalFile, relay.name) : undefined,
  });
  try {
    // Always true: where a new group starts is decided in preflight (pinned to the end unless
    // fromBeginning); this only covers a partition with no position at all (added later): from its start.
    await consumer.subscribe({ topics: [...relay.from], fromBeginning: true });
    await consumer.run({
      eachBatch, eachBatchAutoResolve: false, autoCommitInterval: 1000, autoCommitThreshold: COMMIT_EVERY, partitionsConsumedConcurrently: 1,
    });
  } catch (err) {
    o.halt.off('halt', onHalt);
    await abandon(err);
  }
  logger.info('relay running', { relay: relay.name, from: relay.from, to: relay.to, groupId });

  const settle = async (timeoutMs: number): Promise<boolean> =>
    within(timeoutMs, (async () => {
      await copies.drained(0);
      await sender.idle();
    })());

  return {
    pending: () => copies.size,
    stopInjecting: () => {
      injecting = false;
    },
    settle,
    failed,
    health: () => health.snapshot(),
    clients: { consumer, producer },
    stats: () => ({ ...counts, copies: copies.produced, peakPending: copies.peak }),
    close: async (timeoutMs = 15_000) => {
      if (closing) return true;
      closing = true;
      health.stopping();
      o.halt.off('halt', onHalt);
      // Stop consuming first: kafkajs finishes the running batch and commits the resolved offsets.
      // Bounded: with the broker gone kafkajs can wait on it for ever (a SIGTERM that never exits).
      const clean = await within(timeoutMs, (async () => {
        await consumer.disconnect();
        copies.cancelAll();
        await sender.idle();
        await producer.disconnect();
      })());
      if (!clean) {
        copies.cancelAll();
        logger.warn('relay close timed out: uncommitted offsets will be relayed again (counted as redeliveries)', { relay: relay.name, timeoutMs });
        void consumer.disconnect().catch(() => undefined);
        void producer.disconnect().catch(() => undefined);
      }
      return clean;
    },
  };
}
