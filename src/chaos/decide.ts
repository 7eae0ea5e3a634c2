// The one decision function: decide(seed, rule, identity) → plan. Pure and deterministic, so the same
// seed and the same traffic give the same decisions, and proxy replicas agree without talking.
import seedrandom from 'seedrandom';
import type { Delay } from '../scenario/schema-common';
import { Random, sampleDelay } from './delay';

/** What decide needs of a fault: its weight and how its copies are timed. */
export interface FaultShape {
  weight: number;
  copies?: number;
  /** Copies wait a draw from this distribution (replay, key-reuse, strip-key, Kafka). */
  delay?: Delay;
  /** Copies start at a uniform point within this window (burst). */
  within?: number;
  /** No copies from doubletap: the client's retry is the duplicate (lost-reply). */
  kind?: string;
}

export interface DecideRule {
  name: string;
  fraction: number;
  faults: readonly FaultShape[];
}

export type Plan =
  | { picked: false }
  | { picked: true; faultIndex: number; copyDelaysMs: number[] };

/**
 * One generator per (seed, rule, identity). Alea seeds from a string with a hash (Mash) in ~3 µs,
 * where seedrandom's default ARC4 takes ~13 µs: this runs once per matching request.
 */
export function rngFor(seed: number, ruleName: string, identity: string): Random {
  return seedrandom.alea(`${seed}\u0000${ruleName}\u0000${identity}`);
}

export function decide(seed: number, rule: DecideRule, identity: string): Plan {
  const rng = rngFor(seed, rule.name, identity);
  // Always draw the pick first, so changing a fault's shape never changes which requests are picked.
  if (!(rng() < rule.fraction) || rule.faults.length === 0) return { picked: false };
  const faultIndex = pickWeighted(rule.faults, rng());
  return { picked: true, faultIndex, copyDelaysMs: copyDelays(rule.faults[faultIndex], rng) };
}

export function pickWeighted(items: readonly { weight: number }[], u: number): number {
  const total = items.reduce((s, f) => s + f.weight, 0);
  let point = u * total;
  for (let i = 0; i < items.length; i++) {
    point -= items[i].weight;
    if (point < 0) return i;
  }
  return items.length - 1;
}

function copyDelays(fault: FaultShape, rng: Random): number[] {
  if (fault.kind === 'lost-reply') return [];
  const n = fault.copies ?? 1;
  const delays: number[] = [];
  for (let i = 0; i < n; i++) {
    if (fault.within !== undefined) delays.push(Math.round(rng() * fault.within));
    else delays.push(fault.delay ? sampleDelay(fault.delay, rng) : 0);
  }
  return delays;
}
