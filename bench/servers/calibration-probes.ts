// Calibration probes: a known, synthetic cost added to every matched request, to read what this
// machine charges for each kind of work before reading what the copy path costs (docs/benchmarks.md,
// "What this machine charges"). Run beside fraction 0 without them (`cost-by-fraction --paired
// --fractions 0,0:compute=2000,0:scatter=128x64`): a cost the proxy pays at face value shows as its own
// time per request; one the machine multiplies shows as more.
//   compute=NS        about NS ns of arithmetic per request (calibrated at start): registers only
//   scatter=NxMIB     N random 8-byte reads per request over an array of MIB MiB (rounded down to a power
//                     of two): memory footprint, within the caches or beyond them, with few instructions
// Both run inside the decision (Decider.begin), once per matched request, and count their calls.
type Dist = <T>(module: string) => T;

/** Requests that paid a calibration cost (the bench proxy's stats report it: the tests count it). */
export const calibration = { calls: 0 };

/** Results are folded into this, so the optimizer cannot drop the work. */
let sink = 0;

/** `valueOf(name)`: the value a probe was given (`compute=2000` → '2000'), undefined when it was not named. */
export function applyCalibration(valueOf: (name: string) => string | undefined, dist: Dist): void {
  const compute = valueOf('compute');
  const scatter = valueOf('scatter');
  if (compute === undefined && scatter === undefined) return;
  const costs: Array<() => number> = [];
  if (compute !== undefined) costs.push(computeCost(positive('compute', compute)));
  if (scatter !== undefined) {
    const m = /^(\d+)x(\d+)$/.exec(scatter);
    if (!m) throw new Error(`probe scatter=${scatter}: expected READSxMIB, e.g. scatter=128x64`);
    costs.push(scatterCost(positive('scatter reads', m[1]), positive('scatter MiB', m[2])));
  }
  const { Decider } = dist<typeof import('../../src/http/decision')>('http/decision');
  const begin = Decider.prototype.begin;
  Decider.prototype.begin = function (this: InstanceType<typeof Decider>, ...args: Parameters<typeof begin>) {
    calibration.calls++;
    for (const cost of costs) sink ^= cost();
    return begin.apply(this, args);
  };
}

function positive(what: string, text: string): number {
  const n = Number(text);
  if (!(Number.isInteger(n) && n > 0)) throw new Error(`probe ${what}: ${text} is not a positive whole number`);
  return n;
}

/** A multiply-xorshift chain: each step needs the one before, so it cannot be vectorised or skipped. */
function mix(rounds: number): number {
  let h = 0x9e3779b9 | 0;
  for (let i = 0; i < rounds; i++) h = (Math.imul(h ^ (h >>> 15), 0x85ebca6b) + i) | 0;
  return h;
}

/** Rounds of mix() that take about `ns`, measured now (the proxy is warm by the time it is loaded). */
function computeCost(ns: number): () => number {
  let rounds = 1000;
  for (let pass = 0; pass < 5; pass++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < 1000; i++) sink ^= mix(rounds);
    const perCall = Number(process.hrtime.bigint() - start) / 1000;
    rounds = Math.max(1, Math.round((rounds * ns) / perCall));
  }
  return () => mix(rounds);
}

/** `reads` reads at random places of a `mib`-MiB array (filled, so every page is really there). */
function scatterCost(reads: number, mib: number): () => number {
  // A power of two: the index is a mask, not a division (which would be compute of its own).
  const words = new Float64Array(2 ** Math.floor(Math.log2((mib * 1024 * 1024) / 8)));
  for (let i = 0; i < words.length; i++) words[i] = i;
  const mask = words.length - 1;
  let x = 12345;
  return () => {
    let s = 0;
    for (let i = 0; i < reads; i++) {
      x = Math.imul(x ^ (x >>> 13), 0x5bd1e995) | 0;
      s += words[(x >>> 0) & mask];
    }
    return s;
  };
}
