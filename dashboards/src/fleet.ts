// The fleet view: many standing proxies and relays (replicas behind a load balancer, one per service),
// broken down by job and instance. It answers "which replica re-executed, halted or fell behind?".
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { PromQueryFormat } from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder as TablePanel } from '@grafana/grafana-foundation-sdk/table';
import { DATASOURCE, RATE, baseDashboard, datasourceVariable, labelVariable, orZero, refId, targets, thresholds } from './common';
import { stackedBars, stateTimeline, timeseries } from './panels';

const SEL = 'job=~"$job",instance=~"$instance"';
const BY = 'job, instance';
/** Every doubletap process exports doubletap_halted: the shape "one series per replica". */
const REPLICAS = `max by (${BY}) (doubletap_halted{${SEL}})`;

/** The overview table's columns: one instant query each, merged on job and instance. */
const COLUMNS: Array<[expr: string, column: string]> = [
  [orZero(`sum by (${BY}) (increase(doubletap_http_copies_total{${SEL},outcome=~"re-executed|wrong-replay"}[$__range]))`, REPLICAS), 'failed copies'],
  [REPLICAS, 'halted'],
  [`max by (${BY}) (doubletap_armed{${SEL}})`, 'armed'],
  [`sum by (${BY}) (doubletap_pending_copies{${SEL}})`, 'pending copies'],
  [`min by (${BY}) (doubletap_budget_remaining{${SEL}})`, 'budget left'],
];

const overview = new TablePanel()
  .title('Replicas')
  .description('One row per doubletap process: copies that ran the write again (time range), halted, armed, pending copies, budget left (-1: unlimited).')
  .datasource(DATASOURCE)
  .gridPos({ x: 0, y: 0, w: 24, h: 8 })
  .thresholds(thresholds([[null, 'green'], [1, 'red']]))
  .targets(targets(...COLUMNS).map((t) => t.instant().format(PromQueryFormat.Table)))
  // Table-format queries name their value "Value #<refId>": merge them into one row per replica, named.
  .withTransformation({ id: 'merge', options: {} })
  .withTransformation({
    id: 'organize',
    options: {
      excludeByName: { Time: true },
      renameByName: Object.fromEntries(COLUMNS.map(([, column], i) => [`Value #${refId(i)}`, column])),
    },
  });

const traffic = [
  timeseries('Originals per replica', 'Client requests forwarded, per second.', 'reqps', { w: 12, h: 8 },
    [`sum by (${BY}) (rate(doubletap_http_requests_total{${SEL}}[${RATE}]))`, '{{job}} {{instance}}']),
  stackedBars('Copy outcomes per replica', 'Copies classified in each interval.', { w: 12, h: 8 },
    [`sum by (instance, outcome) (increase(doubletap_http_copies_total{${SEL}}[${RATE}]))`, '{{instance}} {{outcome}}']),
  timeseries('Relay messages per replica', 'Originals and copies produced, per second.', 'reqps', { w: 12, h: 8 },
    [`sum by (instance, relay, kind) (rate(doubletap_kafka_messages_total{${SEL}}[${RATE}]))`, '{{instance}} {{relay}} {{kind}}']),
  timeseries('Upstream p95 per replica (originals)', 'The proxy\'s view of the service, per replica.', 's', { w: 12, h: 8 },
    [`histogram_quantile(0.95, sum by (instance, le) (rate(doubletap_upstream_duration_seconds_bucket{${SEL},kind="original"}[${RATE}])))`, '{{instance}}']),
];

const health = [
  stateTimeline('Halted per replica', 'When each replica had its halt switch on.', { w: 12, h: 8 }, { 0: ['running', 'green'], 1: ['halted', 'red'] },
    [REPLICAS, '{{instance}}']),
  timeseries('Process CPU and memory', 'From the proxy and relay commands\' process metrics (prefix doubletap_process_).', 'percentunit', { w: 12, h: 8 },
    [`sum by (instance) (rate(doubletap_process_process_cpu_seconds_total{${SEL}}[${RATE}]))`, '{{instance}} cpu'],
    [`sum by (instance) (doubletap_process_process_resident_memory_bytes{${SEL}})`, '{{instance}} rss'])
    .overrideByRegexp('.* rss', [{ id: 'unit', value: 'bytes' }, { id: 'custom.axisPlacement', value: 'right' }]),
];

export function fleetDashboard(): dashboard.Dashboard {
  const b = baseDashboard('doubletap: fleet', 'doubletap-fleet', 'Standing doubletap proxies and relays, per job and instance.')
    .withVariable(datasourceVariable())
    .withVariable(labelVariable('job', 'Job', 'doubletap_halted'))
    .withVariable(labelVariable('instance', 'Instance', 'doubletap_halted{job=~"$job"}'))
    .annotation(new dashboard.AnnotationQueryBuilder().name('Halted').datasource(DATASOURCE).enable(true).iconColor('red')
      .expr(`doubletap_halted{${SEL}} == 1`).step('5s').titleFormat('halted ({{instance}})'));
  b.withPanel(overview);
  b.withRow(new dashboard.RowBuilder('Traffic and copies'));
  traffic.forEach((p) => b.withPanel(p));
  b.withRow(new dashboard.RowBuilder('Health'));
  health.forEach((p) => b.withPanel(p));
  return b.build();
}
