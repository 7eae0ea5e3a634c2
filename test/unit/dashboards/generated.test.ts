// The committed dashboards/*.json is exactly what dashboards/src builds (like the scenario reference),
// and every query is well-formed for the panel test: variables known, legend labels kept by the query.
import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DASHBOARDS, renderDashboard } from '../../../dashboards/src';
import { DASHBOARD_DIR, dashboardQueries, interpolate, readDashboard } from '../../helpers/dashboard-queries';

describe('dashboards (generated JSON)', () => {
  for (const [file, build] of Object.entries(DASHBOARDS)) {
    it(`${file} is current (else run: npm run dashboards)`, () => {
      const committed = readFileSync(path.join(DASHBOARD_DIR, file), 'utf8');
      expect(committed === renderDashboard(build), `dashboards/${file} is stale: run npm run dashboards and commit it`).to.equal(true);
    });
  }

  it('ships no JSON that no builder makes', () => {
    const json = readdirSync(DASHBOARD_DIR).filter((f) => f.endsWith('.json')).sort();
    expect(json).to.deep.equal(Object.keys(DASHBOARDS).sort());
  });

  it('has unique uids, the current schema, and the datasource variable on every panel', () => {
    const uids = Object.keys(DASHBOARDS).map((f) => readDashboard(f).uid);
    expect(new Set(uids).size).to.equal(uids.length);
    for (const file of Object.keys(DASHBOARDS)) {
      const d = readDashboard(file);
      expect(d.schemaVersion, file).to.be.at.least(41);
      expect(d.templating.list.map((v: { name: string }) => v.name)).to.include('datasource');
      const panels = d.panels.filter((p: { type: string }) => p.type !== 'row');
      expect(panels.length, file).to.be.greaterThan(4);
      for (const p of panels) expect(p.datasource, `${file}: ${p.title}`).to.deep.equal({ type: 'prometheus', uid: '${datasource}' });
    }
  });

  it('every legend label is one the query keeps (a `by` clause names it)', () => {
    const queries = Object.keys(DASHBOARDS).flatMap(dashboardQueries);
    expect(queries.length).to.be.greaterThan(30);
    for (const q of queries) {
      const kept = [...q.expr.matchAll(/\bby \(([^)]*)\)/g)].flatMap((m) => m[1]!.split(',').map((s) => s.trim()));
      for (const label of q.labels) {
        // `x == 1` keeps every label of x (annotations): fine without a `by`.
        if (!/==/.test(q.expr)) expect(kept, `${q.dashboard} ${q.panel} ${q.refId}: ${q.expr}`).to.include(label);
      }
      expect(() => interpolate(q.expr, q.dashboard, { rate: '1m', range: '1h' })).to.not.throw();
    }
  });

  it('covers the experiment variables and the target metric names', () => {
    const d = readDashboard('doubletap-experiment.json');
    const vars = Object.fromEntries(d.templating.list.map((v: { name: string; type: string }) => [v.name, v.type]));
    expect(vars).to.deep.equal({ datasource: 'datasource', job: 'query', rule: 'query', relay: 'query', dedup_metric: 'textbox', side_effect_metric: 'textbox' });
    const exprs = dashboardQueries('doubletap-experiment.json').map((q) => q.expr).join('\n');
    for (const m of ['doubletap_run_phase', 'doubletap_armed', 'doubletap_halted', 'doubletap_budget_remaining', 'doubletap_pending_copies',
      'doubletap_copy_delay_seconds_bucket', 'doubletap_upstream_duration_seconds_bucket', 'doubletap_kafka_redeliveries_total', '${dedup_metric}', '${side_effect_metric}']) {
      expect(exprs).to.include(m);
    }
  });
});
