// Snapshots: every probe read in parallel; a failed read is recorded (value null + error), never thrown.
import { messageOf } from '../errors';
import type { Probe } from '../probes/types';
import type { ProbeReading } from './types';

export interface SnapshotValue {
  value: number | null;
  error?: string;
}
export type Snapshot = Record<string, SnapshotValue>;

/**
 * `keysFor` gives a keyed probe its keys; without it (the "before" snapshot) a keyed probe reads 0 by
 * definition: the keys are this run's operations, none of which existed before it. A keyed probe
 * whose key list is incomplete (undefined) cannot be read.
 */
export async function takeSnapshot(probes: Probe[], keysFor?: (p: Probe) => readonly string[] | undefined): Promise<Snapshot> {
  const readOne = async (p: Probe): Promise<number> => {
    if (!p.keys) return p.read();
    if (!keysFor) return 0;
    const keys = keysFor(p);
    if (keys === undefined) throw new Error(`too many keys for rule ${p.keys.rule}: the list is incomplete`);
    return p.read(keys);
  };
  const results = await Promise.allSettled(probes.map(readOne));
  const snapshot: Snapshot = {};
  probes.forEach((p, i) => {
    const r = results[i]!;
    snapshot[p.name] = r.status === 'fulfilled' ? { value: r.value } : { value: null, error: messageOf(r.reason) };
  });
  return snapshot;
}

/** before/after/delta per probe named in either snapshot; delta is null when either side is missing. */
export function compareSnapshots(before: Snapshot, after: Snapshot): Record<string, ProbeReading> {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  const readings: Record<string, ProbeReading> = {};
  for (const name of names) {
    const b = before[name] ?? { value: null, error: 'not read before the run' };
    const a = after[name] ?? { value: null, error: 'not read after the run' };
    const reading: ProbeReading = {
      before: b.value,
      after: a.value,
      delta: b.value !== null && a.value !== null ? round(a.value - b.value) : null,
    };
    const errors = [b.error && `before: ${b.error}`, a.error && `after: ${a.error}`].filter(Boolean);
    if (errors.length > 0) reading.error = errors.join('; ');
    readings[name] = reading;
  }
  return readings;
}

/** Float noise off (0.1 + 0.2), integers untouched. */
export function round(n: number): number {
  return Number.isInteger(n) ? n : Number(n.toPrecision(12));
}
