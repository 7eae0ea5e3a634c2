// Built-in HTTP traffic: logical operations at a rate with bounded concurrency; each operation has its
// own Idempotency-Key, a seeded body, and a stripe-like retry loop that reuses the key.
import type { Logger } from '../log';
import type { HttpLoad } from '../scenario/schema-load';
import { rngFor } from '../chaos/decide';
import { renderTemplate } from './template';
import { backoffMs, shouldRetry, type AttemptOutcome } from './retry';
import { createAgents, sendAttempt } from './http-attempt';

export interface LoadResult {
  seq: number;
  key: string;
  attempts: number;
  /** Final HTTP status, when the last attempt got one. */
  status?: number;
  /** Final failure kind (timeout | reset | other), when the last attempt got no status. */
  error?: string;
  ok: boolean;
  /** Backoff waits actually slept before attempts 2, 3, … */
  backoffMs: number[];
  durationMs: number;
}

export interface LoadStats {
  operations: number;
  attempts: number;
  retries: number;
  /** Operations that ended with a 2xx (possibly after retries). */
  succeeded: number;
  failed: number;
  /** Per attempt: "201", "503", "timeout", "reset", "other" → count. */
  byStatus: Record<string, number>;
}

export interface HttpLoadOptions {
  seed: number;
  /** Position of this entry in `load.http`: keeps keys and bodies of two entries apart. */
  index: number;
  durationMs: number;
  signal?: AbortSignal;
  logger: Logger;
  onResult?: (r: LoadResult) => void;
}

/** Deterministic key of one logical operation; every retry of it sends the same key. */
export function loadKey(seed: number, index: number, seq: number): string {
  return `dt-${seed}-${index}-${seq}`;
}

/** The body an operation sends (JSON text), or undefined when the spec has no body. */
export function loadBody(spec: Pick<HttpLoad, 'body'>, seed: number, index: number, seq: number): string | undefined {
  if (spec.body === undefined) return undefined;
  const rng = rngFor(seed, `load-${index}`, String(seq));
  return JSON.stringify(renderTemplate(spec.body, { seq, rng }));
}

export async function runHttpLoad(spec: HttpLoad, opts: HttpLoadOptions): Promise<LoadStats> {
  const stats: LoadStats = { operations: 0, attempts: 0, retries: 0, succeeded: 0, failed: 0, byStatus: {} };
  const agents = createAgents(spec.concurrency);
  const url = new URL(spec.url);
  const intervalMs = 1000 / spec.rate;
  const start = Date.now();
  const inflight = new Set<Promise<void>>();
  const aborted = (): boolean => opts.signal?.aborted === true;

  const runOperation = async (seq: number): Promise<void> => {
    const key = loadKey(opts.seed, opts.index, seq);
    const body = loadBody(spec, opts.seed, opts.index, seq);
    // A separate stream for jitter, so a body template change never shifts the retry delays.
    const jitter = rngFor(opts.seed, `load-${opts.index}-retry`, String(seq));
    // Not `{ ...spec.headers, [name]: key }`: that is a new hidden class per request in Node 20's V8.
    const headers: Record<string, string> = Object.assign({}, spec.headers, { [spec.key.header]: key });
    if (body !== undefined) headers['content-type'] ??= 'application/json';
    const began = Date.now();
    const waits: number[] = [];
    let outcome: AttemptOutcome = { error: 'other' };
    let attempt = 0;
    stats.operations++;
    for (;;) {
      attempt++;
      stats.attempts++;
      outcome = await sendAttempt({ url, method: spec.method, headers, body, timeoutMs: spec.retry.timeout }, agents);
      const label = 'status' in outcome ? String(outcome.status) : outcome.error;
      stats.byStatus[label] = (stats.byStatus[label] ?? 0) + 1;
      if (aborted() || !shouldRetry(spec.retry, attempt, outcome)) break;
      const wait = backoffMs(spec.retry, attempt, jitter);
      waits.push(wait);
      await sleep(wait, opts.signal);
      if (aborted()) break;
      stats.retries++;
    }
    const ok = 'status' in outcome && outcome.status >= 200 && outcome.status < 300;
    if (ok) stats.succeeded++;
    else stats.failed++;
    const result: LoadResult = {
      seq, key, attempts: attempt, ok, backoffMs: waits, durationMs: Date.now() - began,
      ...('status' in outcome ? { status: outcome.status } : { error: outcome.error }),
    };
    opts.logger.debug('load operation', { rule: spec.rule, seq, attempts: attempt, status: result.status, error: result.error });
    opts.onResult?.(result);
  };

  try {
    for (let seq = 0; ; seq++) {
      if (spec.total !== undefined && seq >= spec.total) break;
      const dueAt = start + seq * intervalMs;
      if (dueAt - start >= opts.durationMs) break;
      await sleep(dueAt - Date.now(), opts.signal);
      // Bounded concurrency: when every slot is busy the schedule slips rather than piling up sockets.
      while (inflight.size >= spec.concurrency && !aborted()) await Promise.race(inflight);
      if (aborted() || Date.now() - start >= opts.durationMs) break;
      const p: Promise<void> = runOperation(seq).finally(() => inflight.delete(p));
      inflight.add(p);
    }
    await Promise.all(inflight);
  } finally {
    agents.destroy();
  }
  opts.logger.info('load finished', { rule: spec.rule, ...stats, byStatus: undefined });
  return stats;
}

/** Resolves after `ms`, or at once when the signal aborts. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
