// The summary: one markdown table per area, each target stated as met / missed with the numbers.
import type { HttpCaseResult, LatencyResult } from '../cases/http';
import type { PendingResult, SoakResult } from '../cases/memory';
import type { ReconcileResult } from '../cases/reconcile';
import type { KafkaResult } from '../cases/kafka';

export interface BenchResults {
  mode: 'full' | 'smoke';
  startedAt: string;
  machine: { cpus: number; node: string; loadTool: string };
  http?: { throughput: HttpCaseResult[]; latency: LatencyResult[] };
  soak?: SoakResult;
  /** One per body size (200 B and 4 KiB): the overhead must not depend on the body. */
  pending?: PendingResult[];
  kafka?: KafkaResult;
  reconcile?: ReconcileResult;
  targets?: Target[];
}

export interface Target {
  name: string;
  met: boolean | null;
  detail: string;
}

const f = (n: number | undefined, d = 0) => (n === undefined || !Number.isFinite(n) ? '-' : n.toFixed(d));
const mb = (b: number) => (b / 2 ** 20).toFixed(1);

export function evaluateTargets(r: BenchResults): Target[] {
  const out: Target[] = [];
  const tp = (id: string) => r.http?.throughput.find((c) => c.id === id);
  const lat = (id: string) => r.http?.latency.find((c) => c.id === id);
  const bare = tp('http-proxy');
  const dt0 = tp('doubletap-0');
  const dt10 = tp('doubletap-10');
  if (bare?.proxyCpuUs && dt0?.proxyCpuUs) {
    const ratio = dt0.proxyCpuUs / bare.proxyCpuUs;
    out.push({ name: 'fraction 0 CPU/request ≤ 1.10 × bare http-proxy', met: ratio <= 1.1, detail: `${f(dt0.proxyCpuUs)} vs ${f(bare.proxyCpuUs)} µs = ×${f(ratio, 2)}` });
  }
  const ld = lat('direct');
  const l0 = lat('doubletap-0');
  if (ld && l0) {
    const added = l0.load.p50Ms - ld.load.p50Ms;
    out.push({ name: 'p50 added latency, one at a time < 0.5 ms', met: added < 0.5, detail: `+${f(added, 3)} ms (bare http-proxy +${f((lat('http-proxy')?.load.p50Ms ?? NaN) - ld.load.p50Ms, 3)} ms)` });
  }
  if (dt0?.load && dt10?.load && dt10.upstreamPerRequest) {
    const loss = 1 - dt10.load.rps / dt0.load.rps;
    const extra = dt10.upstreamPerRequest - 1;
    const share = extra / (1 + extra);
    out.push({ name: '10% duplication costs ≈ its extra upstream work', met: loss <= share + 0.03, detail: `throughput −${f(loss * 100, 1)}% for +${f(extra * 100, 1)}% upstream requests (allowed −${f(share * 100 + 3, 1)}%: share + 3 pp noise)` });
  }
  if (r.kafka && !r.kafka.error && r.kafka.ratio0 !== undefined) {
    out.push({ name: 'relay at 0% ≥ 90% of the plain kafkajs loop', met: r.kafka.ratio0 >= 0.9, detail: `×${f(r.kafka.ratio0, 2)}` });
  } else {
    out.push({ name: 'relay at 0% ≥ 90% of the plain kafkajs loop', met: null, detail: r.kafka?.error ?? 'not measured' });
  }
  if (r.soak) {
    const halfMin = r.soak.seconds / 2 / 60;
    const growth = r.soak.lastHalfSlopeMbPerMin * halfMin * 2 ** 20;
    out.push({ name: 'memory plateaus (last-half growth ≤ 2% of RSS)', met: growth <= 0.02 * r.soak.endRss, detail: `${f(r.soak.lastHalfSlopeMbPerMin, 2)} MB/min over the last ${f(r.soak.seconds / 2)} s = ${mb(growth)} MB of ${mb(r.soak.endRss)} MB` });
  }
  if (r.pending?.length) {
    const over = r.pending.map((p) => p.totalPerCopy - p.bodyBytes);
    const spread = Math.max(...over) - Math.min(...over);
    const sizes = r.pending.map((p, i) => `${f(p.totalPerCopy)} B for ${p.bodyBytes} B (+${f(over[i])})`).join(', ');
    out.push({ name: 'pending copy = body + constant overhead (≤ 3 KiB, body kept once)', met: Math.max(...over) <= 3072 && spread <= 512, detail: `${sizes}; overhead spread ${f(spread)} B` });
  }
  return out;
}

export function toMarkdown(r: BenchResults): string {
  const lines: string[] = [];
  lines.push(`# doubletap benchmarks (${r.mode}, ${r.startedAt})`, '');
  lines.push(`${r.machine.cpus} CPUs, Node ${r.machine.node}, load generator ${r.machine.loadTool}, ~200-byte JSON POSTs, keep-alive.`, '');
  if (r.http) {
    lines.push('## HTTP, concurrency 32', '', '| case | req/s | vs direct | p50 ms | p99 ms | proxy CPU µs/req | upstream req per req | errors |', '|---|---:|---:|---:|---:|---:|---:|---:|');
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
  if (r.targets?.length) {
    lines.push('', '## Targets', '', '| target | result | numbers |', '|---|---|---|');
    for (const t of r.targets) lines.push(`| ${t.name} | ${t.met === null ? 'not measured' : t.met ? 'met' : 'MISSED'} | ${t.detail} |`);
  }
  return lines.join('\n') + '\n';
}
