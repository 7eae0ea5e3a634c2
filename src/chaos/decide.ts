// The one decision function: decide(seed, rule, identity) → plan. Pure and deterministic, so the same
// seed and the same traffic give the same decisions, and proxy replicas agree without talking.
import seedrandom from 'seedrandom';
import type { Delay } from '../scenario/schema-common';
import { Random, sampleDelay } from './delay';
import { fingerprint, hashPrefix, type HashState } from './recent-keys';

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

/**
 * The pick: a uniform draw in [0, 1) from a 53-bit hash of (seed, rule, identity). Every matching
 * request or message pays for it, so it is one pass over the identity (~0.1 µs), not a seeded generator
 * (Alea's Mash makes three, ~1.5–3 µs: at 10 % a relay spent more on seeding than on its copies).
 * The `seed\0rule\0` prefix is hashed once per (seed, rule), not concatenated and hashed again per
 * request (callgrind put pickDraw at ~1,700 instructions a request before). Only a picked request seeds
 * a generator, for its fault and delays.
 */
function pickDraw(seed: number, ruleName: string, identity: string): number {
  return fingerprint(identity, prefixState(seed, ruleName)) / 2 ** 53;
}

/** Prefix hash states of the current seed, by rule name (a proxy or relay has one seed and a few
 * rules; re-armed with another seed, it starts afresh). Bounded for a standing proxy re-armed often. */
const prefixes = { seed: NaN, byRule: new Map<string, HashState>() };
const MAX_PREFIXES = 256;

function prefixState(seed: number, ruleName: string): HashState {
  if (prefixes.seed !== seed || prefixes.byRule.size >= MAX_PREFIXES) {
    prefixes.seed = seed;
    prefixes.byRule.clear();
  }
  let state = prefixes.byRule.get(ruleName);
  if (state === undefined) prefixes.byRule.set(ruleName, (state = hashPrefix(`${seed}\u0000${ruleName}\u0000`)));
  return state;
}

export function decide(seed: number, rule: DecideRule, identity: string): Plan {
  // The pick never depends on the faults, so changing a fault's shape never changes which are picked.
  if (!(pickDraw(seed, rule.name, identity) < rule.fraction) || rule.faults.length === 0) return { picked: false };
  const rng = rngFor(seed, rule.name, identity);
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
