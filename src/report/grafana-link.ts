// The report's link to the Grafana experiment dashboard (dashboards/doubletap-experiment.json) over
// the run's window, padded so the baseline before and the settling after are on screen too.
import type { Verdict } from '../reconcile/types';
import { html, type SafeHtml } from './escape';

/** The experiment dashboard's uid (dashboards/src/experiment.ts); a unit test keeps them equal. */
export const EXPERIMENT_DASHBOARD_UID = 'doubletap-experiment';
const PAD_MS = 60_000;

export function isHttpUrl(text: string): boolean {
  return URL.canParse(text) && /^https?:$/.test(new URL(text).protocol);
}

export function grafanaDashboardUrl(base: string, startedAt: string, endedAt: string): string | undefined {
  const from = Date.parse(startedAt);
  const to = Date.parse(endedAt);
  if (!Number.isFinite(from) || !Number.isFinite(to)) return undefined;
  const url = new URL(`d/${EXPERIMENT_DASHBOARD_UID}/doubletap-experiment`, base.endsWith('/') ? base : `${base}/`);
  url.searchParams.set('from', String(from - PAD_MS));
  url.searchParams.set('to', String(to + PAD_MS));
  return url.toString();
}

export function grafanaLink(base: string | undefined, v: Verdict): SafeHtml | string {
  const url = base ? grafanaDashboardUrl(base, v.startedAt, v.endedAt) : undefined;
  if (!url) return '';
  return html`<p class="grafana-link" id="grafana-link"><a href="${url}">Open the run in Grafana</a> (experiment dashboard, ${v.startedAt} – ${v.endedAt}, ±1 min)</p>`;
}
