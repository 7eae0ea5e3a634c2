import { expect } from 'chai';
import { OUTCOMES, type Outcome } from '../../../src/journal/types';
import type { TimelinePoint } from '../../../src/reconcile/types';
import { buildChartData, chaosWindow, probeKind } from '../../../src/report/series';

const zero = Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>;
function pt(t: number, phase: TimelinePoint['phase'], probes: Record<string, number | null>, originals = t, copies = 0): TimelinePoint {
  return { ts: new Date(t * 1000).toISOString(), t, phase, probes, originals, copies, outcomes: zero };
}

describe('chart series', () => {
  it('charts probes as deltas from their first reading, leaving gaps for failed reads', () => {
    const tl = [pt(0, 'baseline', { orders: 100, hits: null }), pt(1, 'chaos', { orders: 103, hits: 7 }), pt(2, 'chaos', { orders: null, hits: 9 }), pt(3, 'settle', { orders: 110, hits: 12 })];
    const d = buildChartData(tl);
    const byName = Object.fromEntries(d.series.map((s) => [s.name, s]));
    expect(d.series.map((s) => s.name)).to.deep.equal(['orders', 'hits', 'copies', 'originals']);
    expect(byName.orders.points).to.deep.equal([{ x: 0, y: 0 }, { x: 1, y: 3 }, { x: 3, y: 10 }]);
    expect(byName.hits.points).to.deep.equal([{ x: 1, y: 0 }, { x: 2, y: 2 }, { x: 3, y: 5 }]);
    expect(byName.hits.kind).to.equal('dedup');
    expect(byName.originals.points.map((p) => p.y)).to.deep.equal([0, 1, 2, 3]);
  });

  it('lets the verdict mark a dedup counter; falls back to the name', () => {
    expect(probeKind('dedup_hits')).to.equal('dedup');
    expect(probeKind('idempotency_HITS')).to.equal('dedup');
    expect(probeKind('orders')).to.equal('side-effect');
    expect(probeKind('absorbed', { before: 0, after: 1, delta: 1, role: 'dedup' })).to.equal('dedup');
    expect(probeKind('dedup_hits', { before: 0, after: 1, delta: 1, role: 'side-effect' })).to.equal('side-effect');
  });

  it('finds the chaos window from the phases', () => {
    const tl = [pt(0, 'baseline', {}), pt(5, 'chaos', {}), pt(10, 'chaos', {}), pt(12, 'settle', {})];
    expect(chaosWindow(tl)).to.deep.equal({ from: 5, to: 12 });
    expect(chaosWindow(tl.slice(0, 3))).to.deep.equal({ from: 5, to: 10 });
    expect(chaosWindow([pt(0, 'baseline', {})])).to.equal(null);
  });

  it('downsamples a long timeline to at most 2000 points per series', () => {
    const tl = Array.from({ length: 12_000 }, (_, i) => pt(i / 10, 'chaos', { orders: i, dedup_hits: Math.floor(i / 5) }, i, Math.floor(i / 5)));
    const d = buildChartData(tl);
    expect(d.rawPoints).to.equal(12_000);
    expect(d.series).to.have.length(4);
    for (const s of d.series) expect(s.points).to.have.length(2000);
    expect(d.series[0].points[1999]).to.deep.equal({ x: 1199.9, y: 11_999 });
  });
});
