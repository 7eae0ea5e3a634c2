// One prom-client registry per process with every doubletap metric (contract names, prefix doubletap_).
// Labels stay low-cardinality: rule, relay, fault, outcome, method, kind, reason — never keys or URLs.
import client from 'prom-client';

const RUNTIME_TOTAL_GAUGES = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

export function createMetrics(options: { defaultMetrics?: boolean } = {}) {
  const registry = new client.Registry();
  if (options.defaultMetrics) {
    client.collectDefaultMetrics({ register: registry, prefix: 'doubletap_process_' });
    // prom-client names three gauges `…_total`, which promtool rejects (only counters end in _total).
    // Each is the sum of its labelled sibling (`doubletap_process_nodejs_active_handles{type}`), so
    // dropping them loses nothing: sum(doubletap_process_nodejs_active_handles) is the total.
    for (const name of RUNTIME_TOTAL_GAUGES) registry.removeSingleMetric(`doubletap_process_${name}`);
  }
  const registers = [registry];
  return {
    registry,
    httpRequests: new client.Counter({
      name: 'doubletap_http_requests_total', help: 'Client requests forwarded (originals)', labelNames: ['rule', 'method'], registers,
    }),
    httpCopies: new client.Counter({
      name: 'doubletap_http_copies_total', help: 'HTTP copies by fault and outcome', labelNames: ['rule', 'fault', 'outcome'], registers,
    }),
    httpNotDuplicated: new client.Counter({
      name: 'doubletap_http_not_duplicated_total', help: 'Picked or matching requests not duplicated, by reason', labelNames: ['rule', 'reason'], registers,
    }),
    kafkaMessages: new client.Counter({
      name: 'doubletap_kafka_messages_total', help: 'Kafka messages produced by relays', labelNames: ['relay', 'kind'], registers,
    }),
    kafkaRedeliveries: new client.Counter({
      name: 'doubletap_kafka_redeliveries_total', help: 'Source messages the relay saw again (rebalance, restart)', labelNames: ['relay'], registers,
    }),
    copyDelay: new client.Histogram({
      name: 'doubletap_copy_delay_seconds', help: 'Scheduled delay of copies', registers,
      buckets: [0, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
    }),
    upstreamDuration: new client.Histogram({
      name: 'doubletap_upstream_duration_seconds', help: 'Upstream response time', labelNames: ['kind'], registers,
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    }),
    journalLinesLost: new client.Counter({
      name: 'doubletap_journal_lines_lost_total', help: 'Journal lines that could not be written (disk full, file gone); the run is inconclusive', registers,
    }),
    pendingCopies: new client.Gauge({ name: 'doubletap_pending_copies', help: 'Copies scheduled and not yet sent', registers }),
    halted: new client.Gauge({ name: 'doubletap_halted', help: '1 while halted', registers }),
    budgetRemaining: new client.Gauge({ name: 'doubletap_budget_remaining', help: 'Copies left in the total budget (-1: unlimited)', registers }),
    // Shared names for the dashboards and the production arming (issues 10, 11): set by whoever owns the state.
    armed: new client.Gauge({ name: 'doubletap_armed', help: '1 while a rule set is armed (copies may be sent), 0 while passing through', registers }),
    runPhase: new client.Gauge({
      name: 'doubletap_run_phase', help: '1 for the current phase of a run (baseline, chaos, settle, verify, done, aborted), 0 for the others', labelNames: ['phase'], registers,
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

export const RUN_PHASES = ['baseline', 'chaos', 'settle', 'verify', 'done', 'aborted'] as const;
export type RunPhase = (typeof RUN_PHASES)[number];

/** Every phase gets a series from the first scrape on (0 or 1), so the dashboard's phase panel and its
 * window annotations never show "no data" for a phase that has not come yet. */
export function setRunPhase(metrics: Metrics, current: RunPhase): void {
  for (const phase of RUN_PHASES) metrics.runPhase.set({ phase }, phase === current ? 1 : 0);
}
