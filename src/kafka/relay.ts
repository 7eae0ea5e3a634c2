// The Kafka relay: consume the source topic(s), produce every message to the destination (acks all),
// and schedule a seeded fraction of copies. Offsets are committed only after the original is acked.
import { Partitioners, type Consumer, type EachBatchPayload, type KafkaMessage as Message, type Producer } from 'kafkajs';
import type { ChaosContext } from '../chaos/context';
import type { KafkaRelay, KafkaSection } from '../scenario/schema-kafka';
import { checkTopics, createKafka } from './client';
import { CopyScheduler } from './relay-copies';
import { AckedOffsets, forwardOf, identityOf } from './relay-message';
import { copyPlanner } from './relay-plan';
import type { RestartMatcher } from './restart-match';
import { COMMIT_EVERY, RELAY_CHUNK, restartCheck } from './restart-tail';
import { SerialSender } from './serial-sender';

export interface RelayOptions extends ChaosContext {
  kafka: KafkaSection;
  relay: KafkaRelay;
}

export interface RunningRelay {
  pending(): number;
  settle(timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
  stats(): { originals: number; copies: number; redeliveries: number };
  /** End of the chaos window: schedule no new copies; scheduled ones still go out (settle). */
  stopInjecting(): void;
}

export async function startRelay(o: RelayOptions): Promise<RunningRelay> {
  const { relay, journal, metrics, logger } = o;
  await checkTopics(o.kafka, logger, [
    ...relay.from.map((topic) => ({ path: `kafka.relays[${relay.name}].from`, topic })),
    { path: `kafka.relays[${relay.name}].to`, topic: relay.to },
  ]);
  const kafka = createKafka(o.kafka, logger);
  // Idempotent producer: a retry after a broker hiccup never writes an uncounted duplicate.
  const producer: Producer = kafka.producer({
    idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner, retry: { retries: 12, initialRetryTime: 300, maxRetryTime: 5000 },
  });
  const consumer: Consumer = kafka.consumer({
    groupId: relay.group ?? `doubletap-relay-${relay.name}`,
    // kafkajs has no background heartbeat (#447): the handler never awaits a copy's delay, and calls
    // heartbeat() between chunks; the session timeout covers one produce round trip with retries.
    sessionTimeout: 30_000, rebalanceTimeout: 30_000, heartbeatInterval: 3_000, maxWaitTimeInMs: 100,
    allowAutoTopicCreation: false,
  });
  // A failure after this point (group auth, a broker gone since the check) must not leave a
  // connected producer or consumer holding the process open.
  const abandon = async (err: unknown): Promise<never> => {
    await consumer.disconnect().catch(() => undefined);
    await producer.disconnect().catch(() => undefined);
    throw err;
  };
  await producer.connect().catch(abandon);
  await consumer.connect().catch(abandon);
  const sender = new SerialSender(producer, relay.to);
  const copies = new CopyScheduler(sender, { journal, metrics, budget: o.budget });
  const acked = new AckedOffsets();
  const counts = { originals: 0, redeliveries: 0 };
  let paused = false;
  let closing = false;
  let injecting = true;

  const onHalt = () => copies.cancelAll();
  o.halt.on('halt', onHalt);

  const pauseSources = () => {
    if (paused) return;
    paused = true;
    consumer.pause(relay.from.map((topic) => ({ topic })));
    logger.info('relay paused: too many scheduled copies', { relay: relay.name, pending: copies.size, maxPending: relay.maxPending });
    // Resume at half the limit, so pause/resume does not flap on every copy.
    void copies.drained(Math.floor(relay.maxPending / 2)).then(() => {
      paused = false;
      if (!closing) consumer.resume(relay.from.map((topic) => ({ topic })));
    });
  };

  const planCopies = copyPlanner(o, copies, () => injecting);

  const onAcked = (m: Message, topic: string, partition: number, redelivered: boolean, p: EachBatchPayload) => {
    const messageId = identityOf(m, topic, partition, relay.identity?.header);
    const id = journal.nextOriginalId();
    // Matched on ack, not on enqueue: a failed send is consumed again and must still match then.
    if (!redelivered && restart?.take(topic, partition, m.offset, messageId)) redelivered = true;
    acked.ack(topic, partition, m.offset);
    metrics.kafkaMessages.inc({ relay: relay.name, kind: 'original' });
    if (redelivered) {
      // Seen (and acked) before, in this process or (found in the destination's tail at start-up)
      // by the run before a crash: counted apart, and no second round of copies.
      counts.redeliveries += 1;
      metrics.kafkaRedeliveries.inc({ relay: relay.name });
      journal.write({ kind: 'original', id, relay: relay.name, topic, partition, offset: m.offset, messageId, redelivery: true });
    } else {
      counts.originals += 1;
      const reason = planCopies(m, topic, partition, id, messageId);
      journal.write({ kind: 'original', id, relay: relay.name, topic, partition, offset: m.offset, messageId, ...(reason ? { reason } : {}), ...(o.dryRun ? { dryRun: true } : {}) });
    }
    p.resolveOffset(m.offset);
  };

  const eachBatch = async (p: EachBatchPayload) => {
    // Before the first original goes out: the tail read is bounded (TAIL_READ_MS), and a batch
    // arriving before it ends waits, so no redelivery slips through unmatched.
    if (restart === undefined) restart = (await restartReady) ?? null;
    const { topic, partition } = p.batch;
    const msgs = p.batch.messages;
    for (let start = 0; start < msgs.length; start += RELAY_CHUNK) {
      if (!p.isRunning() || p.isStale()) return;
      const chunk = msgs.slice(start, start + RELAY_CHUNK);
      // Originals of one partition go out in order in group-committed requests. Each is journaled the
      // moment its own request is acked, so a SIGKILL leaves (almost) no produced-but-unjournaled line.
      let failed: unknown;
      await Promise.all(
        chunk.map((m) => {
          const redelivered = acked.isRedelivery(topic, partition, m.offset);
          return sender.enqueue(forwardOf(m)).acked.then(
            () => {
              if (failed === undefined) onAcked(m, topic, partition, redelivered, p);
            },
            (err: unknown) => {
              failed ??= err;
            },
          );
        }),
      );
      // Requests complete in order: the acked prefix is relayed; the rest is retried after a restart.
      if (failed !== undefined) throw failed;
      await p.heartbeat();
      await p.commitOffsetsIfNecessary();
      if (copies.size >= relay.maxPending) pauseSources();
    }
  };

  // null once known to be off; the end offsets are taken before this run produces anything.
  let restart: RestartMatcher | null | undefined;
  const restartReady = await restartCheck(kafka, relay, logger);
  try {
    await consumer.subscribe({ topics: [...relay.from], fromBeginning: true });
    await consumer.run({
      eachBatch, eachBatchAutoResolve: false, autoCommitInterval: 1000, autoCommitThreshold: COMMIT_EVERY, partitionsConsumedConcurrently: 1,
    });
  } catch (err) {
    o.halt.off('halt', onHalt);
    await abandon(err);
  }
  logger.info('relay running', { relay: relay.name, from: relay.from, to: relay.to });

  const settle = async (timeoutMs: number): Promise<boolean> => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((r) => (timer = setTimeout(() => r(false), timeoutMs)));
    const done = (async () => {
      await copies.drained(0);
      await sender.idle();
      return true;
    })();
    try {
      return await Promise.race([done, timeout]);
    } finally {
      clearTimeout(timer);
    }
  };

  return {
    pending: () => copies.size,
    stopInjecting: () => {
      injecting = false;
    },
    settle,
    stats: () => ({ originals: counts.originals, copies: copies.produced, redeliveries: counts.redeliveries }),
    close: async () => {
      if (closing) return;
      closing = true;
      o.halt.off('halt', onHalt);
      // Stop consuming first: kafkajs finishes the running batch and commits the resolved offsets.
      await consumer.disconnect();
      copies.cancelAll();
      await sender.idle();
      await producer.disconnect();
    },
  };
}
