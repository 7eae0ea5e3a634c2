// A seeded moment inside the chaos window, for faults that happen once (a forced rebalance or rewind)
// rather than per request. Same seed and label → same moment, never an unseeded draw.
import seedrandom from 'seedrandom';

/** Milliseconds from the start of the chaos window, drawn uniformly from its [10%, 50%) span. */
export function seededMoment(seed: number, label: string, windowMs: number): number {
  const draw = seedrandom.alea(`${seed}\u0000moment\u0000${label}`)();
  return Math.floor(windowMs * (0.1 + 0.4 * draw));
}
