// Evaluates every stop condition each interval during the chaos window. The first trip halts the run
// (the halt switch cancels every pending copy synchronously; originals are untouched). A condition that
// cannot be read `unreadable` intervals in a row halts too: chaos fails closed, nobody is watching.
import type { HaltSwitch } from '../chaos/halt';
import { messageOf } from '../errors';
import { audit } from '../gate/audit';
import type { Journal } from '../journal/writer';
import type { Logger } from '../log';
import type { StopSource } from './types';

export interface StopWatchOptions {
  intervalMs: number;
  unreadableLimit: number;
  halt: HaltSwitch;
  journal: Journal;
  logger: Logger;
}

export class StopWatch {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private readonly misses = new Map<string, number>();
  /** When (epoch ms) a condition tripped or the watch halted: for the trip → last copy measurement. */
  haltedAtMs: number | undefined;

  constructor(private readonly sources: StopSource[], private readonly o: StopWatchOptions) {}

  start(): void {
    if (this.sources.length === 0) return;
    this.schedule();
  }

  private schedule(): void {
    if (this.stopped || this.o.halt.halted) return;
    this.timer = setTimeout(() => {
      this.running = this.evaluate().finally(() => this.schedule());
    }, this.o.intervalMs);
  }

  /** One interval: every condition read in parallel; each has its own timeout (the probes'). */
  async evaluate(): Promise<void> {
    const results = await Promise.allSettled(this.sources.map((s) => s.read()));
    if (this.stopped || this.o.halt.halted) return;
    results.forEach((r, i) => {
      const s = this.sources[i]!;
      if (r.status === 'rejected') return this.missed(s, messageOf(r.reason));
      this.misses.set(s.name, 0);
      if (r.value === undefined) return;
      const why = s.trips(r.value);
      if (why !== undefined) this.trip('stop', `stop condition ${s.name}: ${why}`);
    });
  }

  private missed(s: StopSource, error: string): void {
    const n = (this.misses.get(s.name) ?? 0) + 1;
    this.misses.set(s.name, n);
    this.o.logger.warn('stop condition unreadable', { condition: s.name, inARow: n, error });
    if (n >= this.o.unreadableLimit) this.trip('halt', `stop condition ${s.name} unreadable ${n} intervals in a row (fail closed): ${error}`);
  }

  private trip(event: 'stop' | 'halt', reason: string): void {
    if (this.o.halt.halted) return;
    this.haltedAtMs = Date.now();
    // Journaled before halting: the audit line comes before the cancelled copies it causes.
    audit(this.o.journal, event, { detail: reason });
    this.o.logger.warn('stopping the run', { reason });
    this.o.halt.halt(reason);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
    await Promise.allSettled(this.sources.map((s) => s.close()));
  }
}
