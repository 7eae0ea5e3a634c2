// What the bench scripts read from their command line, and the one rule every doubletap case runs.

/** `--name value` from argv, else the fallback (a missing flag without one is an error). */
export function arg(name: string, fallback?: string): string {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? process.argv[i + 1] : fallback;
  if (v === undefined) throw new Error(`missing --${name}`);
  return v;
}

export type Delay = { dist: 'uniform'; min: string; max: string };

/** `--delay-ms MIN-MAX`: copies after a uniform delay; undefined without the flag (or its fallback). */
export function delayArg(fallback = ''): Delay | undefined {
  const [min, max] = arg('delay-ms', fallback).split('-');
  return max ? { dist: 'uniform', min: `${min}ms`, max: `${max}ms` } : undefined;
}

/** `--node-flags '--flag …'`: V8/Node flags for every proxy under test (none when not given). */
export function nodeFlagsArg(): string[] {
  return process.argv.includes('--node-flags') ? arg('node-flags', '').split(' ').filter(Boolean) : [];
}

/** One proxy under test, from `FRACTION[:PROBE[+PROBE…]][@FLAG,FLAG…]`. */
export interface TargetSpec {
  fraction: number;
  /** The proxy's own arguments: `--probe` (bench/servers/probes.ts) when a probe is named. */
  proxyArgs: string[];
  /** `halt` is one of the probes: the harness halts the proxy after the warm-up. */
  halts: boolean;
  /** V8/Node flags for this target only (a flag is then measured beside the same fraction without it). */
  nodeFlags: string[];
}

export function targetSpec(spec: string): TargetSpec {
  const [what, flags] = spec.split('@');
  const [f, probe] = what.split(':');
  const fraction = f === '' ? NaN : Number(f);
  if (!(fraction >= 0 && fraction <= 1)) throw new Error(`target "${spec}": the fraction must be a number from 0 to 1`);
  const probes = probe ? probe.split('+') : [];
  return { fraction, proxyArgs: probe ? ['--probe', probe] : [], halts: probes.includes('halt'), nodeFlags: flags ? flags.split(',').filter(Boolean) : [] };
}

/** Every POST matches; `fraction` of them are replayed, after `delay` when given (scenario JSON). */
export function replayRules(fraction: number, delay?: Delay): string {
  return JSON.stringify([{ name: 'orders', match: { method: 'POST', path: '/**' }, fraction, faults: [{ kind: 'replay', ...(delay ? { delay } : {}) }] }]);
}
