import { expect } from 'chai';
import { decide, pickWeighted } from '../../../src/chaos/decide';
import { sampleDelay } from '../../../src/chaos/delay';
import seedrandom from 'seedrandom';
import { fingerprint, hashPrefix } from '../../../src/chaos/recent-keys';

const rule = {
  name: 'create-order',
  fraction: 0.3,
  faults: [
    { kind: 'replay', weight: 3, copies: 2, delay: { dist: 'uniform' as const, min: 50, max: 2000 } },
    { kind: 'burst', weight: 1, copies: 3, within: 20 },
    { kind: 'lost-reply', weight: 1 },
  ],
};

describe('decide', () => {
  it('gives the same plan for the same seed, rule and identity', () => {
    for (let i = 0; i < 200; i++) {
      expect(decide(42, rule, `key-${i}`)).to.deep.equal(decide(42, rule, `key-${i}`));
    }
  });

  it('picks by the 53-bit hash of seed, rule and identity, whatever order rules and seeds come in', () => {
    // The prefix (seed, rule) is hashed once and cached: interleaving rules and seeds must not change a pick.
    const rules = ['create-order', 'refund', 'create-order-v2'].map((name) => ({ ...rule, name }));
    let picked = 0;
    for (let i = 0; i < 3000; i++) {
      const r = rules[i % 3];
      const seed = i % 7 === 0 ? 99 : 42;
      const expected = fingerprint(`${seed}\u0000${r.name}\u0000k-${i}`) / 2 ** 53 < r.fraction;
      expect(decide(seed, r, `k-${i}`).picked, `k-${i}`).to.equal(expected);
      if (expected) picked++;
    }
    expect(picked).to.be.within(800, 1000); // ~30 % of 3,000: the comparison above saw both answers
    expect(fingerprint('tail', hashPrefix('a\u0000prefix\u0000'))).to.equal(fingerprint('a\u0000prefix\u0000tail'));
  });

  it('gives different decisions for another seed', () => {
    const picks = (seed: number) => Array.from({ length: 500 }, (_, i) => decide(seed, rule, `k${i}`).picked);
    expect(picks(1)).to.not.deep.equal(picks(2));
  });

  it('honours the fraction within a 4-sigma bound over 20,000 identities', () => {
    const n = 20_000;
    let picked = 0;
    for (let i = 0; i < n; i++) if (decide(7, rule, `id-${i}`).picked) picked++;
    const sigma = Math.sqrt(n * rule.fraction * (1 - rule.fraction));
    expect(Math.abs(picked - n * rule.fraction)).to.be.below(4 * sigma);
  });

  it('never picks at fraction 0 and always at fraction 1', () => {
    for (let i = 0; i < 1000; i++) {
      expect(decide(1, { ...rule, fraction: 0 }, `${i}`).picked).to.equal(false);
      expect(decide(1, { ...rule, fraction: 1 }, `${i}`).picked).to.equal(true);
    }
  });

  it('shapes copies by fault: replay delays within bounds, burst within its window, lost-reply none', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const plan = decide(3, { ...rule, fraction: 1 }, `${i}`);
      if (!plan.picked) throw new Error('fraction 1 must pick');
      seen.add(plan.faultIndex);
      const delays = plan.copyDelaysMs;
      if (plan.faultIndex === 0) {
        expect(delays).to.have.length(2);
        delays.forEach((d) => expect(d).to.be.within(50, 2000));
      } else if (plan.faultIndex === 1) {
        expect(delays).to.have.length(3);
        delays.forEach((d) => expect(d).to.be.within(0, 20));
      } else expect(delays).to.deep.equal([]);
    }
    expect([...seen].sort()).to.deep.equal([0, 1, 2]);
  });

  it('keeps the same picks when only a fault shape changes', () => {
    const other = { ...rule, faults: [{ kind: 'replay', weight: 1, copies: 5 }] };
    for (let i = 0; i < 500; i++) expect(decide(9, other, `${i}`).picked).to.equal(decide(9, rule, `${i}`).picked);
  });
});

describe('pickWeighted', () => {
  it('maps the unit interval onto weights', () => {
    const items = [{ weight: 3 }, { weight: 1 }];
    expect(pickWeighted(items, 0)).to.equal(0);
    expect(pickWeighted(items, 0.74)).to.equal(0);
    expect(pickWeighted(items, 0.76)).to.equal(1);
    expect(pickWeighted(items, 0.9999)).to.equal(1);
  });
});

describe('sampleDelay', () => {
  const rng = seedrandom('delays');
  it('clamps exponential and lognormal draws to their bounds', () => {
    for (let i = 0; i < 5000; i++) {
      expect(sampleDelay({ dist: 'exponential', mean: 200, min: 10, max: 500 }, rng)).to.be.within(10, 500);
      expect(sampleDelay({ dist: 'lognormal', median: 100, sigma: 1.5, min: 5, max: 1000 }, rng)).to.be.within(5, 1000);
    }
  });
  it('has the configured exponential mean (unbounded, 10,000 draws, within 5%)', () => {
    let sum = 0;
    for (let i = 0; i < 10_000; i++) sum += sampleDelay({ dist: 'exponential', mean: 200, min: 0 }, rng);
    expect(sum / 10_000).to.be.within(190, 210);
  });
  it('returns the fixed value', () => {
    expect(sampleDelay({ dist: 'fixed', value: 250 }, rng)).to.equal(250);
  });
});
