// A bounded memory of recently seen identities. The proxy uses it to recognise a client's own retry
// (after a lost reply, say) so a retry is never picked again; the tally uses it to count each logical
// operation once. Bounded in count AND bytes so a long run's memory plateaus whatever clients send:
// a key longer than HASH_ABOVE characters is remembered by its SHA-256 (8 KB keys no longer cost 8 KB
// each), and the oldest identities go first once either bound is reached (a retry that late is not a
// retry any more).
import { createHash } from 'node:crypto';

/** Keys up to this many characters are kept as they are (Stripe's keys are at most 255). */
export const HASH_ABOVE = 64;
/** Default byte budget per memory: 100,000 keys of 64 characters. */
export const DEFAULT_MAX_BYTES = 100_000 * 2 * HASH_ABOVE;

/** What a key costs to remember (UTF-16 characters, plus a fixed overhead for the Set slot). */
const cost = (k: string): number => 2 * k.length + 48;

/** The form a key is remembered in: itself when short, its hash when long. */
const remembered = (key: string): string => (key.length > HASH_ABOVE ? 'sha256:' + createHash('sha256').update(key).digest('base64') : key);

export class RecentKeys {
  private readonly keys = new Set<string>();
  private bytes = 0;

  constructor(
    private readonly capacity = 100_000,
    private readonly maxBytes = DEFAULT_MAX_BYTES,
  ) {}

  /** True when the key was seen before; remembers it either way (most recent last). */
  seenBefore(key: string): boolean {
    const k = remembered(key);
    if (this.keys.has(k)) {
      // Refresh its place so an active retry loop is not evicted first.
      this.keys.delete(k);
      this.keys.add(k);
      return true;
    }
    this.keys.add(k);
    this.bytes += cost(k);
    while (this.keys.size > this.capacity || this.bytes > this.maxBytes) {
      const oldest = this.keys.values().next().value as string;
      this.keys.delete(oldest);
      this.bytes -= cost(oldest);
    }
    return false;
  }

  has(key: string): boolean {
    return this.keys.has(remembered(key));
  }

  get size(): number {
    return this.keys.size;
  }

  /** Approximate bytes held (what the byte bound counts). */
  get heldBytes(): number {
    return this.bytes;
  }
}
