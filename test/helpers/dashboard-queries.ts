// Reads the committed dashboard JSON the way Grafana would: every panel's PromQL (and the annotation
// queries), the labels each legend uses, and the expression with the dashboard's variables filled in.
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const DASHBOARD_DIR = path.resolve(__dirname, '..', '..', 'dashboards');

export interface PanelQuery {
  dashboard: string;
  /** Panel title, or `annotation: NAME`. */
  panel: string;
  refId: string;
  expr: string;
  /** `{{label}}` names in the legend (or the annotation's title): every series must carry them. */
  labels: string[];
}

interface Json { [k: string]: any } // eslint-disable-line @typescript-eslint/no-explicit-any

export function readDashboard(file: string): Json {
  return JSON.parse(readFileSync(path.join(DASHBOARD_DIR, file), 'utf8')) as Json;
}

const legendLabels = (legend: string | undefined): string[] =>
  [...(legend ?? '').matchAll(/\{\{\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}/g)].map((m) => m[1]!);

export function dashboardQueries(file: string): PanelQuery[] {
  const d = readDashboard(file);
  const out: PanelQuery[] = [];
  const panels: Json[] = (d.panels ?? []).flatMap((p: Json) => [p, ...(p.panels ?? [])]);
  for (const p of panels) {
    for (const t of p.targets ?? []) {
      out.push({ dashboard: file, panel: p.title, refId: t.refId, expr: t.expr, labels: legendLabels(t.legendFormat) });
    }
  }
  for (const a of d.annotations?.list ?? []) {
    if (a.expr) out.push({ dashboard: file, panel: `annotation: ${a.name}`, refId: '-', expr: a.expr, labels: legendLabels(a.titleFormat) });
  }
  return out;
}

/**
 * The expression as Grafana sends it with the dashboard's defaults: "All" label filters become their
 * allValue, text variables their default, `$__rate_interval` and `$__range` the given windows.
 */
export function interpolate(expr: string, file: string, windows: { rate: string; range: string }): string {
  const values: Record<string, string> = { __rate_interval: windows.rate, __range: windows.range };
  for (const v of readDashboard(file).templating?.list ?? []) {
    if (v.type === 'query') values[v.name] = v.allValue;
    if (v.type === 'textbox') values[v.name] = v.query;
  }
  return expr.replace(/\$\{(\w+)\}|\$(\w+)/g, (whole, a: string | undefined, b: string | undefined) => {
    const value = values[(a ?? b)!];
    if (value === undefined) throw new Error(`${file}: ${whole} in ${expr} is not a variable of the dashboard`);
    return value;
  });
}
