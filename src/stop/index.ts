// Stop condition kinds, one file each; the condition's distinguishing field picks the factory.
import type { Scenario } from '../scenario/schema';
import type { PrometheusStop, ProbeStop, StopCondition, UpstreamStop } from '../scenario/schema-gate';
import { probeStop } from './probe';
import { prometheusStop } from './prometheus';
import type { StopDeps, StopSource } from './types';
import { upstream5xxStop } from './upstream-5xx';

export type { StopDeps, StopSource, UpstreamCounts } from './types';

type Factory = (c: StopCondition, scenario: Scenario, deps: StopDeps) => StopSource;

export const STOP_KINDS: Record<'prometheus' | 'upstream5xx' | 'probe', Factory> = {
  prometheus: (c) => prometheusStop(c as PrometheusStop),
  upstream5xx: (c, _s, deps) => upstream5xxStop(c as UpstreamStop, deps),
  probe: (c, s, deps) => probeStop(c as ProbeStop, s.probes[(c as ProbeStop).probe]!, deps),
};

export function stopKindOf(c: StopCondition): keyof typeof STOP_KINDS {
  if ('prometheus' in c) return 'prometheus';
  if ('upstream5xx' in c) return 'upstream5xx';
  return 'probe';
}

export function createStopSources(scenario: Scenario, deps: StopDeps): StopSource[] {
  return scenario.gate.stop.conditions.map((c) => STOP_KINDS[stopKindOf(c)](c, scenario, deps));
}
