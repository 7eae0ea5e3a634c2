// The experiment dashboard: what a team opens after (or during) a run. The proof that a platform works
// is on top: the target's dedup hits climb with the copies while its side effects track the originals.
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { DATASOURCE, RATE, baseDashboard, datasourceVariable, labelVariable, orZero, textVariable, thresholds } from './common';
import { stackedBars, stat, stateTimeline, timeseries } from './panels';

const JOB = 'job=~"$job"';
const RULE = `${JOB},rule=~"$rule"`;
const RELAY = `${JOB},relay=~"$relay"`;
const rate = (metric: string, sel: string) => `rate(${metric}{${sel}}[${RATE}])`;
const quantile = (q: number, by: string, metric: string, sel: string) =>
  `histogram_quantile(${q}, sum by (${by}) (${rate(metric, sel)}))`;

const proof = [
  timeseries(
    'Copies, dedup hits and side effects',
    'Per second. Healthy: dedup hits rise with the copies while side effects follow the originals. Leaking: side effects follow originals + copies and dedup hits stay flat.',
    'reqps', { w: 24, h: 9 },
    [`sum(${rate('doubletap_http_requests_total', RULE)})`, 'originals (HTTP)'],
    [`sum(${rate('doubletap_http_copies_total', `${RULE},outcome!="cancelled"`)})`, 'copies sent (HTTP)'],
    [`sum(${rate('doubletap_kafka_messages_total', `${RELAY},kind="copy"`)})`, 'copies sent (Kafka)'],
    [`sum(rate(\${dedup_metric}[${RATE}]))`, 'target dedup hits'],
    [`sum(rate(\${side_effect_metric}[${RATE}]))`, 'target side effects'],
  ),
  stat('Copies that ran the write again', 'HTTP copies classified re-executed or wrong-replay in the time range: anything above 0 is a duplicate the service did not absorb.',
    'short', { w: 6, h: 5 }, thresholds([[null, 'green'], [1, 'red']]),
    [`sum(increase(doubletap_http_copies_total{${RULE},outcome=~"re-executed|wrong-replay"}[$__range])) or vector(0)`, '']),
  stat('Dedup hits vs replayed copies', 'Over the time range. The target\'s dedup counter should grow by at least the copies doubletap saw replayed.',
    'short', { w: 6, h: 5 }, thresholds([[null, 'blue']]),
    [`sum(increase(\${dedup_metric}[$__range]))`, 'dedup hits'],
    [`sum(increase(doubletap_http_copies_total{${RULE},outcome="replayed"}[$__range])) or vector(0)`, 'replayed copies']),
  stat('Side effects per original', 'Target side effects over HTTP originals in the time range. About 1 (or your known factor) when duplicates are absorbed; it climbs toward 1 + copies/originals when they are not.',
    'short', { w: 6, h: 5 }, thresholds([[null, 'blue']]),
    [`sum(increase(\${side_effect_metric}[$__range])) / sum(increase(doubletap_http_requests_total{${RULE}}[$__range]))`, '']),
  stat('Copies in the range', 'HTTP and Kafka copies sent in the time range.', 'short', { w: 6, h: 5 }, thresholds([[null, 'blue']]),
    [`sum(increase(doubletap_http_copies_total{${RULE},outcome!="cancelled"}[$__range])) or vector(0)`, 'HTTP'],
    [`sum(increase(doubletap_kafka_messages_total{${RELAY},kind="copy"}[$__range])) or vector(0)`, 'Kafka']),
];

const copies = [
  stackedBars('Copy outcomes by rule and fault', 'Each bar counts the copies classified in that interval. re-executed and wrong-replay are failures; unverified needs the books.',
    { w: 12, h: 9 },
    [`sum by (rule, fault, outcome) (increase(doubletap_http_copies_total{${RULE}}[${RATE}]))`, '{{rule}} {{fault}} {{outcome}}']),
  stackedBars('Not duplicated, by reason', 'Matching requests that got no copy: not picked, budget, rate limit, halted, dry run, body too large.',
    { w: 12, h: 9 },
    [`sum by (rule, reason) (increase(doubletap_http_not_duplicated_total{${RULE}}[${RATE}]))`, '{{rule}} {{reason}}']),
  timeseries('Relay: originals, copies, redeliveries', 'Per second per relay. Redeliveries are the consumer\'s own re-reads (rebalance, restart), not injected copies.',
    'reqps', { w: 24, h: 8 },
    [`sum by (relay, kind) (${rate('doubletap_kafka_messages_total', RELAY)})`, '{{relay}} {{kind}}'],
    [orZero(`sum by (relay) (${rate('doubletap_kafka_redeliveries_total', RELAY)})`, `sum by (relay) (${rate('doubletap_kafka_messages_total', `${RELAY},kind="original"`)})`), '{{relay}} redeliveries']),
];

const state = [
  stateTimeline('Run phase', 'doubletap run: baseline → chaos → settle → verify → done | aborted.', { w: 12, h: 7 },
    { 0: ['', 'transparent'], 1: ['current', 'blue'] },
    ['max by (phase) (doubletap_run_phase{' + JOB + '})', '{{phase}}']),
  stateTimeline('Armed and halted', 'Armed: copies may be sent. Halted: the switch is on (control API, stop condition, signal); pending copies were cancelled.',
    { w: 12, h: 7 }, { 0: ['off', 'green'], 1: ['on', 'orange'] },
    [`max(doubletap_armed{${JOB}})`, 'armed'],
    [`max(doubletap_halted{${JOB}})`, 'halted']),
  timeseries('Pending copies', 'Scheduled and not yet sent; drops to 0 on halt.', 'short', { w: 12, h: 7 },
    [`sum(doubletap_pending_copies{${JOB}})`, 'pending']),
  stat('Budget left', 'Copies left in the total budget (unlimited when none is set).', 'short', { w: 12, h: 7 },
    thresholds([[null, 'red'], [1, 'orange'], [10, 'green']]),
    [`min(doubletap_budget_remaining{${JOB}})`, '']).mappings([{ type: dashboard.MappingType.ValueToText, options: { '-1': { text: 'unlimited', color: 'green', index: 0 } } }]),
];

const latency = [
  timeseries('Copy delay (scheduled)', 'How long after the original each copy was scheduled.', 's', { w: 12, h: 8 },
    [quantile(0.5, 'le', 'doubletap_copy_delay_seconds_bucket', JOB), 'p50'],
    [quantile(0.95, 'le', 'doubletap_copy_delay_seconds_bucket', JOB), 'p95']),
  timeseries('Upstream latency: originals vs copies', 'What duplicates cost the service: copies that wait on a lock or a store show here.', 's', { w: 12, h: 8 },
    [quantile(0.5, 'le, kind', 'doubletap_upstream_duration_seconds_bucket', JOB), 'p50 {{kind}}'],
    [quantile(0.95, 'le, kind', 'doubletap_upstream_duration_seconds_bucket', JOB), 'p95 {{kind}}']),
];

function annotation(name: string, color: string, expr: string, title: string): dashboard.AnnotationQueryBuilder {
  return new dashboard.AnnotationQueryBuilder().name(name).datasource(DATASOURCE).enable(true).iconColor(color)
    .expr(expr).step('5s').titleFormat(title).useValueForTime(false);
}

export function experimentDashboard(): dashboard.Dashboard {
  const b = baseDashboard('doubletap: experiment', 'doubletap-experiment',
    'One doubletap run (or proxy/relay) against one target: copies, the target\'s dedup hits and side effects, outcomes, state.')
    .withVariable(datasourceVariable())
    .withVariable(labelVariable('job', 'Job', 'doubletap_halted'))
    .withVariable(labelVariable('rule', 'Rule', 'doubletap_http_requests_total'))
    .withVariable(labelVariable('relay', 'Relay', 'doubletap_kafka_messages_total'))
    .withVariable(textVariable('dedup_metric', 'Target dedup counter', 'idempotency_hits_total',
      'The target\'s counter of duplicates it answered from its idempotency store (a metric name, selectors allowed).'))
    .withVariable(textVariable('side_effect_metric', 'Target side-effect counter', 'shop_orders_created_total',
      'A counter of the side effect that must not repeat: orders written, ledger entries, emails sent.'))
    .annotation(annotation('Chaos window', 'blue', `doubletap_run_phase{${JOB},phase="chaos"} == 1`, 'chaos window'))
    .annotation(annotation('Halted', 'red', `doubletap_halted{${JOB}} == 1`, 'halted ({{instance}})'));
  const rows: Array<[string, Array<{ build(): dashboard.Panel }>]> = [
    ['Proof: dedup hits vs side effects', proof], ['Copies', copies], ['State', state], ['Latency', latency],
  ];
  for (const [title, panels] of rows) {
    b.withRow(new dashboard.RowBuilder(title));
    panels.forEach((p) => b.withPanel(p));
  }
  return b.build();
}
