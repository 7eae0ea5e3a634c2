// The HTML report: one self-contained file (inline CSS and SVG, no scripts, nothing fetched).
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TimelinePoint, Verdict } from '../reconcile/types';
import { renderChartSvg } from './chart';
import { html, raw, type SafeHtml } from './escape';
import { fmtNum } from './format';
import { grafanaLink } from './grafana-link';
import { readRun } from './read-run';
import { evidenceSection } from './evidence-section';
import { infraSection } from './infra-section';
import { invariantsSection, leakedSection, outcomesSection, probesSection, verdictSection } from './sections';
import { buildChartData, type ChartData } from './series';
import { STYLE } from './style';

export interface ReportInput {
  verdict: Verdict;
  timeline: TimelinePoint[];
  /** Grafana's base URL (scenario report.grafanaUrl): adds a link to the dashboard over the window. */
  grafanaUrl?: string;
}

export async function renderHtml(input: ReportInput): Promise<string> {
  const v = input.verdict;
  const data = buildChartData(input.timeline, v.probes ?? {});
  const chart = await chartFigure(data, input.timeline.length);
  const page = html`<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>doubletap · ${v.scenario} · ${v.status}</title>
<style>${raw(STYLE)}</style></head>
<body><main>
${verdictSection(v)}
${chart}
${evidenceSection(v)}
${invariantsSection(v)}
${outcomesSection(v)}
${probesSection(v)}
${infraSection(v)}
${leakedSection(v)}
${grafanaLink(input.grafanaUrl, v)}
<footer>doubletap report · seed ${v.seed} · ${v.startedAt}</footer>
</main></body></html>
`;
  return page.html;
}

async function chartFigure(data: ChartData, samples: number): Promise<SafeHtml> {
  const names = data.series.map((s) => s.name).join(',');
  if (samples === 0) {
    return html`<figure id="timeline-chart" data-series=""><h2>Timeline</h2><p class="empty">no timeline samples were recorded</p></figure>`;
  }
  const svg = await renderChartSvg(data);
  const note = data.rawPoints > Math.max(...data.series.map((s) => s.points.length)) ? ` Downsampled from ${fmtNum(data.rawPoints)} samples.` : '';
  return html`<figure id="timeline-chart" data-series="${names}"><h2>Timeline</h2>${raw(svg)}
<figcaption>Side effects and dedup hits as growth since the first sample; copies and originals as doubletap counted them. The shaded band is the chaos window.${note}</figcaption></figure>`;
}

/** Renders <runDir>/index.html from verdict.json and timeline.jsonl; returns its path. */
export async function renderReport(runDir: string, options: { grafanaUrl?: string } = {}): Promise<string> {
  const { verdict, timeline } = await readRun(runDir);
  const out = join(runDir, 'index.html');
  await writeFile(out, await renderHtml({ verdict, timeline, grafanaUrl: options.grafanaUrl }), 'utf8');
  return out;
}
