// The timeline chart: a vega-lite spec compiled and rendered to SVG in Node (no canvas, no browser).
// One layer per series, named series_<i>, so each line is findable as `g.series_<i>_marks path`.
import type { ChartData, SeriesKind } from './series';
import { loadVega } from './vega-loader';

const SIDE_EFFECT_COLORS = ['#3366cc', '#d6404e', '#8e44ad', '#17a2b8', '#9d755d', '#e377c2', '#2c3e50'];
const DEDUP_COLORS = ['#2e9d4a', '#7cc46a', '#1b5e20'];
const DOUBLETAP_COLORS: Record<string, string> = { copies: '#f28e2b', originals: '#8c8c8c' };

const DASH: Record<SeriesKind, number[]> = { 'side-effect': [1, 0], dedup: [7, 4], doubletap: [2, 3] };
const KIND_LABEL: Record<SeriesKind, string> = {
  'side-effect': 'side effect',
  dedup: 'dedup counter',
  doubletap: 'doubletap count',
};

export function seriesColors(data: ChartData): string[] {
  let se = 0;
  let dd = 0;
  return data.series.map((s) => {
    if (s.kind === 'doubletap') return DOUBLETAP_COLORS[s.name] ?? '#555555';
    if (s.kind === 'dedup') return DEDUP_COLORS[dd++ % DEDUP_COLORS.length];
    return SIDE_EFFECT_COLORS[se++ % SIDE_EFFECT_COLORS.length];
  });
}

export function chartSpec(data: ChartData, width = 740, height = 340): Record<string, unknown> {
  const names = data.series.map((s) => s.name);
  const kinds = (['side-effect', 'dedup', 'doubletap'] as SeriesKind[]).filter((k) => data.series.some((s) => s.kind === k));
  const layers: unknown[] = [];
  let maxX = 1;
  for (const s of data.series) for (const p of s.points) maxX = Math.max(maxX, p.x);
  const xDomain = [0, maxX]; // no "nice" rounding: the axis ends where the run ended
  if (data.window) {
    const values = [{ from: data.window.from, to: data.window.to, label: 'chaos window' }];
    layers.push({
      data: { values },
      mark: { type: 'rect', color: '#fbbf24', opacity: 0.18 },
      encoding: { x: { field: 'from', type: 'quantitative' }, x2: { field: 'to' } },
    });
    layers.push({
      data: { values },
      mark: { type: 'text', align: 'left', baseline: 'top', dx: 6, dy: 6, color: '#92400e', fontSize: 12, fontWeight: 'bold' },
      encoding: { x: { field: 'from', type: 'quantitative' }, y: { value: 0 }, text: { field: 'label' } },
    });
  }
  data.series.forEach((s, i) => {
    layers.push({
      name: `series_${i}`,
      data: { values: s.points.map((p) => ({ t: p.x, v: p.y, series: s.name, kind: KIND_LABEL[s.kind] })) },
      mark: { type: 'line', strokeWidth: s.kind === 'doubletap' ? 2 : 2.5 },
      encoding: {
        x: { field: 't', type: 'quantitative', title: 'seconds since start', scale: { nice: false, domain: xDomain } },
        y: { field: 'v', type: 'quantitative', title: 'count since start' },
        color: { field: 'series', type: 'nominal', scale: { domain: names, range: seriesColors(data) }, legend: { title: 'series' } },
        strokeDash: {
          field: 'kind',
          type: 'nominal',
          scale: { domain: kinds.map((k) => KIND_LABEL[k]), range: kinds.map((k) => DASH[k]) },
          legend: { title: 'measured as' },
        },
      },
    });
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width,
    height,
    background: 'white',
    padding: 8,
    config: {
      font: 'Helvetica, Arial, sans-serif',
      view: { stroke: null },
      axis: { labelFontSize: 12, titleFontSize: 13, titleFontWeight: 'normal', gridColor: '#e5e7eb', domainColor: '#9ca3af', tickColor: '#9ca3af' },
      legend: { labelFontSize: 13, titleFontSize: 12, titleColor: '#6b7280', symbolStrokeWidth: 3, symbolSize: 260, rowPadding: 6 },
    },
    resolve: { scale: { color: 'shared', strokeDash: 'shared' } },
    layer: layers,
  };
}

/** Renders the chart to an SVG string (≈50–100 ms; the first call also loads vega). */
export async function renderChartSvg(data: ChartData): Promise<string> {
  const { vl, vega } = await loadVega();
  const compiled = vl.compile(chartSpec(data)).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
