// A bounded memory of recently seen identities. The proxy uses it to recognise a client's own retry
// (after a lost reply, say) so a retry is never picked again; the tally uses it to count each logical
// operation once. Bounded so a long run's memory plateaus whatever clients send, and small, because
// three of them per rule fill at the request rate: a key is remembered as a 53-bit fingerprint in
// typed arrays (about 24 bytes a key, whatever its length), not as a string in a Set (70–100 bytes a
// short key, 2 per character for a long one). At 1,000 requests/s the Set version was still growing
// 1.2 MB a minute five minutes into a soak; this one holds 100,000 keys in 2.4 MB.
// A false "seen before" needs two of the 100,000 keys to share 53 bits: about one run in 10^6 even
// at the full bound (the proxy then does not duplicate one request; the tally counts one op once).

/** The oldest identities go first once this many are remembered. */
const DEFAULT_CAPACITY = 100_000;
/** Keep the table at most this full: linear probing stays short. */
const MAX_LOAD = 0.8;
const MIN_SLOTS = 1024;

/** cyrb53's running state: after a prefix, a hash of prefix + rest is one pass over the rest. */
export interface HashState {
  readonly h1: number;
  readonly h2: number;
}

const CYRB53_START: HashState = { h1: 0xdeadbeef, h2: 0x41c6ce57 };

/** absorb()'s result: two numbers out without an object per call (it runs once per matching request). */
let absorbed1 = 0;
let absorbed2 = 0;

/** cyrb53's pass over `s`, from the state `from`. */
function absorb(from: HashState, s: string): void {
  let h1 = from.h1;
  let h2 = from.h2;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  absorbed1 = h1;
  absorbed2 = h2;
}

/** The state after hashing `prefix` (fingerprint(rest, hashPrefix(p)) === fingerprint(p + rest)). */
export function hashPrefix(prefix: string): HashState {
  absorb(CYRB53_START, prefix);
  return { h1: absorbed1, h2: absorbed2 };
}

/** cyrb53 (public domain): a fast, well-mixed 53-bit hash of a string; never 0 (0 marks an empty slot).
 * `from`: the state after a prefix (hashPrefix), so a fixed prefix is not hashed, or concatenated, again. */
export function fingerprint(key: string, from: HashState = CYRB53_START): number {
  absorb(from, key);
  let h1 = absorbed1;
  let h2 = absorbed2;
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0) || 1;
}

export class RecentKeys {
  /** Open-addressing table (linear probing) of fingerprints; 0 = empty. Grows by doubling. */
  private slots = new Float64Array(MIN_SLOTS);
  /** Per slot: the ring position of the key's latest sighting (older sightings in the ring are stale). */
  private latest = new Int32Array(MIN_SLOTS);
  /** Sightings in arrival order, a circular buffer: a refreshed key appears again further on. Only
   * the fingerprint's low 32 bits: with the position in `latest` they name one slot. */
  private ring = new Uint32Array(MIN_SLOTS);
  private head = 0;
  private tail = 0;
  private live = 0;

  constructor(private readonly capacity = DEFAULT_CAPACITY) {}

  /** True when the key was seen before; remembers it either way (most recent last). */
  seenBefore(key: string): boolean {
    const f = fingerprint(key);
    // Every eviction happens before the lookup: an eviction moves entries of the table.
    this.makeRoom();
    let i = this.find(f);
    const seen = this.slots[i] === f;
    if (!seen) {
      if (this.live >= this.capacity) {
        while (this.live >= this.capacity) this.evictOldest();
        i = this.find(f);
      }
      if (this.live + 1 > this.slots.length * MAX_LOAD) {
        this.rehash(this.slots.length * 2);
        i = this.find(f);
      }
      this.slots[i] = f;
      this.live += 1;
    }
    // A refreshed key moves to the end, so an active retry loop is not evicted first.
    const at = this.tail++;
    this.ring[at % this.ring.length] = f >>> 0;
    this.latest[i] = at | 0;
    return seen;
  }

  has(key: string): boolean {
    const f = fingerprint(key);
    return this.slots[this.find(f)] === f;
  }

  get size(): number {
    return this.live;
  }

  /** Bytes held (the typed arrays). */
  get heldBytes(): number {
    return this.slots.byteLength + this.latest.byteLength + this.ring.byteLength;
  }

  /** The slot holding f, or the empty slot where it would go. */
  private find(f: number): number {
    const mask = this.slots.length - 1;
    let i = f & mask;
    while (this.slots[i] !== 0 && this.slots[i] !== f) i = (i + 1) & mask;
    return i;
  }

  /** One free place in the ring of sightings: grow it (up to twice the capacity) or drop the oldest. */
  private makeRoom(): void {
    if (this.tail - this.head < this.ring.length) return;
    if (this.ring.length < 2 * this.capacity) this.growRing();
    else this.evictOldest();
  }

  /** Drop the oldest sighting; the key goes with it unless it was seen again since. */
  private evictOldest(): void {
    const at = this.head++;
    const low = this.ring[at % this.ring.length];
    const { slots, latest } = this;
    const mask = slots.length - 1;
    for (let i = low & mask; slots[i] !== 0; i = (i + 1) & mask) {
      if (slots[i] % 4294967296 === low && latest[i] === (at | 0)) {
        this.remove(i);
        this.live -= 1;
        return;
      }
    }
    // Not found: a stale sighting (the key was seen again later, or already dropped).
  }

  /** Backward-shift deletion: later entries of the probe run move up, so no tombstones are needed. */
  private remove(i: number): void {
    const { slots, latest } = this;
    const mask = slots.length - 1;
    let hole = i;
    let j = i;
    for (;;) {
      j = (j + 1) & mask;
      if (slots[j] === 0) break;
      const home = slots[j] & mask;
      // The entry at j may fill the hole only if its home is not cyclically within (hole, j].
      const stays = hole <= j ? hole < home && home <= j : hole < home || home <= j;
      if (stays) continue;
      slots[hole] = slots[j];
      latest[hole] = latest[j];
      hole = j;
    }
    slots[hole] = 0;
    latest[hole] = 0;
  }

  private rehash(size: number): void {
    const { slots, latest } = this;
    this.slots = new Float64Array(size);
    this.latest = new Int32Array(size);
    for (let k = 0; k < slots.length; k++) {
      if (slots[k] === 0) continue;
      const i = this.find(slots[k]);
      this.slots[i] = slots[k];
      this.latest[i] = latest[k];
    }
  }

  private growRing(): void {
    // Positions are absolute: position p sits at p % length, in the old ring and in the new one.
    const next = new Uint32Array(Math.min(this.ring.length * 2, 2 * this.capacity));
    for (let at = this.head; at < this.tail; at++) next[at % next.length] = this.ring[at % this.ring.length];
    this.ring = next;
  }
}
