// Issue 15 #15: memories are bounded in bytes, not only in count.
import { expect } from 'chai';
import { PendingBytes } from '../../../src/chaos/pending-bytes';
import seedrandom from 'seedrandom';
import { RecentKeys } from '../../../src/chaos/recent-keys';

describe('memory bounds (issue 15 #15)', () => {
  it('client-retry memory: 5,800 keys of 8 KB are held as hashes (< 1 MB), and retries are still recognised', () => {
    const keys = new RecentKeys();
    const key = (i: number) => `${i}-`.padEnd(8192, 'k');
    for (let i = 0; i < 5800; i++) expect(keys.seenBefore(key(i))).to.equal(false);
    expect(keys.heldBytes).to.be.below(1_000_000); // raw, the keys alone were 95 MB of UTF-16
    expect(keys.seenBefore(key(42))).to.equal(true);
    expect(keys.has(key(5799))).to.equal(true);
  });

  it('client-retry memory: 100,000 keys in under 3 MB, whatever their length (issue 14: the soak plateaus)', () => {
    const keys = new RecentKeys();
    for (let i = 0; i < 150_000; i++) keys.seenBefore(`key-${i}-`.padEnd(40 + (i % 200), 'x'));
    expect(keys.size).to.equal(100_000);
    expect(keys.heldBytes).to.be.below(3 * 2 ** 20);
    expect(keys.has('key-149999-'.padEnd(40 + (149_999 % 200), 'x'))).to.equal(true);
    expect(keys.has('key-49999-'.padEnd(40 + (49_999 % 200), 'x'))).to.equal(false);
  });

  it('client-retry memory answers exactly like a least-recently-seen set (300,000 seeded operations)', () => {
    const rng = seedrandom.alea('recent-keys');
    for (const capacity of [1, 7, 1000]) {
      const keys = new RecentKeys(capacity);
      const reference = new Set<string>();
      for (let n = 0; n < 100_000; n++) {
        // Mostly recent keys (hits and refreshes), some old ones (evicted by now), some new.
        const key = `k${Math.floor(rng() * capacity * 3)}`;
        const expected = reference.has(key);
        if (expected) reference.delete(key);
        reference.add(key);
        if (reference.size > capacity) reference.delete(reference.values().next().value as string);
        expect(keys.seenBefore(key), `op ${n}, capacity ${capacity}`).to.equal(expected);
      }
      expect(keys.size).to.equal(reference.size);
    }
  });

  it('pending-copy bytes: holds until full, shrinks, releases on the last copy of a request', () => {
    const p = new PendingBytes(1000);
    const a = {};
    const b = {};
    expect(p.tryHold(a, 600, 2)).to.equal(true);
    expect(p.tryHold(b, 600, 1)).to.equal(false); // would pass the cap: not duplicated
    p.shrink(a, 100);
    expect(p.held).to.equal(100);
    expect(p.tryHold(b, 600, 1)).to.equal(true);
    p.copyDone(a);
    expect(p.held).to.equal(700);
    p.copyDone(a);
    p.copyDone(b);
    expect(p.held).to.equal(0);
    p.copyDone(a); // late reports change nothing
    expect(p.held).to.equal(0);
  });
});
