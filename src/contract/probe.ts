// A per-operation probe built from the existing probe kinds (src/probes). A probe whose query or URL
// contains {{key}} is keyed: it counts the side effects of one Idempotency-Key, so other traffic on the
// same tables cannot blur the count. Keys are ours ([A-Za-z0-9-]), so substituting them is safe.
import { ConfigError } from '../errors';
import { createProbe, type Probe } from '../probes';
import type { ProbeSpec } from '../scenario/schema-probes';

export interface ProbeReader {
  name: string;
  keyed: boolean;
  /** One reading; a keyed probe needs the key. Throws ProbeError. */
  read(key?: string): Promise<number>;
  close(): Promise<void>;
}

const KEY = /\{\{\s*key\s*\}\}/g;

/** Config problems (a missing env: variable, a bad URL) surface here, before any request: `where` names the place. */
export function createProbeReader(name: string, spec: ProbeSpec, where: string, env: NodeJS.ProcessEnv = process.env): ProbeReader {
  const text = 'sql' in spec ? spec.sql : 'http' in spec ? spec.http : spec.prometheus;
  const keyed = KEY.test(text);
  KEY.lastIndex = 0;
  let fixed: Probe | undefined;
  try {
    fixed = createProbe(name, keyed ? withKey(spec, 'preflight') : spec, env);
  } catch (err) {
    if (err instanceof ConfigError) throw new ConfigError(err.issues.map((i) => i.replace(`probes.${name}.`, `${where}/`).replace(`probes.${name}`, where)));
    throw err;
  }
  if (keyed) {
    void fixed.close();
    fixed = undefined;
  }
  return {
    name,
    keyed,
    async read(key) {
      if (fixed) return fixed.read();
      const probe = createProbe(name, withKey(spec, key ?? ''), env);
      try {
        return await probe.read();
      } finally {
        await probe.close();
      }
    },
    close: async () => fixed?.close(),
  };
}

function withKey(spec: ProbeSpec, key: string): ProbeSpec {
  if (!/^[A-Za-z0-9._-]*$/.test(key)) throw new Error(`keyed probe: refusing key with unsafe characters`);
  if ('sql' in spec) return { ...spec, sql: spec.sql.replace(KEY, key) };
  if ('http' in spec) return { ...spec, http: spec.http.replace(KEY, encodeURIComponent(key)) };
  return { ...spec, prometheus: spec.prometheus.replace(KEY, key) };
}
