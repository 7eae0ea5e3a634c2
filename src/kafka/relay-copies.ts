// Scheduled copies of relayed messages: timers (never awaited in the consumer's handler, so a long
// delay never blocks heartbeats), a pending count for back-pressure, and cancellation on halt.
import type { Message } from 'kafkajs';
import type { Budget } from '../chaos/budget';
import { messageOf } from '../errors';
import type { Journal } from '../journal/writer';
import type { Metrics } from '../metrics';
import type { SerialSender, Queued } from './serial-sender';

export interface CopyRequest {
  originalId: string;
  copyIndex: number;
  delayMs: number;
  message: Message;
  /** Journal fields shared with the original: relay, topic, partition, offset, messageId, key. */
  context: { relay: string; topic: string; partition: number; offset: string; messageId: string };
}

interface Pending {
  req: CopyRequest;
  timer?: NodeJS.Timeout;
  queued?: Queued;
}

export class CopyScheduler {
  private readonly pending = new Set<Pending>();
  private drainWaiters: { below: number; resolve: () => void }[] = [];
  produced = 0;
  /** Most copies pending at once (the maxPending bound is checked against it). */
  peak = 0;

  constructor(
    private readonly sender: SerialSender,
    private readonly deps: { journal: Journal; metrics: Metrics; budget: Budget },
    private readonly topic: string,
  ) {}

  get size(): number {
    return this.pending.size;
  }

  schedule(req: CopyRequest): void {
    const p: Pending = { req };
    this.pending.add(p);
    this.peak = Math.max(this.peak, this.pending.size);
    this.deps.metrics.pendingCopies.inc();
    this.deps.metrics.copyDelay.observe(req.delayMs / 1000);
    p.timer = setTimeout(() => this.fire(p), req.delayMs);
  }

  private fire(p: Pending): void {
    p.timer = undefined;
    const started = Date.now();
    const queued = this.sender.enqueue(this.topic, p.req.message, 'copy');
    p.queued = queued;
    queued.acked.then(
      () => {
        this.produced += 1;
        this.deps.metrics.kafkaMessages.inc({ relay: p.req.context.relay, kind: 'copy' });
        this.finish(p, { durationMs: Date.now() - started });
      },
      (err: unknown) => this.finish(p, { outcome: 'error', error: messageOf(err), durationMs: Date.now() - started }),
    );
  }

  private finish(p: Pending, extra: { outcome?: 'error' | 'cancelled'; error?: string; durationMs?: number }): void {
    if (!this.pending.delete(p)) return;
    this.deps.metrics.pendingCopies.dec();
    const { req } = p;
    this.deps.journal.write({
      kind: 'copy', id: `${req.originalId}.${req.copyIndex}`, of: req.originalId, fault: 'redeliver',
      delayMs: req.delayMs, ...req.context, ...extra,
    });
    for (const w of this.drainWaiters.filter((x) => this.pending.size <= x.below)) {
      this.drainWaiters.splice(this.drainWaiters.indexOf(w), 1);
      w.resolve();
    }
  }

  /**
   * Halt: every copy not yet handed to a produce request is cancelled (journal `cancelled`, budget
   * refunded) before this returns. A copy already inside an in-flight request cannot be recalled.
   */
  cancelAll(): number {
    let n = 0;
    for (const p of [...this.pending]) {
      if (p.timer) clearTimeout(p.timer);
      else if (!p.queued?.drop()) continue;
      p.timer = undefined;
      this.deps.budget.refund();
      this.finish(p, { outcome: 'cancelled' });
      n += 1;
    }
    return n;
  }

  /** Resolves once at most `below` copies are pending. */
  drained(below = 0): Promise<void> {
    if (this.pending.size <= below) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push({ below, resolve }));
  }
}
