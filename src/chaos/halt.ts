// The halt switch: one per process. Halting cancels every scheduled copy; originals keep flowing.
import { EventEmitter } from 'node:events';

export class HaltSwitch extends EventEmitter {
  private reasonText: string | undefined;

  get halted(): boolean {
    return this.reasonText !== undefined;
  }

  get reason(): string | undefined {
    return this.reasonText;
  }

  /** Listeners run synchronously, so every pending copy is cancelled before halt() returns. */
  halt(reason = 'halted'): void {
    if (this.halted) return;
    this.reasonText = reason;
    this.emit('halt', reason);
  }

  resume(): void {
    if (!this.halted) return;
    this.reasonText = undefined;
    this.emit('resume');
  }
}
