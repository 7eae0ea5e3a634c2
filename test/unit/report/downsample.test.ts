import { expect } from 'chai';
import { downsample, MAX_POINTS_PER_SERIES } from '../../../src/report/downsample';

const line = (n: number, f: (i: number) => number) => Array.from({ length: n }, (_, i) => ({ x: i, y: f(i) }));

describe('downsample (LTTB)', () => {
  it('returns short series unchanged (a copy)', () => {
    const pts = line(10, (i) => i);
    const out = downsample(pts, 20);
    expect(out).to.deep.equal(pts);
    expect(out).to.not.equal(pts);
  });

  it('cuts a long series to exactly max points, keeping first and last, in x order', () => {
    const pts = line(50_000, (i) => Math.sin(i / 100));
    const out = downsample(pts);
    expect(out).to.have.length(MAX_POINTS_PER_SERIES);
    expect(out[0]).to.equal(pts[0]);
    expect(out[out.length - 1]).to.equal(pts[pts.length - 1]);
    for (let i = 1; i < out.length; i++) expect(out[i].x).to.be.greaterThan(out[i - 1].x);
  });

  it('keeps a one-sample spike that stride sampling would drop', () => {
    const pts = line(10_001, (i) => (i === 4_321 ? 1_000 : 0));
    const out = downsample(pts, 100);
    expect(out).to.have.length(100);
    expect(out.some((p) => p.x === 4_321 && p.y === 1_000)).to.equal(true);
  });

  it('handles tiny maxima', () => {
    const pts = line(10, (i) => i);
    expect(downsample(pts, 2).map((p) => p.x)).to.deep.equal([0, 9]);
    expect(downsample(pts, 0)).to.deep.equal([]);
  });
});
