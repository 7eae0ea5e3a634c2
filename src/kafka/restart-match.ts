// Which source messages a restarted relay is relaying for the second time: those whose identity the
// previous run already wrote to the destination (found in its tail) and that existed in the source
// before this run started. Pure bookkeeping, no I/O: restart-tail.ts fills it.

/** Identities found in the destination's tail, as a multiset: each occurrence matches one message. */
export class RestartMatcher {
  private readonly seen = new Map<string, number>();
  /** Source end offsets when this run started, by topic/partition: nothing later can be a redelivery. */
  private readonly sourceEnds = new Map<string, bigint>();
  private size = 0;

  constructor(private readonly maxIdentities: number) {}

  /** False once the bound is reached: the caller stops reading (counts may then fall short). */
  add(identity: string): boolean {
    if (this.size >= this.maxIdentities) return false;
    this.seen.set(identity, (this.seen.get(identity) ?? 0) + 1);
    this.size += 1;
    return true;
  }

  setSourceEnd(topic: string, partition: number, end: string): void {
    this.sourceEnds.set(`${topic}/${partition}`, BigInt(end));
  }

  get identities(): number {
    return this.size;
  }

  /**
   * True when this message was written to the destination by the previous run. Consumes one
   * occurrence, so the same id is matched at most as often as it was found there.
   */
  take(topic: string, partition: number, offset: string, identity: string): boolean {
    const end = this.sourceEnds.get(`${topic}/${partition}`);
    if (end === undefined || BigInt(offset) >= end) return false;
    const n = this.seen.get(identity);
    if (n === undefined) return false;
    if (n <= 1) this.seen.delete(identity);
    else this.seen.set(identity, n - 1);
    this.size -= 1;
    return true;
  }
}
