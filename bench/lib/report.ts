// The summary: one markdown table per area, then issue 14's goals as met / missed with the numbers.
import { fmtLimit, fmtMet, fmtValue, type Goal } from './goals';
import type { HttpCaseResult, LatencyResult } from '../cases/http';
import type { PendingResult, SoakResult } from '../cases/memory';
import type { ReconcileResult } from '../cases/reconcile';
import type { KafkaResult } from '../cases/kafka';

export interface BenchResults {
  mode: 'full' | 'smoke';
  startedAt: string;
  machine: { cpus: number; node: string; loadTool: string };
  http?: { throughput: HttpCaseResult[]; latency: LatencyResult[]; pinned?: boolean };
  soak?: SoakResult;
  /** One per body size (200 B and 4 KiB): the overhead must not depend on the body. */
  pending?: PendingResult[];
  kafka?: KafkaResult;
  reconcile?: ReconcileResult;
  /** Issue 14's goals (bench/lib/goals.ts), judged from the results above. */
  goals?: Goal[];
}

const f = (n: number | undefined, d = 0) => (n === undefined || !Number.isFinite(n) ? '-' : n.toFixed(d));
const mb = (b: number) => (b / 2 ** 20).toFixed(1);

export function toMarkdown(r: BenchResults, extra: string[] = []): string {
  const lines: string[] = [];
  lines.push(`# doubletap benchmarks (${r.mode}, ${r.startedAt})`, '');
  lines.push(`${r.machine.cpus} CPUs, Node ${r.machine.node}, load generator ${r.machine.loadTool}, ~200-byte JSON POSTs, keep-alive.`, '');
  if (r.http) {
    const where = r.http.pinned ? 'each proxy alone on one CPU, load and upstream on the others' : 'not pinned: proxies share CPUs with the load and the upstream';
    lines.push('## HTTP, concurrency 32', '', `(${where})`, '', '| case | req/s | vs direct | p50 ms | p99 ms | proxy CPU µs/req | upstream req per req | errors |', '|---|---:|---:|---:|---:|---:|---:|---:|');
    const direct = r.http.throughput.find((c) => c.id === 'direct')?.load?.rps;
    for (const c of r.http.throughput) {
      if (c.skipped || !c.load) {
        lines.push(`| ${c.label} | skipped: ${c.skipped} | | | | | | |`);
        continue;
      }
      lines.push(`| ${c.label} | ${f(c.load.rps)} | ${direct ? f(c.load.rps / direct, 2) : '-'} | ${f(c.load.p50Ms, 2)} | ${f(c.load.p99Ms, 2)} | ${f(c.proxyCpuUs)} | ${f(c.upstreamPerRequest, 3)} | ${c.load.errors} |`);
    }
    lines.push('', '## HTTP, one request at a time', '', '| case | p50 ms | p99 ms | req/s |', '|---|---:|---:|---:|');
    for (const c of r.http.latency) lines.push(`| ${c.label} | ${f(c.load.p50Ms, 3)} | ${f(c.load.p99Ms, 3)} | ${f(c.load.rps)} |`);
  }
  if (r.soak || r.pending) {
    lines.push('', '## Memory of the proxy process', '');
    if (r.soak) lines.push(`- Soak ${r.soak.seconds} s at ${r.soak.rate} req/s, 30% replay with uniform 50 ms–2 s delay (${r.soak.requests} requests, ${r.soak.errors} errors): RSS start ${mb(r.soak.startRss)} MB, max ${mb(r.soak.maxRss)} MB, end ${mb(r.soak.endRss)} MB, last-half slope ${f(r.soak.lastHalfSlopeMbPerMin, 2)} MB/min.`);
    for (const p of r.pending ?? []) {
      lines.push(`- ${p.pendingReported} copies pending (10 min fixed delay), ${p.bodyBytes} B body: ${f(p.totalPerCopy)} B per copy (V8 heap ${f(p.heapPerCopy)} B, RSS ${f(p.rssPerCopy)} B); every request (copied or not) retains ${f(p.perRequestRetained)} B (seen keys, tally).`);
    }
  }
  if (r.kafka) {
    lines.push('', '## Kafka relay', '');
    if (r.kafka.error) lines.push(`- not measured: ${r.kafka.error}`);
    else lines.push(...r.kafka.markdown);
  }
  if (r.reconcile) {
    const c = r.reconcile;
    lines.push('', '## Reconciler (PostgreSQL, sql probe)', '', `- ${c.rows} rows: snapshot (count + sum, in parallel) ${c.snapshotMs.map((m) => f(m)).join(' / ')} ms; count alone ${f(c.countMs)} ms, sum alone ${f(c.sumMs)} ms (fill ${f(c.fillMs)} ms).`);
  }
  if (r.goals?.length) {
    lines.push('', '## Goals (issue 14)', '');
    if (r.mode === 'smoke') lines.push('Smoke run: far too short for these to mean anything; they show the goals are computed.', '');
    lines.push('| goal | limit | measured ratio | result | numbers |', '|---|---|---:|---|---|');
    for (const g of r.goals) lines.push(`| ${g.name} | ${fmtLimit(g)} | ${fmtValue(g.unit, g.ratio)} | ${fmtMet(g.met)} | ${g.detail} |`);
  }
  lines.push(...extra);
  return lines.join('\n') + '\n';
}
