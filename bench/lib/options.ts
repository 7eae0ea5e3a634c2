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

/** Every POST matches; `fraction` of them are replayed, after `delay` when given (scenario JSON). */
export function replayRules(fraction: number, delay?: Delay): string {
  return JSON.stringify([{ name: 'orders', match: { method: 'POST', path: '/**' }, fraction, faults: [{ kind: 'replay', ...(delay ? { delay } : {}) }] }]);
}
