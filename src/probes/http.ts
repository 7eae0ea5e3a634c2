// http probe: GET a URL and read a number from the JSON at a dot path (`stats.orders`, `items[0].n`).
import { ConfigError, ProbeError, messageOf } from '../errors';
import type { HttpProbe } from '../scenario/schema-probes';
import { describeValue, toNumber } from './number';
import { resolveSecret, scrub } from '../secrets';
import { withTimeout } from './timeout';
import type { Probe } from './types';

/** `items[0].n` → ['items', 0, 'n']; undefined if the path is malformed. */
export function parseDotPath(path: string): Array<string | number> | undefined {
  if (path === '') return [];
  const parts: Array<string | number> = [];
  const re = /([^.[\]]+)|\[(\d+)\]|(\.)/gy;
  let expectName = true;
  let m: RegExpExecArray | null;
  let consumed = 0;
  while ((m = re.exec(path)) !== null) {
    consumed = re.lastIndex;
    if (m[1] !== undefined) {
      if (!expectName) return undefined;
      parts.push(m[1]);
      expectName = false;
    } else if (m[2] !== undefined) {
      if (expectName && parts.length === 0) return undefined;
      parts.push(Number(m[2]));
      expectName = false;
    } else {
      if (expectName) return undefined;
      expectName = true;
    }
  }
  return consumed === path.length && !expectName ? parts : undefined;
}

export function valueAt(body: unknown, parts: Array<string | number>): unknown {
  let cur: unknown = body;
  for (const p of parts) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[p];
  }
  return cur;
}

export function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** The URL without user:password; they move into an `authorization: Basic …` header (unless one is set). */
export function withoutCredentials(u: URL, headers: Record<string, string>): string {
  if (!u.username && !u.password) return u.href;
  const hasAuth = Object.keys(headers).some((h) => h.toLowerCase() === 'authorization');
  if (!hasAuth) {
    const pair = `${safeDecode(u.username)}:${safeDecode(u.password)}`;
    headers.authorization = `Basic ${Buffer.from(pair).toString('base64')}`;
  }
  const bare = new URL(u.href);
  bare.username = '';
  bare.password = '';
  return bare.href;
}

export function createHttpProbe(name: string, spec: HttpProbe, env: NodeJS.ProcessEnv = process.env): Probe {
  const parts = parseDotPath(spec.path);
  if (!parts) throw new ConfigError([`probes.${name}.path: not a dot path like stats.orders or items[0].n`]);
  const headers: Record<string, string> = {};
  for (const [h, v] of Object.entries(spec.headers)) headers[h] = resolveSecret(v, `probes.${name}.headers.${h}`, env);
  const u = new URL(spec.http);
  // fetch refuses a URL with user:password (and its error repeats the URL): send them as Basic auth.
  const target = withoutCredentials(u, headers);
  const secrets = [...Object.values(headers), safeDecode(u.password), u.password];
  // Never echo the query string: it may hold a token.
  const where = `${u.host}${u.pathname}`;
  const path = spec.path || '(the whole body)';

  return {
    name,
    kind: 'http',
    keys: spec.keys,
    async read(keys) {
      if (spec.keys && keys === undefined) throw new ProbeError(name, 'a keyed probe is read with the run\'s keys, after settle');
      // A keyed probe asks for exactly the run's keys: POST {"keys": [...]}.
      const request: RequestInit = spec.keys
        ? { method: 'POST', body: JSON.stringify({ keys }), headers: { accept: 'application/json', 'content-type': 'application/json', ...headers } }
        : { headers: { accept: 'application/json', ...headers } };
      let body: unknown;
      try {
        const res = await withTimeout(
          fetch(target, { ...request, signal: AbortSignal.timeout(spec.timeout) }),
          spec.timeout + 500,
          'request',
        );
        const text = await res.text();
        if (res.status < 200 || res.status >= 300) throw new Error(`HTTP ${res.status}`);
        try {
          body = JSON.parse(text);
        } catch {
          throw new Error('response is not JSON');
        }
      } catch (err) {
        const e = err as Error & { cause?: { code?: string; message?: string } };
        const cause = e.name === 'TimeoutError' ? `timed out after ${spec.timeout}ms` : e.cause?.code ?? e.cause?.message ?? messageOf(e);
        throw new ProbeError(name, `${spec.keys ? 'POST' : 'GET'} ${where} failed: ${scrub(cause, secrets)}`);
      }
      const raw = valueAt(body, parts);
      const n = toNumber(raw);
      if (n === undefined) throw new ProbeError(name, `GET ${where}: ${path} is ${describeValue(raw)}, not a number`);
      return n;
    },
    async close() {},
  };
}
