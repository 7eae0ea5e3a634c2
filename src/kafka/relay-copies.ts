// Scheduled copies of relayed messages: one timer wheel (never awaited in the consumer's handler, so a
// long delay never blocks heartbeats), a pending count for back-pressure, and cancellation on halt.
// A copy is a plain record with a settle callback: no Timeout, promise or metric-label lookup per copy,
// the HTTP copies' scheme (measured neutral for the relay's throughput: docs/benchmarks.md).
import type { Message } from 'kafkajs';
import type { Budget } from '../chaos/budget';
import { TimerWheel, type WheelItem } from '../chaos/timer-wheel';
import { messageOf } from '../errors';
import type { Journal } from '../journal/writer';
import type { Metrics } from '../metrics';
import type { SerialSender, QueuedEntry } from './serial-sender';

export interface CopyRequest {
  originalId: string;
  copyIndex: number;
  delayMs: number;
  message: Message;
  /** Journal fields shared with the original: relay, topic, partition, offset, messageId. */
  context: { relay: string; topic: string; partition: number; offset: string; messageId: string };
}

interface Pending extends WheelItem {
  req: CopyRequest;
  /** Handed to the sender (no longer in the wheel), at startedMs. */
  queued?: QueuedEntry;
  startedMs: number;
}

export class CopyScheduler {
  private readonly pending = new Set<Pending>();
  private readonly wheel: TimerWheel<Pending>;
  private drainWaiters: { below: number; resolve: () => void }[] = [];
  private readonly copiesProduced: { inc(): void };
  produced = 0;
  /** Most copies pending at once (the maxPending bound is checked against it). */
  peak = 0;

  constructor(
    private readonly sender: SerialSender,
    private readonly deps: { journal: Journal; metrics: Metrics; budget: Budget; onBug: (err: unknown) => void },
    /** The relay whose copies these are: they go to its destination topic. */
    private readonly relay: { name: string; to: string },
  ) {
    this.wheel = new TimerWheel<Pending>((p) => this.fire(p), undefined, deps.onBug);
    this.copiesProduced = deps.metrics.kafkaMessages.labels({ relay: relay.name, kind: 'copy' });
  }

  get size(): number {
    return this.pending.size;
  }

  schedule(req: CopyRequest): void {
    const p: Pending = { req, startedMs: 0 };
    this.pending.add(p);
    if (this.pending.size > this.peak) this.peak = this.pending.size;
    this.deps.metrics.pendingCopies.inc();
    this.deps.metrics.copyDelay.observe(req.delayMs / 1000);
    this.wheel.schedule(p, req.delayMs);
  }

  private fire(p: Pending): void {
    p.startedMs = Date.now();
    try {
      p.queued = this.sender.enqueueCopy(this.relay.to, p.req.message, (err) => this.acked(p, err));
    } catch (err) {
      // Fail closed: a copy that could not be queued is journaled as an error, never left pending.
      this.acked(p, err);
    }
  }

  /** Called by the sender's pump: never throws into it (a bug here must not fail the originals' batch). */
  private acked(p: Pending, err: unknown): void {
    try {
      const durationMs = Date.now() - p.startedMs;
      if (err !== undefined) return this.finish(p, 'error', messageOf(err), durationMs);
      this.produced += 1;
      this.copiesProduced.inc();
      this.finish(p, undefined, undefined, durationMs);
    } catch (bug) {
      this.deps.onBug(bug);
    }
  }

  private finish(p: Pending, outcome: 'error' | 'cancelled' | undefined, error: string | undefined, durationMs: number | undefined): void {
    if (!this.pending.delete(p)) return;
    this.deps.metrics.pendingCopies.dec();
    const { req } = p;
    const c = req.context;
    this.deps.journal.write({
      kind: 'copy', id: `${req.originalId}.${req.copyIndex}`, of: req.originalId, fault: 'redeliver', delayMs: req.delayMs,
      relay: c.relay, topic: c.topic, partition: c.partition, offset: c.offset, messageId: c.messageId, outcome, error, durationMs,
    });
    if (this.drainWaiters.length === 0) return;
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
      if (!this.wheel.cancel(p) && !(p.queued !== undefined && this.sender.drop(p.queued))) continue;
      this.deps.budget.refund();
      this.finish(p, 'cancelled', undefined, undefined);
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
