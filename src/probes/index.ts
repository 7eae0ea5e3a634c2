// Probe kinds, one file each; the spec's distinguishing field (sql/http/prometheus) picks the factory.
import type { HttpProbe, ProbeSpec, PrometheusProbe, SqlProbe } from '../scenario/schema-probes';
import { createHttpProbe } from './http';
import { createPrometheusProbe } from './prometheus';
import { createSqlProbe } from './sql';
import type { Probe, ProbeKind } from './types';

export type { Probe, ProbeKind } from './types';

type Factory = (name: string, spec: ProbeSpec, env: NodeJS.ProcessEnv) => Probe;

export const PROBE_KINDS: Record<ProbeKind, Factory> = {
  sql: (name, spec, env) => createSqlProbe(name, spec as SqlProbe, env),
  http: (name, spec, env) => createHttpProbe(name, spec as HttpProbe, env),
  prometheus: (name, spec) => createPrometheusProbe(name, spec as PrometheusProbe),
};

export function probeKindOf(spec: ProbeSpec): ProbeKind {
  if ('sql' in spec) return 'sql';
  if ('http' in spec) return 'http';
  return 'prometheus';
}

/** Builds a probe; a missing env: variable or a bad URL is a ConfigError naming `probes.<name>…`. */
export function createProbe(name: string, spec: ProbeSpec, env: NodeJS.ProcessEnv = process.env): Probe {
  return PROBE_KINDS[probeKindOf(spec)](name, spec, env);
}

/** All probes of a scenario; if one cannot be built, the ones already built are closed. */
export function createProbes(specs: Record<string, ProbeSpec>, env: NodeJS.ProcessEnv = process.env): Probe[] {
  const probes: Probe[] = [];
  try {
    for (const [name, spec] of Object.entries(specs)) probes.push(createProbe(name, spec, env));
  } catch (err) {
    for (const p of probes) void p.close().catch(() => undefined);
    throw err;
  }
  return probes;
}

export async function closeProbes(probes: Probe[]): Promise<void> {
  await Promise.allSettled(probes.map((p) => p.close()));
}
