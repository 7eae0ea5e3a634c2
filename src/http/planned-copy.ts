// One planned copy of a picked request, as the scheduler (copies.ts) keeps it from plan to journal line.
import type { WheelItem } from '../chaos/timer-wheel';
import type { CopyAttempt } from './copy-sender';
import type { Exchange } from './exchange';

/** What a copy has once it is sent (the budget was taken); a waiting copy does not pay for it. */
export interface Sent {
  sentMs: number;
  /** The identity it was sent with (strip-key sends none), and its body's hash. */
  key: string | undefined;
  bodySha256: string | undefined;
  attempt: CopyAttempt | undefined;
}

/** One planned copy. Kept small: thousands may wait at once, and each costs memory until it is done. */
export class PlannedCopy implements WheelItem {
  wheelSlot?: number = undefined;
  wheelPrev?: WheelItem = undefined;
  wheelNext?: WheelItem = undefined;
  state: 'waiting' | 'sending' | 'done' = 'waiting';
  sent: Sent | undefined = undefined;

  constructor(
    readonly ex: Exchange,
    readonly index: number,
    readonly delayMs: number,
  ) {}

  /** Built when needed (mark header, journal), not held while the copy waits. */
  get id(): string {
    return `c-${this.ex.id.slice(2)}.${this.index + 1}`;
  }
}
