// One direction of a linked connection (client → dependency or back). Bytes are written as they come,
// unchanged and in order; during a window they can be held (blackhole) or delayed (latency). Held or
// delayed bytes wait in order and the source is paused, so memory stays bounded by HIGH_WATER.
import type { Socket } from 'node:net';

const HIGH_WATER = 1024 * 1024;

export class Lane {
  private readonly queue: { chunk: Buffer; due: number }[] = [];
  private queuedBytes = 0;
  private held = false;
  private delayMs = 0;
  private timer: NodeJS.Timeout | undefined;
  private waitingDrain = false;
  private ended = false;

  constructor(private readonly src: Socket, private readonly dst: Socket) {
    src.on('data', (chunk: Buffer) => this.push(chunk));
    src.on('end', () => {
      this.ended = true;
      this.pump();
    });
  }

  /** hold = accept bytes and forward none until released (a blackhole); bytes are kept, not dropped. */
  setHeld(held: boolean): void {
    this.held = held;
    if (!held) this.pump();
  }

  /** Extra one-way delay for every chunk that arrives from now on; 0 also releases delayed chunks at once. */
  setDelay(ms: number): void {
    this.delayMs = ms;
    if (ms === 0) for (const q of this.queue) q.due = 0;
    this.pump();
  }

  /** The source sent its end (a clean half-close): what is queued still goes out, then dst.end(). */
  get sourceEnded(): boolean {
    return this.ended;
  }

  private push(chunk: Buffer): void {
    if (!this.held && this.delayMs === 0 && this.queue.length === 0 && !this.waitingDrain) {
      if (!this.dst.write(chunk)) this.waitDrain();
      return;
    }
    this.queue.push({ chunk, due: Date.now() + this.delayMs });
    this.queuedBytes += chunk.length;
    if (this.held || this.queuedBytes > HIGH_WATER) this.src.pause();
    this.pump();
  }

  private pump(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.held || this.dst.destroyed) return;
    while (this.queue.length > 0 && !this.waitingDrain) {
      const wait = this.queue[0].due - Date.now();
      if (wait > 0) {
        this.timer = setTimeout(() => this.pump(), wait);
        return;
      }
      const { chunk } = this.queue.shift()!;
      this.queuedBytes -= chunk.length;
      if (!this.dst.write(chunk)) this.waitDrain();
    }
    if (this.waitingDrain) return;
    if (this.queue.length === 0 && this.ended) this.dst.end();
    else if (this.queuedBytes <= HIGH_WATER && this.src.isPaused()) this.src.resume();
  }

  private waitDrain(): void {
    this.waitingDrain = true;
    this.src.pause();
    this.dst.once('drain', () => {
      this.waitingDrain = false;
      if (!this.held) this.src.resume();
      this.pump();
    });
  }

  stop(): void {
    clearTimeout(this.timer);
  }
}
