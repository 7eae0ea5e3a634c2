// Settle: wait (bounded) for pending copies to finish and for the books to stop moving.
import type { Probe } from '../probes';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface Settleable {
  settle(timeoutMs: number): Promise<boolean>;
}

/** True when every component drained before the deadline. */
export async function settleAll(parts: Settleable[], deadline: number): Promise<boolean> {
  const results = await Promise.all(parts.map((p) => p.settle(Math.max(0, deadline - Date.now()))));
  return results.every(Boolean);
}

/**
 * Reads the probes until two consecutive readings agree (asynchronous consumers, outboxes and
 * Prometheus scrapes lag the writes), or the deadline passes. Returns whether they settled.
 */
export async function waitForStableProbes(probes: Probe[], deadline: number, stepMs: number): Promise<boolean> {
  if (probes.length === 0) return true;
  const read = () => Promise.all(probes.map((p) => p.read().catch(() => NaN)));
  let previous = await read();
  while (Date.now() + stepMs <= deadline) {
    await sleep(stepMs);
    const current = await read();
    if (current.every((v, i) => Number.isFinite(v) && v === previous[i])) return true;
    previous = current;
  }
  return false;
}
