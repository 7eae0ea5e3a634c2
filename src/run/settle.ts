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

/** The keys a keyed probe reads now (undefined for a plain probe). */
export type KeysFor = (probe: Probe) => readonly string[] | undefined;

/**
 * Reads the probes until two consecutive readings agree (asynchronous consumers, outboxes and
 * Prometheus scrapes lag the writes), or the deadline passes. Returns the probes still moving ([]:
 * settled), so the verdict can name them.
 */
export async function waitForStableProbes(probes: Probe[], deadline: number, stepMs: number, keysFor: KeysFor = () => undefined): Promise<string[]> {
  if (probes.length === 0) return [];
  const read = () => Promise.all(probes.map((p) => p.read(keysFor(p)).catch(() => NaN)));
  let previous = await read();
  let moving = probes.map((p) => p.name);
  while (Date.now() + stepMs <= deadline) {
    await sleep(stepMs);
    const current = await read();
    moving = probes.filter((_, i) => !(Number.isFinite(current[i]) && current[i] === previous[i])).map((p) => p.name);
    if (moving.length === 0) return [];
    previous = current;
  }
  return moving;
}
