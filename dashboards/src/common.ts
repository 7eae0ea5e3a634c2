// Pieces both dashboards share: the datasource variable, PromQL targets, state mappings, thresholds.
// Every query goes through `targets()`, so the panel test can find each expression and the labels its
// legend uses (a `{{label}}` in the legend must be a label of every series the query returns).
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import type { DataSourceRef } from '@grafana/grafana-foundation-sdk/common';
import { DataqueryBuilder } from '@grafana/grafana-foundation-sdk/prometheus';

export const DATASOURCE: DataSourceRef = { type: 'prometheus', uid: '${datasource}' };

/** Grafana's rate window: at least four scrapes, whatever the scrape interval. */
export const RATE = '$__rate_interval';

export function datasourceVariable(): dashboard.DatasourceVariableBuilder {
  return new dashboard.DatasourceVariableBuilder('datasource').label('Data source').type('prometheus');
}

/** A multi-select label filter with "All" as `.*` (so `label=~"$name"` also matches an absent label). */
export function labelVariable(name: string, label: string, metric: string): dashboard.QueryVariableBuilder {
  return new dashboard.QueryVariableBuilder(name)
    .label(label)
    .datasource(DATASOURCE)
    .query({ qryType: 1, query: `label_values(${metric}, ${name})`, refId: 'PrometheusVariableQueryEditor-VariableQuery' })
    .definition(`label_values(${metric}, ${name})`)
    .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
    .sort(dashboard.VariableSort.AlphabeticalAsc)
    .multi(true)
    .includeAll(true)
    .allValue('.*')
    .current({ text: 'All', value: '$__all', selected: true });
}

/** A free-text variable with a default, for names that differ between services. */
export function textVariable(name: string, label: string, value: string, description: string): dashboard.TextBoxVariableBuilder {
  return new dashboard.TextBoxVariableBuilder(name)
    .label(label)
    .description(description)
    .defaultValue(value)
    .current({ text: value, value, selected: false });
}

/** The refId of a panel's i-th query: A, B, … */
export const refId = (i: number): string => String.fromCharCode(65 + i);

/** PromQL targets of one panel, refIds A, B, … in order. Each is `[expr, legend]`. */
export function targets(...queries: Array<[string, string]>): DataqueryBuilder[] {
  return queries.map(([expr, legend], i) => new DataqueryBuilder().datasource(DATASOURCE).expr(expr).legendFormat(legend).range().refId(refId(i)));
}

/** `expr`, or 0 for each series of `shape` when `expr` has none: "0 redeliveries", not "No data". */
export function orZero(expr: string, shape: string): string {
  return `(${expr}) or (0 * (${shape}))`;
}

export function thresholds(steps: Array<[number | null, string]>): dashboard.ThresholdsConfigBuilder {
  return new dashboard.ThresholdsConfigBuilder()
    .mode(dashboard.ThresholdsMode.Absolute)
    .steps(steps.map(([value, color]) => ({ value, color })));
}

/** Value → text and colour, for 0/1 state gauges (armed, halted, run phase). */
export function stateMapping(states: Record<string, [string, string]>): dashboard.ValueMapping[] {
  const options: Record<string, dashboard.ValueMappingResult> = {};
  Object.entries(states).forEach(([value, [text, color]], index) => (options[value] = { text, color, index }));
  return [{ type: dashboard.MappingType.ValueToText, options }];
}

export function baseDashboard(title: string, uid: string, description: string): dashboard.DashboardBuilder {
  return new dashboard.DashboardBuilder(title)
    .uid(uid)
    .description(description)
    .tags(['doubletap', 'generated'])
    .editable()
    .tooltip(dashboard.DashboardCursorSync.Crosshair)
    .refresh('10s')
    .time({ from: 'now-30m', to: 'now' })
    .timezone('browser');
}
