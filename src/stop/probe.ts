// A probe drifting from its expected value: a leak detected mid-run, not after the window. A plain probe
// (e.g. the balance of a synthetic account) must keep `expected`. A keyed probe reads the books for the
// keys the run has counted so far and must stay at `perKey` × that many keys: one more row for a key is
// a duplicate that executed, seen while the window is still open.
import { ProbeError } from '../errors';
import { createProbe } from '../probes';
import type { ProbeSpec } from '../scenario/schema-probes';
import type { ProbeStop } from '../scenario/schema-gate';
import type { StopDeps, StopSource } from './types';

export function probeStop(c: ProbeStop, spec: ProbeSpec, deps: StopDeps): StopSource {
  const probe = createProbe(c.probe, spec, deps.env);
  let expected = c.expected ?? 0;
  const read = async (): Promise<number | undefined> => {
    if (!probe.keys) return probe.read();
    const keys = deps.keysFor?.(probe.keys);
    // Fail closed: a list that outgrew its bound cannot be read exactly (counts towards the halt).
    if (keys === undefined) throw new ProbeError(c.probe, 'too many keys to bind: the keyed stop condition cannot be evaluated');
    if (keys.length === 0) return undefined; // nothing counted yet: nothing to judge
    expected = (c.perKey ?? 0) * keys.length;
    return probe.read(keys);
  };
  return {
    name: c.name,
    read,
    // Keyed: only more than expected is a leak. Less is books that lag the answers (an outbox, a queue
    // behind the service): the verdict judges those after settle.
    trips: (v) => {
      const off = probe.keys ? v - expected : Math.abs(v - expected);
      return off > c.tolerance ? `${c.probe} = ${v}, expected ${probe.keys ? 'at most ' : ''}${expected} ± ${c.tolerance}` : undefined;
    },
    close: () => probe.close(),
  };
}
