// One produce request in flight at a time on an idempotent producer (kafkajs misnumbers sequences when
// send() runs concurrently: #598). Messages enqueued while a request is in flight ride the next one
// (group commit), so throughput stays high and order per partition is the order of enqueue().
import type { Message, Producer } from 'kafkajs';

/** A record batch must stay under the broker's message.max.bytes (1 MiB by default). */
const MAX_REQUEST_BYTES = 512 * 1024;

interface Entry {
  message: Message;
  bytes: number;
  resolve: () => void;
  reject: (err: unknown) => void;
  /** Cancelled before it went out (halt): never sent. */
  dropped?: boolean;
}

export interface Queued {
  acked: Promise<void>;
  /** True when the message was taken back before its request went out. */
  drop(): boolean;
}

function sizeOf(m: Message): number {
  let n = 64 + (m.key ? Buffer.byteLength(m.key as Buffer | string) : 0) + (m.value ? Buffer.byteLength(m.value as Buffer | string) : 0);
  for (const [k, v] of Object.entries(m.headers ?? {})) {
    for (const x of Array.isArray(v) ? v : [v]) n += k.length + (x ? Buffer.byteLength(x) : 0);
  }
  return n;
}

export class SerialSender {
  private queue: Entry[] = [];
  private busy = false;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly producer: Producer, private readonly topic: string) {}

  enqueue(message: Message): Queued {
    let entry!: Entry;
    const acked = new Promise<void>((resolve, reject) => {
      entry = { message, bytes: sizeOf(message), resolve, reject };
    });
    this.queue.push(entry);
    if (!this.busy) void this.pump();
    return {
      acked,
      drop: () => {
        const i = this.queue.indexOf(entry);
        if (i < 0) return false;
        this.queue.splice(i, 1);
        entry.dropped = true;
        return true;
      },
    };
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
    while (this.queue.length > 0 && (out.length === 0 || bytes + this.queue[0].bytes <= MAX_REQUEST_BYTES)) {
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
        await this.producer.send({ topic: this.topic, acks: -1, messages: batch.map((e) => e.message) });
        for (const e of batch) e.resolve();
      } catch (err) {
        for (const e of batch) e.reject(err);
      }
    }
    this.busy = false;
    for (const w of this.idleWaiters.splice(0)) w();
  }
}
