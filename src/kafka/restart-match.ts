// Which source messages a restarted relay is relaying for the second time: those whose identity and
// timestamp the previous run already wrote to the destination (found in its tail) and that sit in the
// source between the group's committed offset and the log end when this run started. A genuine producer
// duplicate (same identity, produced anew: another timestamp) or anything below the committed offset is
// a new original. Pure bookkeeping, no I/O: restart-tail.ts fills it.

/** Identities found in the destination's tail, as a multiset: each occurrence matches one message. */
export class RestartMatcher {
  private readonly seen = new Map<string, number>();
  /** [committed, end) per source topic/partition when this run started: only these can be redeliveries. */
  private readonly ranges = new Map<string, [bigint, bigint]>();
  private size = 0;

  /** `byTimestamp` false when the destination stamps its own (LogAppendTime): identity alone, on both
   * sides (add and take), whatever timestamps the callers pass. */
  constructor(
    private readonly maxIdentities: number,
    private readonly byTimestamp = true,
  ) {}

  /** False once the bound is reached: the caller stops reading (counts may then fall short). */
  add(identity: string, timestamp?: string): boolean {
    if (this.size >= this.maxIdentities) return false;
    const k = keyOf(identity, this.byTimestamp ? timestamp : undefined);
    this.seen.set(k, (this.seen.get(k) ?? 0) + 1);
    this.size += 1;
    return true;
  }

  setSourceRange(topic: string, partition: number, from: bigint, end: bigint): void {
    this.ranges.set(`${topic}/${partition}`, [from, end]);
  }

  get identities(): number {
    return this.size;
  }

  /**
   * True when this message was written to the destination by the previous run. Consumes one
   * occurrence, so the same id is matched at most as often as it was found there.
   */
  take(topic: string, partition: number, offset: string, identity: string, timestamp?: string): boolean {
    const range = this.ranges.get(`${topic}/${partition}`);
    const o = BigInt(offset);
    if (range === undefined || o < range[0] || o >= range[1]) return false;
    const k = keyOf(identity, this.byTimestamp ? timestamp : undefined);
    const n = this.seen.get(k);
    if (n === undefined) return false;
    if (n <= 1) this.seen.delete(k);
    else this.seen.set(k, n - 1);
    this.size -= 1;
    return true;
  }
}

const keyOf = (identity: string, timestamp?: string): string => (timestamp === undefined ? identity : `${identity}\u0000${timestamp}`);
