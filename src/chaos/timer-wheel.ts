// One timer for many delayed items (pending copies). A setTimeout per copy costs a Timeout object and,
// with jittered delays (every copy its own duration), a timer list and a priority-queue insert each.
// Here items falling due in the same slot (slotMs) fire together from one timer, slots in time order
// and items of a slot in the order they were scheduled. Items are their own list nodes (no wrapper
// per item, no bucket object: a slot is its first item, whose wheelPrev is the slot's last), so cancel
// is O(1). Never early: an item fires at the end of its slot, at most slotMs late.
// Pure bookkeeping plus one timer; the clock is injectable for tests.

/** The links the wheel keeps on each item; owned by the wheel, never touched by anyone else. */
export interface WheelItem {
  wheelSlot?: number;
  wheelPrev?: WheelItem;
  wheelNext?: WheelItem;
}

export interface WheelClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realClock: WheelClock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

export class TimerWheel<T extends WheelItem> {
  /** Slot → its first item. */
  private readonly slots = new Map<number, WheelItem>();
  /** Min-heap of slots that had items; a slot emptied by cancel is skipped when it surfaces. */
  private readonly heap: number[] = [];
  private count = 0;
  private timer: unknown;
  private armedSlot = Infinity;
  /** While a slot fires, items scheduled into it or earlier go to the next slot (no endless tick). */
  private firingSlot = -Infinity;

  constructor(
    private readonly onDue: (item: T) => void,
    readonly slotMs = 2,
    private readonly onError: (err: unknown) => void = (err) => queueMicrotask(() => { throw err; }),
    private readonly clock: WheelClock = realClock,
  ) {}

  /** Items scheduled and not yet fired or cancelled. */
  get size(): number {
    return this.count;
  }

  /** Fire `item` after `delayMs` (rounded up to the slot's end). Rescheduling moves it. */
  schedule(item: T, delayMs: number): void {
    if (item.wheelSlot !== undefined) this.cancel(item);
    let slot = Math.ceil((this.clock.now() + Math.max(0, delayMs)) / this.slotMs);
    if (slot <= this.firingSlot) slot = this.firingSlot + 1;
    const head = this.slots.get(slot);
    item.wheelSlot = slot;
    item.wheelNext = undefined;
    if (head === undefined) {
      item.wheelPrev = item;
      this.slots.set(slot, item);
      heapPush(this.heap, slot);
    } else {
      const tail = head.wheelPrev!;
      tail.wheelNext = item;
      item.wheelPrev = tail;
      head.wheelPrev = item;
    }
    this.count++;
    if (slot < this.armedSlot) this.arm(slot);
  }

  /** Remove a scheduled item (O(1)); false when it was not scheduled. */
  cancel(item: T): boolean {
    if (item.wheelSlot === undefined) return false;
    this.unlink(item);
    if (this.count === 0) this.disarm();
    return true;
  }

  private unlink(item: WheelItem): void {
    const slot = item.wheelSlot!;
    const head = this.slots.get(slot)!;
    const next = item.wheelNext;
    if (item === head) {
      if (next === undefined) this.slots.delete(slot);
      else {
        next.wheelPrev = head.wheelPrev;
        this.slots.set(slot, next);
      }
    } else {
      item.wheelPrev!.wheelNext = next;
      if (next !== undefined) next.wheelPrev = item.wheelPrev;
      else head.wheelPrev = item.wheelPrev;
    }
    item.wheelSlot = item.wheelPrev = item.wheelNext = undefined;
    this.count--;
  }

  private arm(slot: number): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.armedSlot = slot;
    this.timer = this.clock.setTimeout(this.tick, Math.max(0, Math.ceil(slot * this.slotMs - this.clock.now())));
  }

  private disarm(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.armedSlot = Infinity;
    this.heap.length = 0;
  }

  private readonly tick = (): void => {
    this.timer = undefined;
    // The timer says the armed slot is due (loop time can trail performance.now() by a millisecond).
    const due = Math.max(this.armedSlot, Math.floor(this.clock.now() / this.slotMs));
    // No arming from the callbacks: the next timer is set once, below, for the earliest slot left.
    this.armedSlot = -Infinity;
    while (this.heap.length > 0 && this.heap[0] <= due) {
      const slot = heapPop(this.heap);
      this.firingSlot = slot;
      // One at a time: a callback may cancel a later item of the same slot.
      for (let item = this.slots.get(slot); item !== undefined; item = this.slots.get(slot)) {
        this.unlink(item);
        try {
          this.onDue(item as T);
        } catch (err) {
          this.onError(err);
        }
      }
    }
    this.firingSlot = -Infinity;
    while (this.heap.length > 0 && !this.slots.has(this.heap[0])) heapPop(this.heap);
    if (this.count === 0) this.disarm();
    else this.arm(this.heap[0]);
  };
}

function heapPush(h: number[], v: number): void {
  let i = h.push(v) - 1;
  while (i > 0) {
    const p = (i - 1) >> 1;
    if (h[p] <= v) break;
    h[i] = h[p];
    i = p;
  }
  h[i] = v;
}

function heapPop(h: number[]): number {
  const top = h[0];
  const last = h.pop()!;
  if (h.length === 0) return top;
  let i = 0;
  for (;;) {
    const l = 2 * i + 1;
    if (l >= h.length) break;
    const c = l + 1 < h.length && h[l + 1] < h[l] ? l + 1 : l;
    if (h[c] >= last) break;
    h[i] = h[c];
    i = c;
  }
  h[i] = last;
  return top;
}
