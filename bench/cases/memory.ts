// Memory: (1) RSS of the proxy over a soak at a steady rate with 30 % duplication and delayed copies
// (must plateau); (2) the cost of one pending copy, with 10,000 copies waiting on a 10-minute delay.
import { BODY, runLoad } from '../lib/load';
import { replayRules } from '../lib/options';
import { postMany } from '../lib/client';
import { rssBytes, startDoubletap, startTs } from '../lib/proc';

export interface SoakResult {
  seconds: number;
  rate: number;
  requests: number;
  errors: number;
  samples: Array<{ t: number; rss: number; heapUsed: number; pending: number }>;
  startRss: number;
  maxRss: number;
  endRss: number;
  /** Least-squares slope of RSS over the last half, MB per minute. */
  lastHalfSlopeMbPerMin: number;
}

export interface PendingResult {
  copies: number;
  bodyBytes: number;
  pendingReported: number;
  /** What every request leaves behind anyway (seen-keys memory, the tally's identities), per request. */
  perRequestRetained: number;
  rssPerCopy: number;
  heapPerCopy: number;
  /** heapUsed + external (external already includes arrayBuffers, i.e. every Buffer). */
  totalPerCopy: number;
}

interface Mem { rss: number; heapUsed: number; external: number; arrayBuffers: number }
type Stats = { mem: Mem; pending: number };

export function slope(points: Array<{ t: number; v: number }>): number {
  const n = points.length;
  if (n < 2) return 0;
  const mt = points.reduce((a, p) => a + p.t, 0) / n;
  const mv = points.reduce((a, p) => a + p.v, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.t - mt) * (p.v - mv);
    den += (p.t - mt) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

export async function runSoak(seconds: number, rate: number, log: (l: string) => void): Promise<SoakResult> {
  const upstream = await startTs('bench/servers/upstream.ts');
  const rules = replayRules(0.3, { dist: 'uniform', min: '50ms', max: '2s' });
  const proxy = await startDoubletap(upstream.url, rules);
  const samples: SoakResult['samples'] = [];
  const t0 = Date.now();
  const timer = setInterval(() => {
    const rss = rssBytes(proxy.pid);
    void proxy.ask<Stats>('stats').then((s) => samples.push({ t: (Date.now() - t0) / 1000, rss, heapUsed: s.mem.heapUsed, pending: s.pending }));
  }, 1000);
  try {
    const load = await runLoad({ url: proxy.url + '/orders', connections: 16, seconds, nonce: 'soak', rate }, 'autocannon');
    clearInterval(timer);
    const rss = samples.map((s) => s.rss);
    const r: SoakResult = {
      seconds, rate, requests: load.requests, errors: load.errors, samples,
      startRss: rss[0] ?? 0, maxRss: Math.max(...rss), endRss: rss[rss.length - 1] ?? 0,
      lastHalfSlopeMbPerMin: (slope(windowMedians(samples.filter((s) => s.t >= seconds / 2), 10)) * 60) / 2 ** 20,
    };
    log(`  soak ${seconds}s at ${rate}/s: RSS ${mb(r.startRss)} → max ${mb(r.maxRss)} → end ${mb(r.endRss)} MB, last-half slope ${r.lastHalfSlopeMbPerMin.toFixed(2)} MB/min`);
    return r;
  } finally {
    clearInterval(timer);
    await proxy.stop();
    await upstream.stop();
  }
}

/**
 * RSS per window of `seconds`, as the window's median: V8 lets garbage pile up to a collection (tens
 * of MB more for a few seconds, later under CPU contention), and one such peak near an end of the
 * half would tilt a least-squares line through the raw 1 s samples. A leak raises every window.
 */
export function windowMedians(samples: Array<{ t: number; rss: number }>, seconds: number): Array<{ t: number; v: number }> {
  const windows = new Map<number, number[]>();
  for (const s of samples) {
    const w = Math.floor(s.t / seconds);
    windows.set(w, [...(windows.get(w) ?? []), s.rss]);
  }
  return [...windows].map(([w, v]) => ({ t: (w + 0.5) * seconds, v: v.sort((a, b) => a - b)[Math.floor(v.length / 2)] }));
}

/** A JSON body of exactly `bytes` bytes (the 200-byte BODY padded). */
export function bodyOf(bytes: number): string {
  if (bytes <= BODY.length) return BODY;
  return BODY.slice(0, -2) + 'y'.repeat(bytes - BODY.length) + '"}';
}

export async function runPending(copies: number, log: (l: string) => void, bodyBytes = BODY.length): Promise<PendingResult> {
  const body = bodyOf(bodyBytes);
  const upstream = await startTs('bench/servers/upstream.ts');
  const rules = [
    { name: 'warm', match: { method: 'POST', path: '/warm' }, fraction: 0 },
    { name: 'pend', match: { method: 'POST', path: '/pend' }, fraction: 1, faults: [{ kind: 'replay', delay: { dist: 'fixed', value: '10m' } }] },
  ];
  const proxy = await startDoubletap(upstream.url, JSON.stringify(rules), ['--budget', JSON.stringify({ total: copies * 10 })], ['--expose-gc']);
  try {
    // Warm the same code paths (pools, JIT, journal) without leaving copies behind.
    await postMany(proxy.url + '/warm', 2000, 32, 'warm');
    await proxy.ask('gc');
    const before = await proxy.ask<Stats>('gc');
    // Same count of requests with unique keys and no copy: separates per-request memory from per-copy.
    const plain = await postMany(proxy.url + '/warm', copies, 32, 'plain', body);
    if (plain.failed > 0) throw new Error(`${plain.failed} of ${copies} requests failed`);
    await proxy.ask('gc');
    const mid = await proxy.ask<Stats>('gc');
    const sent = await postMany(proxy.url + '/pend', copies, 32, 'pend', body);
    if (sent.failed > 0) throw new Error(`${sent.failed} of ${copies} requests failed`);
    await proxy.ask('gc');
    const after = await proxy.ask<Stats>('gc');
    const per = (f: (m: Mem) => number) => (f(after.mem) - f(mid.mem)) / copies;
    const total = (m: Mem) => m.heapUsed + m.external;
    const r: PendingResult = {
      copies, bodyBytes: Buffer.byteLength(body), pendingReported: after.pending,
      perRequestRetained: (total(mid.mem) - total(before.mem)) / copies,
      rssPerCopy: per((m) => m.rss), heapPerCopy: per((m) => m.heapUsed),
      totalPerCopy: per(total),
    };
    log(`  ${after.pending} pending copies: ${r.totalPerCopy.toFixed(0)} B/copy (heap ${r.heapPerCopy.toFixed(0)}, RSS ${r.rssPerCopy.toFixed(0)}), body ${r.bodyBytes} B; every request retains ${r.perRequestRetained.toFixed(0)} B`);
    return r;
  } finally {
    await proxy.stop();
    await upstream.stop();
  }
}

const mb = (b: number) => (b / 2 ** 20).toFixed(1);
