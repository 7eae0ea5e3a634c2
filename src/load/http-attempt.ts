// One HTTP attempt with node:http and a keep-alive agent: status, or a classified network failure.
import http from 'node:http';
import https from 'node:https';
import type { AttemptOutcome } from './retry';

export interface AttemptRequest {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
}

/** Agents per protocol, with keep-alive and a socket cap equal to the load's concurrency. */
export function createAgents(maxSockets: number): { http: http.Agent; https: https.Agent; destroy(): void } {
  const a = new http.Agent({ keepAlive: true, maxSockets });
  const b = new https.Agent({ keepAlive: true, maxSockets });
  return { http: a, https: b, destroy: () => (a.destroy(), b.destroy()) };
}

export function sendAttempt(req: AttemptRequest, agents: { http: http.Agent; https: https.Agent }): Promise<AttemptOutcome> {
  const isHttps = req.url.protocol === 'https:';
  const lib = isHttps ? https : http;
  const headers: Record<string, string> = { ...req.headers };
  if (req.body !== undefined) headers['content-length'] = String(Buffer.byteLength(req.body));
  return new Promise((resolve) => {
    let settled = false;
    const done = (o: AttemptOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(o);
    };
    const r = lib.request(req.url, { method: req.method, headers, agent: isHttps ? agents.https : agents.http }, (res) => {
      // Drain the body (the load generator never needs it) so the socket can be reused.
      res.on('data', () => undefined);
      res.on('end', () => done({ status: res.statusCode ?? 0 }));
      res.on('error', () => done({ error: 'reset' }));
    });
    const timer = setTimeout(() => {
      done({ error: 'timeout' });
      r.destroy();
    }, req.timeoutMs);
    r.on('error', (err: NodeJS.ErrnoException) => done({ error: classifyError(err) }));
    r.end(req.body);
  });
}

/** Connection-level failures a real client would retry; everything else is "other". */
export function classifyError(err: NodeJS.ErrnoException): 'reset' | 'other' {
  const code = err.code ?? '';
  if (['ECONNRESET', 'EPIPE', 'ECONNREFUSED', 'ECONNABORTED', 'UND_ERR_SOCKET'].includes(code)) return 'reset';
  if (/socket hang up/i.test(err.message)) return 'reset';
  return 'other';
}
