import { expect } from 'chai';
import { EXPERIMENT_DASHBOARD_UID, grafanaDashboardUrl, grafanaLink } from '../../../src/report/grafana-link';
import type { Verdict } from '../../../src/reconcile/types';
import { readDashboard } from '../../helpers/dashboard-queries';

const startedAt = '2026-12-01T10:00:00.000Z';
const endedAt = '2026-12-01T10:05:30.000Z';
const ms = (iso: string) => Date.parse(iso);

describe('report: Grafana link', () => {
  it('opens the experiment dashboard over the run window, one minute either side', () => {
    const url = new URL(grafanaDashboardUrl('http://grafana:3000', startedAt, endedAt)!);
    expect(url.origin + url.pathname).to.equal('http://grafana:3000/d/doubletap-experiment/doubletap-experiment');
    expect(Number(url.searchParams.get('from'))).to.equal(ms(startedAt) - 60_000);
    expect(Number(url.searchParams.get('to'))).to.equal(ms(endedAt) + 60_000);
  });

  it('keeps a path prefix (Grafana behind a reverse proxy), with or without a trailing slash', () => {
    for (const base of ['https://ops.example.com/grafana', 'https://ops.example.com/grafana/']) {
      expect(grafanaDashboardUrl(base, startedAt, endedAt)).to.match(/^https:\/\/ops\.example\.com\/grafana\/d\/doubletap-experiment\//);
    }
  });

  it('links the uid the shipped dashboard has', () => {
    expect(readDashboard('doubletap-experiment.json').uid).to.equal(EXPERIMENT_DASHBOARD_UID);
  });

  it('renders nothing without a URL or without a usable window, and escapes the link', () => {
    const v = { startedAt, endedAt } as Verdict;
    expect(grafanaLink(undefined, v)).to.equal('');
    expect(grafanaLink('http://g', { startedAt: 'never', endedAt } as Verdict)).to.equal('');
    const html = String((grafanaLink('http://g/"x', v) as { html: string }).html);
    expect(html).to.include('id="grafana-link"');
    expect(html).to.include('&amp;to=');
    expect(html).to.not.include('"x');
  });
});
