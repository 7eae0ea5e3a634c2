// prometheus probe: an instant query that must return exactly one sample (or a scalar).
import { ProbeError, messageOf } from '../errors';
import type { PrometheusProbe } from '../scenario/schema-probes';
import { toNumber } from './number';
import { safeDecode, withoutCredentials } from './http';
import { scrub } from '../secrets';
import { withTimeout } from './timeout';
import type { Probe } from './types';

interface QueryResponse {
  status?: string;
  error?: string;
  data?: { resultType?: string; result?: unknown };
}

/** The one number in a /api/v1/query answer, or an Error saying why there is none. */
export function sampleOf(body: QueryResponse): number | Error {
  if (body.status !== 'success') return new Error(`query failed: ${body.error ?? 'unknown error'}`);
  const { resultType, result } = body.data ?? {};
  let raw: unknown;
  if (resultType === 'scalar') {
    raw = (result as [number, string])[1];
  } else if (resultType === 'vector') {
    const list = result as Array<{ value: [number, string] }>;
    // An empty vector is NOT zero: the series may not exist yet, or the target is down.
    if (list.length === 0) return new Error('no sample (empty vector: the series does not exist or was not scraped)');
    if (list.length > 1) return new Error(`${list.length} samples, expected exactly one (aggregate it, e.g. sum(…))`);
    raw = list[0]!.value[1];
  } else {
    return new Error(`result type ${resultType ?? 'missing'}, expected an instant vector or a scalar`);
  }
  const n = toNumber(raw);
  return n === undefined ? new Error(`sample value ${String(raw)} is not a number`) : n;
}

export function createPrometheusProbe(name: string, spec: PrometheusProbe): Probe {
  const given = new URL(spec.url);
  const where = given.host;
  // user:password in the URL: Basic auth, never part of the fetched URL (fetch's error would echo it).
  const headers: Record<string, string> = { accept: 'application/json' };
  const base = new URL(withoutCredentials(given, headers));
  const secrets = [safeDecode(given.password), given.password, headers.authorization];
  const url = new URL('api/v1/query', base.href.endsWith('/') ? base.href : base.href + '/');
  url.searchParams.set('query', spec.prometheus);
  // Prometheus stops evaluating at its own timeout too; a little under ours so its message wins.
  url.searchParams.set('timeout', `${Math.max(1, spec.timeout - 100)}ms`);

  return {
    name,
    kind: 'prometheus',
    async read() {
      let body: QueryResponse;
      try {
        const res = await withTimeout(
          fetch(url, { headers, signal: AbortSignal.timeout(spec.timeout) }),
          spec.timeout + 500,
          'query',
        );
        const text = await res.text();
        try {
          body = JSON.parse(text) as QueryResponse;
        } catch {
          throw new Error(`HTTP ${res.status}, not a Prometheus API answer`);
        }
      } catch (err) {
        const e = err as Error & { cause?: { code?: string; message?: string } };
        const cause = e.name === 'TimeoutError' ? `timed out after ${spec.timeout}ms` : e.cause?.code ?? e.cause?.message ?? messageOf(e);
        throw new ProbeError(name, `Prometheus ${where}: ${scrub(cause, secrets)}`);
      }
      const n = sampleOf(body);
      if (n instanceof Error) throw new ProbeError(name, `Prometheus ${where}: ${n.message}`);
      return n;
    },
    async close() {},
  };
}
