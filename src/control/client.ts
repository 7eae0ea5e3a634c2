// A small client for the control API, used by `doubletap halt` and `doubletap status`.
import { AuthError, ConfigError, DoubletapError, EXIT, UnreachableError, messageOf } from '../errors';

/** Where `halt`/`status` look when --control is not given. */
export const DEFAULT_CONTROL_URL = 'http://127.0.0.1:7070';

/** --control flag, else DOUBLETAP_CONTROL, else the default. HOST:PORT without a scheme is accepted. */
export function controlUrlFrom(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): URL {
  const raw = (flag ?? env.DOUBLETAP_CONTROL ?? DEFAULT_CONTROL_URL).trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new ConfigError([`--control: ${JSON.stringify(raw)} is not a URL (e.g. http://127.0.0.1:7070)`]);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError([`--control: ${raw} must be http(s)`]);
  return url;
}

export interface ControlCallOptions {
  method?: 'GET' | 'POST';
  token?: string;
  body?: unknown;
  timeoutMs?: number;
}

/** Calls one route; returns the parsed JSON. Errors carry the contract exit codes (2 for unreachable, 401). */
export async function callControl(base: URL, route: string, o: ControlCallOptions = {}): Promise<unknown> {
  const target = new URL(route.replace(/^\//, ''), base.href.endsWith('/') ? base.href : `${base.href}/`);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (o.token) headers.authorization = `Bearer ${o.token}`;
  // The API refuses a POST that is not declared JSON (what keeps browsers' simple requests out).
  if (o.body !== undefined || o.method === 'POST') headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(target, {
      method: o.method ?? 'GET',
      headers,
      body: o.body === undefined ? undefined : JSON.stringify(o.body),
      signal: AbortSignal.timeout(o.timeoutMs ?? 10_000),
    });
  } catch (err) {
    throw new UnreachableError(`control API at ${base.origin}`, causeOf(err));
  }
  const text = await res.text();
  if (res.status === 401) {
    throw new AuthError(`control API at ${base.origin} refused the request (401): ${o.token ? 'wrong token' : 'a token is required'}; pass --token or set DOUBLETAP_TOKEN`);
  }
  const parsed = parseJson(text);
  if (!res.ok) {
    const detail = (parsed as { message?: unknown } | undefined)?.message ?? text.slice(0, 200);
    throw new DoubletapError('CONTROL_ERROR', `control API at ${base.origin} answered ${res.status}: ${String(detail)}`, EXIT.invalid);
  }
  if (parsed === undefined) throw new DoubletapError('CONTROL_ERROR', `control API at ${base.origin} did not answer JSON`, EXIT.invalid);
  return parsed;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** fetch hides the useful part (ECONNREFUSED, ENOTFOUND…) in err.cause. */
function causeOf(err: unknown): string {
  if ((err as Error)?.name === 'TimeoutError') return 'timed out';
  const cause = (err as { cause?: { code?: string; message?: string } })?.cause;
  return cause?.code ?? cause?.message ?? messageOf(err);
}
