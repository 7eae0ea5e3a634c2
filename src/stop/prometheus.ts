// PromQL against a threshold (error rate, latency): the prometheus probe does the query and its errors.
import { createPrometheusProbe } from '../probes/prometheus';
import type { PrometheusStop } from '../scenario/schema-gate';
import { aboveOrBelow } from './thresholds';
import type { StopSource } from './types';

export function prometheusStop(c: PrometheusStop): StopSource {
  const probe = createPrometheusProbe(`stop ${c.name}`, { prometheus: c.prometheus, url: c.url, timeout: c.timeout });
  return {
    name: c.name,
    read: () => probe.read(),
    trips: (v) => aboveOrBelow(v, c.above, c.below),
    close: () => probe.close(),
  };
}
