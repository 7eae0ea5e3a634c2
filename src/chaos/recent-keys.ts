// A bounded memory of recently seen identities. The proxy uses it to recognise a client's own retry
// (after a lost reply, say) so a retry is never picked again; the tally uses it to count each logical
// operation once. Bounded so a long run's memory plateaus: an identity not seen for `capacity` newer
// ones is forgotten (a retry that late is not a retry any more).
export class RecentKeys {
  private readonly keys = new Set<string>();

  constructor(private readonly capacity = 100_000) {}

  /** True when the key was seen before; remembers it either way (most recent last). */
  seenBefore(key: string): boolean {
    if (this.keys.has(key)) {
      // Refresh its place so an active retry loop is not evicted first.
      this.keys.delete(key);
      this.keys.add(key);
      return true;
    }
    this.keys.add(key);
    if (this.keys.size > this.capacity) this.keys.delete(this.keys.values().next().value as string);
    return false;
  }

  has(key: string): boolean {
    return this.keys.has(key);
  }

  get size(): number {
    return this.keys.size;
  }
}
