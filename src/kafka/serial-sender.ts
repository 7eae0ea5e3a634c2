// One produce request in flight at a time on an idempotent producer (kafkajs misnumbers sequences when
// send() runs concurrently: #598). Messages enqueued while a request is in flight ride the next one
// (group commit), so throughput stays high and order per partition is the order of enqueue().
import type { Message, Producer } from 'kafkajs';
import { recordBytes } from './destination-limits';

/** What a queued message is: an original's failure holds back the originals behind it (see pump). */
export type EntryKind = 'original' | 'copy' | 'dead-letter';

interface Entry {
  topic: string;
  kind: EntryKind;
  message: Message;
  bytes: number;
  /** Called once: without an error when its request was acknowledged. */
  settle: (err?: unknown) => void;
}

/** How a chunk of originals went: the first `done` were acknowledged; `failed` stopped the rest. */
export interface ChunkResult {
  done: number;
  failed: unknown;
}

/** A message waiting for or riding in a request (opaque: for drop()). */
export type QueuedEntry = object;

export interface Queued {
  acked: Promise<void>;
}

/** An original that was never sent because one before it failed: the relay sends it again. */
export class NotSentError extends Error {
  constructor(cause: unknown) {
    super(`not sent: an earlier original failed (${cause instanceof Error ? cause.message : String(cause)})`);
  }
}

export class SerialSender {
  private queue: Entry[] = [];
  private busy = false;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly producer: Producer, private readonly maxRequestBytes: number) {}

  /** `bytes`: the message's recordBytes, when the caller has it already. */
  enqueue(topic: string, message: Message, kind: EntryKind, bytes = recordBytes(message)): Queued {
    let entry!: Entry;
    const acked = new Promise<void>((resolve, reject) => {
      entry = { topic, kind, message, bytes, settle: (err) => (err === undefined ? resolve() : reject(err)) };
    });
    this.queue.push(entry);
    this.start();
    return { acked };
  }

  /**
   * One copy, settled through `settle` (no promise: a relay at 10 % sends one per ten originals).
   * Returns the entry, which `drop` takes back while its request has not gone out.
   */
  enqueueCopy(topic: string, message: Message, settle: (err?: unknown) => void): QueuedEntry {
    const entry: Entry = { topic, kind: 'copy', message, bytes: recordBytes(message), settle };
    this.queue.push(entry);
    this.start();
    return entry;
  }

  /** True when the entry was taken back before its request went out. */
  drop(entry: QueuedEntry): boolean {
    const i = this.queue.indexOf(entry as Entry);
    if (i < 0) return false;
    this.queue.splice(i, 1);
    return true;
  }

  /**
   * A chunk of originals, in order, settled together: one promise and one counter for the chunk, not
   * a promise and callbacks per message. Acks come in queue order and stop at the first failure, so
   * the acknowledged ones are always a prefix of the chunk.
   */
  enqueueChunk(topic: string, messages: readonly Message[], bytes: readonly number[]): Promise<ChunkResult> {
    if (messages.length === 0) return Promise.resolve({ done: 0, failed: undefined });
    return new Promise((resolve) => {
      const result: ChunkResult = { done: 0, failed: undefined };
      let left = messages.length;
      const settle = (err?: unknown): void => {
        if (err !== undefined) result.failed ??= err;
        else if (result.failed === undefined) result.done += 1;
        if (--left === 0) resolve(result);
      };
      for (let i = 0; i < messages.length; i++) this.queue.push({ topic, kind: 'original', message: messages[i], bytes: bytes[i], settle });
      this.start();
    });
  }

  private start(): void {
    if (this.busy) return;
    // After the caller's synchronous pass: what it enqueued in one go rides one request (started at
    // once, the first message went alone and the rest waited for the next request).
    this.busy = true;
    queueMicrotask(() => void this.pump());
  }

  /** Messages waiting for or riding in a request. */
  get size(): number {
    return this.queue.length + (this.busy ? 1 : 0);
  }

  idle(): Promise<void> {
    if (!this.busy && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private take(): Entry[] {
    const out: Entry[] = [];
    let bytes = 0;
    while (this.queue.length > 0 && (out.length === 0 || bytes + this.queue[0].bytes <= this.maxRequestBytes)) {
      const e = this.queue.shift()!;
      bytes += e.bytes;
      out.push(e);
    }
    return out;
  }

  private async pump(): Promise<void> {
    this.busy = true;
    while (this.queue.length > 0) {
      const batch = this.take();
      try {
        // acks -1: the original counts as relayed only once every in-sync replica has it.
        const byTopic = new Map<string, Message[]>();
        for (const e of batch) byTopic.get(e.topic)?.push(e.message) ?? byTopic.set(e.topic, [e.message]);
        await this.producer.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
      } catch (err) {
        for (const e of batch) e.settle(err);
        // WHY: the relay resolves source offsets in order, so an original acked after a failed one
        // could never be committed and would be relayed again uncounted. Originals behind the failure
        // are not sent; the relay enqueues them again. Copies stand alone and still go out.
        if (batch.some((e) => e.kind !== 'copy')) {
          const held = this.queue.filter((e) => e.kind !== 'copy');
          this.queue = this.queue.filter((e) => e.kind === 'copy');
          for (const e of held) e.settle(new NotSentError(err));
        }
        continue;
      }
      // Outside the try: a settle callback that throws is a bug to surface, not a failed request
      // (its batch, acknowledged, must not be settled a second time as failed).
      for (const e of batch) e.settle();
    }
    this.busy = false;
    for (const w of this.idleWaiters.splice(0)) w();
  }
}
