// A probe drifting from its expected value: e.g. a keyed probe on a synthetic account whose balance
// must not move while its writes are duplicated (a leak detected mid-run, not after the window).
// Any probe kind works; keyed probes are just probes that read one key.
import { createProbe } from '../probes';
import type { ProbeSpec } from '../scenario/schema-probes';
import type { ProbeStop } from '../scenario/schema-gate';
import type { StopDeps, StopSource } from './types';

export function probeStop(c: ProbeStop, spec: ProbeSpec, deps: StopDeps): StopSource {
  const probe = createProbe(c.probe, spec, deps.env);
  return {
    name: c.name,
    read: () => probe.read(),
    trips: (v) => (Math.abs(v - c.expected) > c.tolerance ? `${c.probe} = ${v}, expected ${c.expected} ± ${c.tolerance}` : undefined),
    close: () => probe.close(),
  };
}
