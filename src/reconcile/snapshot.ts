// Snapshots: every probe read in parallel; a failed read is recorded (value null + error), never thrown.
import { messageOf } from '../errors';
import type { Probe } from '../probes/types';
import type { ProbeReading } from './types';

export interface SnapshotValue {
  value: number | null;
  error?: string;
}
export type Snapshot = Record<string, SnapshotValue>;

export async function takeSnapshot(probes: Probe[]): Promise<Snapshot> {
  const results = await Promise.allSettled(probes.map((p) => p.read()));
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
