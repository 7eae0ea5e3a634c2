// The soak's slope is fitted through 10 s window medians: one garbage peak must not read as growth,
// and real growth must read as itself.
import { expect } from 'chai';
import { slope, windowMedians } from '../../../bench/cases/memory';

const MB = 2 ** 20;

describe('soak slope (bench/cases/memory.ts)', () => {
  it('a flat RSS with one 40 MB garbage peak near the end has no slope', () => {
    const samples = Array.from({ length: 150 }, (_, i) => ({ t: 150 + i, rss: 140 * MB + (i >= 140 && i < 144 ? 40 * MB : 0) }));
    expect(slope(windowMedians(samples, 10))).to.equal(0);
    // Through the raw samples the same peak reads as growth.
    expect(slope(samples.map((s) => ({ t: s.t, v: s.rss }))) * 60).to.be.above(0.5 * MB);
  });

  it('steady growth of 1 MB a minute reads as 1 MB a minute', () => {
    const samples = Array.from({ length: 150 }, (_, i) => ({ t: 150 + i, rss: 140 * MB + ((150 + i) / 60) * MB }));
    expect((slope(windowMedians(samples, 10)) * 60) / MB).to.be.closeTo(1, 0.001);
  });
});
