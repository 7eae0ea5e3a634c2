// Samples the probes and doubletap's own counters every interval into timeline.jsonl.
import { createWriteStream, WriteStream } from 'node:fs';
import type { Tally } from '../journal/tally';
import type { Probe } from '../probes';
import type { TimelinePoint } from '../reconcile/types';

export type Phase = TimelinePoint['phase'];

export class TimelineSampler {
  private readonly out: WriteStream;
  private timer: NodeJS.Timeout | undefined;
  private sampling: Promise<void> | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private stopped = false;
  readonly points: TimelinePoint[] = [];

  constructor(
    file: string,
    private readonly probes: Probe[],
    private readonly tally: Tally,
    private readonly startedAt: number,
    private readonly phase: () => Phase,
  ) {
    this.out = createWriteStream(file, { flags: 'w' });
  }

  start(intervalMs: number): void {
    void this.sample();
    this.timer = setInterval(() => {
      // A slow probe must not pile up samples: skip a tick while one is still running.
      if (!this.sampling) void this.sample();
    }, intervalMs);
    this.timer.unref();
  }

  /** Takes one sample now (also used for the last point after settling). */
  sample(): Promise<void> {
    // Tracked one by one: an explicit sample() can overlap a timer tick, and stop() must await both
    // before it ends the stream (else: write after end).
    const p: Promise<void> = this.takeSample().finally(() => {
      this.inFlight.delete(p);
      if (this.sampling === p) this.sampling = undefined;
    });
    this.inFlight.add(p);
    this.sampling = p;
    return p;
  }

  private async takeSample(): Promise<void> {
    const values = await Promise.all(this.probes.map((p) => p.read().catch(() => null)));
    const totals = this.tally.totals();
    const point: TimelinePoint = {
      ts: new Date().toISOString(),
      t: Math.round((Date.now() - this.startedAt) / 100) / 10,
      phase: this.phase(),
      probes: Object.fromEntries(this.probes.map((p, i) => [p.name, values[i]])),
      originals: totals.originals,
      copies: totals.copies,
      outcomes: totals.outcomes,
    };
    if (this.stopped) return;
    this.points.push(point);
    this.out.write(JSON.stringify(point) + '\n');
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all([...this.inFlight]);
    if (this.stopped) return; // stop() runs twice on the error path (finally)
    this.stopped = true;
    await new Promise<void>((resolve) => this.out.end(resolve));
  }
}
