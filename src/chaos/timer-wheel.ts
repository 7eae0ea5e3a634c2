// One timer for many delayed items (pending copies). A setTimeout per copy costs a Timeout object and,
// with jittered delays (every copy its own duration), a timer list and a priority-queue insert each.
// Here items falling due in the same slot (slotMs) fire together from one timer, slots in time order
// and items of a slot in the order they were scheduled. Never early: an item fires at the end of its
// slot, at most slotMs late (its delay keeps its value within the slot).
//
// Layout: items are their own list nodes (no wrapper, no bucket object: a list is its first item,
// whose wheelPrev is the list's last), so cancel is O(1). A slot of the current window (windowSlots
// slots, ~1 s) has its own list; an item due in a later window waits in that window's one list and
// moves to its slot's list when the window starts — 10,000 copies 10 minutes out are ~1 list, not
// 10,000. A min-heap of list times says which list comes next; one timer is armed for it.
// Pure bookkeeping plus one timer; the clock is injectable for tests.
import { heapPop, heapPush } from './min-heap';

/** The links the wheel keeps on each item; owned by the wheel, never touched by anyone else. */
export interface WheelItem {
  /** Its slot while in a slot list; -1 - slot while it waits in a window list; undefined: not scheduled. */
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
  /** List key → its first item. Slot lists have key = slot (≥ 0), window lists -1 - window. */
  private readonly lists = new Map<number, WheelItem>();
  /** Min-heap of list times in slots (a window list half a slot before its first slot; stale ones skipped). */
  private readonly heap: number[] = [];
  private count = 0;
  private timer: unknown;
  private armedAt = Infinity;
  /** While a slot fires, items scheduled into it or earlier go to the next slot (no endless tick). */
  private firingSlot = -Infinity;

  constructor(
    private readonly onDue: (item: T) => void,
    readonly slotMs = 2,
    private readonly onError: (err: unknown) => void = (err) => queueMicrotask(() => { throw err; }),
    private readonly clock: WheelClock = realClock,
    readonly windowSlots = 512,
  ) {}

  /** Items scheduled and not yet fired or cancelled. */
  get size(): number {
    return this.count;
  }

  /** Fire `item` after `delayMs` (rounded up to the slot's end). Rescheduling moves it. */
  schedule(item: T, delayMs: number): void {
    if (item.wheelSlot !== undefined) this.cancel(item);
    const now = this.clock.now();
    let slot = Math.ceil((now + Math.max(0, delayMs)) / this.slotMs);
    if (slot <= this.firingSlot) slot = this.firingSlot + 1;
    this.count++;
    const window = Math.floor(slot / this.windowSlots);
    if (window > Math.floor(now / this.slotMs / this.windowSlots)) this.link(item, -1 - slot, -1 - window);
    else this.link(item, slot, slot);
  }

  /** Every scheduled item, by list time (a snapshot: cancelling while going through it is safe). */
  items(): T[] {
    const out: T[] = [];
    const keys = [...this.lists.keys()].sort((a, b) => this.timeOf(a) - this.timeOf(b));
    for (const key of keys) for (let i = this.lists.get(key); i !== undefined; i = i.wheelNext) out.push(i as T);
    return out;
  }

  /** Remove a scheduled item (O(1)); false when it was not scheduled. */
  cancel(item: T): boolean {
    if (item.wheelSlot === undefined) return false;
    this.unlink(item);
    this.count--;
    if (this.count === 0) this.disarm();
    return true;
  }

  private timeOf(key: number): number {
    return key >= 0 ? key : (-1 - key) * this.windowSlots - 0.5;
  }

  private keyOf(time: number): number {
    return Number.isInteger(time) ? time : -1 - (time + 0.5) / this.windowSlots;
  }

  private link(item: WheelItem, mark: number, key: number): void {
    const head = this.lists.get(key);
    item.wheelSlot = mark;
    item.wheelNext = undefined;
    if (head === undefined) {
      item.wheelPrev = item;
      this.lists.set(key, item);
      const time = this.timeOf(key);
      heapPush(this.heap, time);
      if (time < this.armedAt) this.arm(time);
    } else {
      const tail = head.wheelPrev!;
      tail.wheelNext = item;
      item.wheelPrev = tail;
      head.wheelPrev = item;
    }
  }

  private unlink(item: WheelItem): void {
    const mark = item.wheelSlot!;
    const key = mark >= 0 ? mark : -1 - Math.floor((-1 - mark) / this.windowSlots);
    const head = this.lists.get(key)!;
    const next = item.wheelNext;
    if (item === head) {
      if (next === undefined) this.lists.delete(key);
      else {
        next.wheelPrev = head.wheelPrev;
        this.lists.set(key, next);
      }
    } else {
      item.wheelPrev!.wheelNext = next;
      if (next !== undefined) next.wheelPrev = item.wheelPrev;
      else head.wheelPrev = item.wheelPrev;
    }
    item.wheelSlot = item.wheelPrev = item.wheelNext = undefined;
  }

  private arm(time: number): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.armedAt = time;
    this.timer = this.clock.setTimeout(this.tick, Math.max(0, Math.ceil(time * this.slotMs - this.clock.now())));
  }

  private disarm(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.armedAt = Infinity;
    this.heap.length = 0;
  }

  private readonly tick = (): void => {
    this.timer = undefined;
    // The timer says the armed list is due (loop time can trail performance.now() by a millisecond).
    const due = Math.max(this.armedAt, Math.floor(this.clock.now() / this.slotMs));
    // No arming from inside: the next timer is set once, below, for the earliest list left.
    this.armedAt = -Infinity;
    while (this.heap.length > 0 && this.heap[0] <= due) {
      const key = this.keyOf(heapPop(this.heap));
      if (key < 0) {
        // A window starts: its items move to their slots' lists (fired below when due already).
        for (let item = this.lists.get(key); item !== undefined; item = this.lists.get(key)) {
          const slot = -1 - item.wheelSlot!;
          this.unlink(item);
          this.link(item, slot, slot);
        }
        continue;
      }
      this.firingSlot = key;
      // One at a time: a callback may cancel a later item of the same slot.
      for (let item = this.lists.get(key); item !== undefined; item = this.lists.get(key)) {
        this.unlink(item);
        this.count--;
        try {
          this.onDue(item as T);
        } catch (err) {
          this.onError(err);
        }
      }
    }
    this.firingSlot = -Infinity;
    while (this.heap.length > 0 && !this.lists.has(this.keyOf(this.heap[0]))) heapPop(this.heap);
    if (this.count === 0) this.disarm();
    else this.arm(this.heap[0]);
  };
}
