// Sends one copy on the copies' own agent pool with its own overall timeout, and reads its answer into
// a hash and a resource identity (bodies are never kept). Never touches the original's connection or response.
import http from 'node:http';
import https from 'node:https';
import { AnswerReader } from './answer-reader';
import type { AttemptResult } from './classify';
import type { Upstream } from './upstream';

export interface CopySpec {
  method: string;
  /** Request target as the client sent it (path + query). */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** JSON pointer to the resource identity in a success answer (undefined: automatic). */
  identityPointer?: string;
}

export interface CopyAttempt {
  request: http.ClientRequest;
  done: Promise<AttemptResult & { durationMs: number }>;
}

export function sendCopy(upstream: Upstream, spec: CopySpec, timeoutMs: number): CopyAttempt {
  const headers = { ...spec.headers };
  // The body may have changed (key-reuse): frame it ourselves.
  delete headers['transfer-encoding'];
  // A Trailer header announces fields after a chunked body; with Content-Length Node refuses it.
  delete headers.trailer;
  headers['content-length'] = String(spec.body.length);
  const started = performance.now();
  const request = (upstream.secure ? https : http).request({
    protocol: upstream.url.protocol,
    hostname: upstream.url.hostname.replace(/^\[|\]$/g, ''),
    port: upstream.url.port || (upstream.secure ? 443 : 80),
    method: spec.method,
    path: upstream.basePath + spec.url,
    headers,
    agent: upstream.copies,
  });
  const done = new Promise<AttemptResult & { durationMs: number }>((resolve) => {
    let settled = false;
    const finish = (r: AttemptResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...r, durationMs: performance.now() - started });
    };
    const timer = setTimeout(() => {
      finish({ error: `timeout after ${timeoutMs}ms` });
      request.destroy();
    }, timeoutMs);
    request.on('error', (err: NodeJS.ErrnoException) => finish({ error: err.code ?? err.message }));
    request.on('response', (res) => {
      const reader = new AnswerReader(spec.identityPointer);
      res.on('data', (chunk: Buffer) => reader.update(chunk));
      res.on('end', () => finish(reader.finish(res.statusCode, res.headers)));
      res.on('error', (err: NodeJS.ErrnoException) => finish({ status: res.statusCode, error: err.code ?? err.message }));
      res.on('aborted', () => finish({ status: res.statusCode, error: 'response aborted' }));
    });
  });
  request.end(spec.body);
  return { request, done };
}
