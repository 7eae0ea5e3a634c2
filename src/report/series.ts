// Turns timeline.jsonl into chart series: every probe as a delta from its first reading, dedup counters
// marked apart, and doubletap's own cumulative originals and copies; plus the chaos window.
import type { ProbeReading, TimelinePoint } from '../reconcile/types';
import { downsample, MAX_POINTS_PER_SERIES } from './downsample';

export type SeriesKind = 'side-effect' | 'dedup' | 'doubletap';

export interface Series {
  name: string;
  kind: SeriesKind;
  points: { x: number; y: number }[];
}

export interface ChartData {
  series: Series[];
  /** Seconds since start; null when the timeline has no chaos phase. */
  window: { from: number; to: number } | null;
  /** How many points the longest series had before downsampling. */
  rawPoints: number;
}

/** The verdict's mark wins; without one, a name with "dedup" or "hits" is read as a dedup counter. */
export function probeKind(name: string, reading?: ProbeReading): 'side-effect' | 'dedup' {
  if (reading?.role) return reading.role;
  return /dedup|hits/i.test(name) ? 'dedup' : 'side-effect';
}

export function chaosWindow(timeline: readonly TimelinePoint[]): ChartData['window'] {
  const chaos = timeline.filter((p) => p.phase === 'chaos');
  if (chaos.length === 0) return null;
  const from = chaos[0].t;
  // The window ends where settle begins (the next sample), else at the last chaos sample.
  const firstSettle = timeline.find((p) => p.phase === 'settle' && p.t >= from);
  return { from, to: firstSettle ? firstSettle.t : chaos[chaos.length - 1].t };
}

export function buildChartData(
  timeline: readonly TimelinePoint[],
  probes: Record<string, ProbeReading> = {},
  max = MAX_POINTS_PER_SERIES,
): ChartData {
  const sorted = [...timeline].sort((a, b) => a.t - b.t);
  const names = new Set<string>(Object.keys(probes));
  for (const p of sorted) for (const k of Object.keys(p.probes ?? {})) names.add(k);

  const series: Series[] = [];
  for (const name of names) {
    let base: number | null = null;
    const points: Series['points'] = [];
    for (const p of sorted) {
      const v = p.probes?.[name];
      if (typeof v !== 'number' || !Number.isFinite(v)) continue; // a failed read leaves a gap
      if (base === null) base = v;
      points.push({ x: p.t, y: v - base });
    }
    series.push({ name, kind: probeKind(name, probes[name]), points });
  }
  // Side effects first, then dedup counters, then doubletap's own counts: a stable legend order.
  series.sort((a, b) => order(a.kind) - order(b.kind));
  series.push({ name: 'copies', kind: 'doubletap', points: sorted.map((p) => ({ x: p.t, y: p.copies })) });
  series.push({ name: 'originals', kind: 'doubletap', points: sorted.map((p) => ({ x: p.t, y: p.originals })) });

  const rawPoints = Math.max(0, ...series.map((s) => s.points.length));
  for (const s of series) s.points = downsample(s.points, max);
  return { series, window: chaosWindow(sorted), rawPoints };
}

function order(kind: SeriesKind): number {
  return kind === 'side-effect' ? 0 : kind === 'dedup' ? 1 : 2;
}
