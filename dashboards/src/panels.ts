// Panel shapes the dashboards repeat: a rate/count time series, a single number, a 0/1 state.
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { PanelBuilder as StatPanel } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as StateTimelinePanel } from '@grafana/grafana-foundation-sdk/statetimeline';
import { PanelBuilder as TimeseriesPanel } from '@grafana/grafana-foundation-sdk/timeseries';
import { DATASOURCE, stateMapping, targets } from './common';

type Query = [expr: string, legend: string];
interface Size { w: number; h: number }

const at = ({ w, h }: Size): dashboard.GridPos => ({ x: 0, y: 0, w, h });

export function timeseries(title: string, description: string, unit: string, size: Size, ...queries: Query[]): TimeseriesPanel {
  return new TimeseriesPanel()
    .title(title)
    .description(description)
    .datasource(DATASOURCE)
    .unit(unit)
    .min(0)
    .gridPos(at(size))
    .fillOpacity(10)
    .legend(new common.VizLegendOptionsBuilder().displayMode(common.LegendDisplayMode.Table).placement(common.LegendPlacement.Bottom).showLegend(true).calcs(['max', 'lastNotNull']))
    .targets(targets(...queries));
}

/** Stacked bars: one bar per interval, for counts split by a label (outcomes, reasons). */
export function stackedBars(title: string, description: string, size: Size, ...queries: Query[]): TimeseriesPanel {
  return timeseries(title, description, 'short', size, ...queries)
    .drawStyle(common.GraphDrawStyle.Bars)
    .fillOpacity(80)
    .stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal));
}

export function stat(title: string, description: string, unit: string, size: Size, steps: dashboard.ThresholdsConfigBuilder, ...queries: Query[]): StatPanel {
  return new StatPanel()
    .title(title)
    .description(description)
    .datasource(DATASOURCE)
    .unit(unit)
    .gridPos(at(size))
    .thresholds(steps)
    .colorMode(common.BigValueColorMode.Background)
    .graphMode(common.BigValueGraphMode.None)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false))
    .targets(targets(...queries));
}

/** A 0/1 gauge over time, one row per series: when was a run armed, halted, in which phase. */
export function stateTimeline(title: string, description: string, size: Size, states: Record<string, [string, string]>, ...queries: Query[]): StateTimelinePanel {
  return new StateTimelinePanel()
    .title(title)
    .description(description)
    .datasource(DATASOURCE)
    .gridPos(at(size))
    .mappings(stateMapping(states))
    .showValue(common.VisibilityMode.Never)
    .mergeValues(true)
    .targets(targets(...queries));
}
