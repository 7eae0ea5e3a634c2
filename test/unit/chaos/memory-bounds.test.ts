// Issue 15 #15: memories are bounded in bytes, not only in count.
import { expect } from 'chai';
import { PendingBytes } from '../../../src/chaos/pending-bytes';
import { DEFAULT_MAX_BYTES, RecentKeys } from '../../../src/chaos/recent-keys';

describe('memory bounds (issue 15 #15)', () => {
  it('client-retry memory: 5,800 keys of 8 KB are held as hashes (< 1 MB), and retries are still recognised', () => {
    const keys = new RecentKeys();
    const key = (i: number) => `${i}-`.padEnd(8192, 'k');
    for (let i = 0; i < 5800; i++) expect(keys.seenBefore(key(i))).to.equal(false);
    expect(keys.heldBytes).to.be.below(1_000_000); // raw, the keys alone were 95 MB of UTF-16
    expect(keys.seenBefore(key(42))).to.equal(true);
    expect(keys.has(key(5799))).to.equal(true);
  });

  it('client-retry memory: the byte budget evicts the oldest keys first', () => {
    const keys = new RecentKeys(1_000_000, 10_000);
    for (let i = 0; i < 1000; i++) keys.seenBefore(`key-${i}`.padEnd(60, '.'));
    expect(keys.heldBytes).to.be.at.most(10_000);
    expect(keys.size).to.be.below(100);
    expect(keys.has('key-999'.padEnd(60, '.'))).to.equal(true);
    expect(keys.has('key-0'.padEnd(60, '.'))).to.equal(false);
    expect(DEFAULT_MAX_BYTES).to.equal(12_800_000);
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
