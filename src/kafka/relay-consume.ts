// The consume loop: each fetched batch is produced in order, chunk by chunk, and a source offset is
// resolved only once its original is acknowledged (or dead-lettered). Never ahead of a failure: a
// message the destination refuses stops this partition here (or goes to the dead-letter topic).
import type { EachBatchPayload, Message as KafkaJsMessage, KafkaMessage as Message } from 'kafkajs';
import { messageOf } from '../errors';
import type { RelayOptions } from './relay';
import type { CopyScheduler } from './relay-copies';
import type { RelayHealth } from './relay-health';
import { AckedOffsets, forwardOf, identityOf, produced } from './relay-message';
import { recordBytes, rejectionOf, type DestinationLimits } from './destination-limits';
import { headersOf, rawHeadersOf } from './raw-headers';
import type { RestartMatcher } from './restart-match';
import { RELAY_CHUNK, type TailRead } from './restart-tail';
import type { SerialSender } from './serial-sender';

export interface ConsumeContext {
  o: RelayOptions;
  sender: SerialSender;
  copies: CopyScheduler;
  health: RelayHealth;
  limits: DestinationLimits;
  tail: TailRead;
  counts: { originals: number; redeliveries: number; deadLettered: number };
  /** Schedules the copies of an acked original; returns the journal's `reason` (halted) if any. */
  planCopies: (m: Message, topic: string, partition: number, id: string, messageId: string) => string | undefined;
  /** Pauses every source until the scheduled copies drain (maxPending). */
  pauseSources: () => void;
  /** Originals the previous run journaled (journal-recall.ts); undefined when unknown. */
  journaled?: Set<string>;
}

/** A destination refusal that retrying will not cure (size, timestamp, record validation). */
const permanent = (err: unknown): boolean => (err as { name?: string; retriable?: boolean }).name === 'KafkaJSProtocolError' && (err as { retriable?: boolean }).retriable === false;

export function batchHandler(c: ConsumeContext) {
  const { relay, journal, metrics } = c.o;
  const acked = new AckedOffsets();
  let restart: RestartMatcher | null | undefined;

  const line = (m: Message, topic: string, partition: number) => {
    const messageId = identityOf(m, topic, partition, relay.identity?.header);
    return { id: journal.nextOriginalId(), relay: relay.name, topic, partition, offset: m.offset, messageId };
  };

  /** One acknowledged original: its journal line, its copies. The offset bookkeeping is per chunk. */
  const onAcked = (m: Message, topic: string, partition: number, redelivered: boolean) => {
    const l = line(m, topic, partition);
    // Matched on ack, not on enqueue: a failed send is consumed again and must still match then.
    if (!redelivered && restart?.take(topic, partition, m.offset, l.messageId, m.timestamp)) {
      redelivered = true;
      // Produced by the run that died, in its request in flight: never journaled. Its original line
      // (counted, with its copy decision) is written now, then this second write as a redelivery.
      if (c.journaled && !c.journaled.has(`${topic}/${partition}/${m.offset}`)) {
        c.counts.originals += 1;
        const reason = c.planCopies(m, topic, partition, l.id, l.messageId);
        journal.write({ kind: 'original', ...l, recovered: true, ...(reason ? { reason } : {}) });
        l.id = journal.nextOriginalId();
      }
    }
    if (redelivered) {
      // Seen (and acked) before, in this process or (found in the destination's tail at start-up)
      // by the run before a crash: counted apart, and no second round of copies.
      c.counts.redeliveries += 1;
      metrics.kafkaRedeliveries.inc({ relay: relay.name });
      journal.write({ kind: 'original', ...l, redelivery: true });
    } else {
      c.counts.originals += 1;
      const reason = c.planCopies(m, topic, partition, l.id, l.messageId);
      // Undefined fields are left out of the line (as the HTTP path writes them): no spreads per message.
      journal.write({ kind: 'original', ...l, reason, dryRun: c.o.dryRun || undefined });
    }
  };

  /** Produces `chunk` in order; returns how many were acked and the first failure. */
  const relayChunk = async (chunk: Message[], forwards: KafkaJsMessage[], sizes: number[], topic: string, partition: number, p: EachBatchPayload) => {
    // Before anything of this chunk is acknowledged: a redelivery is an offset acked earlier.
    const redelivered = chunk.map((m) => acked.isRedelivery(topic, partition, m.offset));
    const { done, failed } = await c.sender.enqueueChunk(relay.to, forwards, sizes);
    if (done === 0) return { done, failed };
    // The acknowledged ones are a prefix of the chunk: its last offset stands for all of them
    // (kafkajs parses each offset it is given). Resolved first: the destination has them, whatever
    // happens while they are journaled.
    const last = chunk[done - 1].offset;
    acked.ack(topic, partition, last);
    p.resolveOffset(last);
    metrics.kafkaMessages.inc({ relay: relay.name, kind: 'original' }, done);
    for (let j = 0; j < done; j++) onAcked(chunk[j], topic, partition, redelivered[j]);
    return { done, failed };
  };

  /** A message the destination can never take: aside to the dead-letter topic, else stop loudly. */
  const refuse = async (m: Message, topic: string, partition: number, reason: string, p: EachBatchPayload): Promise<boolean> => {
    const l = line(m, topic, partition);
    if (relay.deadLetter) {
      const headers = headersOf([...rawHeadersOf(m.headers), ['doubletap-rejected', Buffer.from(reason)], ['doubletap-source', Buffer.from(`${topic}/${partition}/${m.offset}`)]]);
      try {
        await c.sender.enqueue(relay.deadLetter, produced(m.key, m.value, headers, m.timestamp), 'dead-letter').acked;
        c.counts.deadLettered += 1;
        journal.write({ kind: 'original', ...l, error: reason, deadLetter: relay.deadLetter });
        acked.ack(topic, partition, m.offset);
        p.resolveOffset(m.offset);
        return true;
      } catch (err) {
        reason = `${reason}; the dead-letter topic ${relay.deadLetter} refused it too: ${messageOf(err)}`;
      }
    }
    journal.write({ kind: 'original', ...l, error: reason });
    c.health.fail(`${relay.to} refuses ${topic}/${partition} offset ${m.offset} (message ${l.messageId}): ${reason}${relay.deadLetter ? '' : '; set deadLetter to route such messages aside'}`);
    return false;
  };

  return async (p: EachBatchPayload): Promise<void> => {
    // Before the first original goes out: the tail read is bounded (TAIL_READ_MS), and a batch
    // arriving before it ends waits, so no redelivery slips through unmatched.
    if (restart === undefined) restart = (await c.tail.matcher) ?? null;
    const { topic, partition, messages } = p.batch;
    let i = 0;
    while (i < messages.length) {
      if (!p.isRunning() || p.isStale() || c.health.failure) return;
      // maxPending holds exactly: each original may schedule `copies` copies. The unresolved rest
      // of the batch is fetched again after the sources resume.
      const room = Math.floor((relay.maxPending - c.copies.size) / relay.copies);
      if (room <= 0) return c.pauseSources();
      const chunk = messages.slice(i, i + Math.min(RELAY_CHUNK, room));
      const forwards = chunk.map(forwardOf);
      const sizes = forwards.map(recordBytes);
      const now = Date.now();
      const reasons = forwards.map((f, j) => rejectionOf(f, c.limits, now, sizes[j]));
      const refused = reasons.findIndex((r) => r !== undefined);
      const sendable = refused >= 0 ? refused : chunk.length;
      const { done, failed } = await relayChunk(chunk.slice(0, sendable), forwards.slice(0, sendable), sizes.slice(0, sendable), topic, partition, p);
      i += done;
      if (failed !== undefined) {
        const m = messages[i];
        // kafkajs already retried: a refusal is final; anything else restarts the consumer (kafkajs
        // backs off and fetches again from the last resolved offset).
        if (!permanent(failed)) throw failed;
        journal.write({ kind: 'original', ...line(m, topic, partition), error: messageOf(failed) });
        return c.health.fail(`${relay.to} refused a request with ${topic}/${partition} offset ${m.offset}: ${messageOf(failed)}`);
      }
      if (refused >= 0) {
        const m = messages[i];
        if (!(await refuse(m, topic, partition, reasons[refused]!, p))) return;
        i += 1;
      }
      await p.heartbeat();
      await p.commitOffsetsIfNecessary();
    }
  };
}
