// Issue 14's goals, judged from one run's results: met / missed with the measured number, or null
// with the reason when the run did not measure it. Pure, so a unit test can pin every boundary, and
// --baseline can re-judge an earlier run's raw results (written before these goals existed) the same way.
import type { HttpCaseResult } from '../cases/http';
import type { BenchResults } from './report';

export type GoalOp = '>=' | '<=' | '<';
/** x: a ratio; ms: a latency difference; %/min: a share of RSS per minute (stored as a fraction); B: bytes. */
export type GoalUnit = 'x' | 'ms' | '%/min' | 'B';

export interface Goal {
  id: string;
  name: string;
  met: boolean | null;
  /** The measured number the limit applies to (see unit); null when not measured. */
  ratio: number | null;
  limit: number;
  op: GoalOp;
  unit: GoalUnit;
  /** The numbers behind the ratio, or why it was not measured. */
  detail: string;
}

/** HTTP cases each HTTP goal needs; a run whose --cases leaves one out reports the goal as not measured. */
export const GOAL_CASES: Record<string, string[]> = {
  'fraction0-rps': ['http-proxy', 'doubletap-0'],
  'fraction0-p50': ['http-proxy', 'doubletap-0'], // + direct, only for the "added vs direct" numbers
  'jitter10-rps': ['doubletap-0', 'doubletap-10-jitter'],
  'replay100-cpu': ['doubletap-0', 'doubletap-100'],
};

const f = (n: number | undefined, d = 0) => (n === undefined || !Number.isFinite(n) ? '-' : n.toFixed(d));
const sign = (n: number, d: number) => (n >= 0 ? '+' : '') + n.toFixed(d);
const OPS: Record<GoalOp, string> = { '>=': '≥', '<=': '≤', '<': '<' };

export function fmtValue(unit: GoalUnit, v: number | null): string {
  if (v === null || !Number.isFinite(v)) return '-';
  if (unit === 'x') return `×${v.toFixed(3)}`;
  if (unit === 'ms') return `${sign(v, 3)} ms`;
  if (unit === '%/min') return `${(v * 100).toFixed(2)} %/min`;
  return `${v.toFixed(0)} B`;
}
export const fmtLimit = (g: Goal) => `${OPS[g.op]} ${fmtValue(g.unit, g.limit)}`;
export const fmtMet = (met: boolean | null) => (met === null ? 'not measured' : met ? 'met' : 'MISSED');

function check(v: number, op: GoalOp, limit: number): boolean {
  return op === '>=' ? v >= limit : op === '<=' ? v <= limit : v < limit;
}

type Spec = Pick<Goal, 'id' | 'name' | 'op' | 'limit' | 'unit'>;
function judge(s: Spec, m: { value: number; detail: string } | string): Goal {
  if (typeof m === 'string' || !Number.isFinite(m.value)) {
    return { ...s, met: null, ratio: null, detail: typeof m === 'string' ? m : `not measured: ${m.detail}` };
  }
  return { ...s, met: check(m.value, s.op, s.limit), ratio: m.value, detail: m.detail };
}

function medianOf(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

type Round = { rps: number; proxyCpuUs?: number };
/** a / b per interleaved round (both met the same noise), and their median; falls back to the
 * cases' own (median) numbers when the rounds do not pair up. */
function paired(a: HttpCaseResult, b: HttpCaseResult, key: (r: Round) => number | undefined) {
  const ra = a.rounds ?? [];
  const rb = b.rounds ?? [];
  const rounds = ra.length > 0 && ra.length === rb.length ? ra.map((r, i) => key(r)! / key(rb[i])!) : [];
  if (rounds.length > 0 && rounds.every(Number.isFinite)) return { ratio: medianOf(rounds), rounds };
  const whole = (c: HttpCaseResult): Round => ({ rps: c.load!.rps, proxyCpuUs: c.proxyCpuUs });
  return { ratio: key(whole(a))! / key(whole(b))!, rounds: [] };
}
/** Every round's ratio, and how many of them are within the limit: on this VM a median whose rounds
 * straddle the limit says more about the machine's drift than about the code. */
const roundsText = (rs: number[], s: Spec) =>
  rs.length > 1 ? `; rounds ${rs.map((x) => `×${x.toFixed(3)}`).join(', ')} (${rs.filter((x) => check(x, s.op, s.limit)).length}/${rs.length} within the limit)` : '';

export function evaluateGoals(r: BenchResults): Goal[] {
  const tp = (id: string) => r.http?.throughput.find((c) => c.id === id && c.load && !c.skipped);
  const lat = (id: string) => r.http?.latency.find((c) => c.id === id);
  const why = (goal: string, has: (id: string) => unknown): string | undefined => {
    if (!r.http) return 'not measured: HTTP not run (--only)';
    const absent = GOAL_CASES[goal].filter((id) => !has(id));
    return absent.length ? `not measured: needs HTTP case ${absent.join(', ')} (--cases)` : undefined;
  };
  const goals: Goal[] = [];

  const rpsSpec: Spec = { id: 'fraction0-rps', name: 'fraction 0: req/s vs bare http-proxy (concurrency 32)', op: '>=', limit: 1.0, unit: 'x' };
  goals.push(judge(rpsSpec, why(rpsSpec.id, tp) ?? (() => {
    const [dt0, bare] = [tp('doubletap-0')!, tp('http-proxy')!];
    const p = paired(dt0, bare, (x) => x.rps);
    return { value: p.ratio, detail: `${f(dt0.load!.rps)} vs ${f(bare.load!.rps)} req/s${roundsText(p.rounds, rpsSpec)}` };
  })()));

  const p50Spec: Spec = { id: 'fraction0-p50', name: 'fraction 0: p50 one at a time, minus bare http-proxy\'s', op: '<=', limit: 0.05, unit: 'ms' };
  goals.push(judge(p50Spec, why(p50Spec.id, lat) ?? (() => {
    const [dt0, bare, direct] = [lat('doubletap-0')!.load.p50Ms, lat('http-proxy')!.load.p50Ms, lat('direct')?.load.p50Ms];
    const added = direct === undefined ? 'direct not run' : `added vs direct ${sign(dt0 - direct, 3)} ms (bare http-proxy ${sign(bare - direct, 3)} ms)`;
    // Rounded to the nanosecond: wrk reports microseconds, so finer digits are float noise (0.2 − 0.15).
    return { value: Math.round((dt0 - bare) * 1e6) / 1e6, detail: `p50 ${f(dt0, 3)} vs ${f(bare, 3)} ms; ${added}` };
  })()));

  const jitSpec: Spec = { id: 'jitter10-rps', name: '10 % replay, jittered 5–50 ms: req/s vs fraction 0 (at most 12 % fewer)', op: '>=', limit: 0.88, unit: 'x' };
  goals.push(judge(jitSpec, why(jitSpec.id, tp) ?? (() => {
    const [j, dt0] = [tp('doubletap-10-jitter')!, tp('doubletap-0')!];
    const p = paired(j, dt0, (x) => x.rps);
    return { value: p.ratio, detail: `${f(j.load!.rps)} vs ${f(dt0.load!.rps)} req/s (${sign((p.ratio - 1) * 100, 1)} %), upstream ×${f(j.upstreamPerRequest, 3)} per request${roundsText(p.rounds, jitSpec)}` };
  })()));

  const cpuSpec: Spec = { id: 'replay100-cpu', name: '100 % replay: proxy CPU per request vs fraction 0', op: '<=', limit: 1.8, unit: 'x' };
  goals.push(judge(cpuSpec, why(cpuSpec.id, tp) ?? (() => {
    const [all, dt0] = [tp('doubletap-100')!, tp('doubletap-0')!];
    const p = paired(all, dt0, (x) => x.proxyCpuUs);
    return { value: p.ratio, detail: `${f(all.proxyCpuUs)} vs ${f(dt0.proxyCpuUs)} µs per request${roundsText(p.rounds, cpuSpec)}` };
  })()));

  const soakSpec: Spec = { id: 'soak-slope', name: 'memory soak: RSS slope over the last half, per minute, share of end RSS', op: '<', limit: 0.005, unit: '%/min' };
  const s = r.soak;
  goals.push(judge(soakSpec, !s ? 'not measured: soak not run (--only)' : {
    value: (s.lastHalfSlopeMbPerMin * 2 ** 20) / s.endRss,
    detail: `${f(s.lastHalfSlopeMbPerMin, 2)} MiB/min over the last ${f(s.seconds / 2)} s, end RSS ${f(s.endRss / 2 ** 20, 1)} MiB`,
  }));

  const pendSpec: Spec = { id: 'pending-overhead', name: 'pending copy: bytes beyond its body (largest of the body sizes)', op: '<=', limit: 1024, unit: 'B' };
  const pend = r.pending ?? [];
  goals.push(judge(pendSpec, pend.length === 0 ? 'not measured: pending copies not run (--only)' : {
    value: Math.max(...pend.map((p) => p.totalPerCopy - p.bodyBytes)),
    detail: pend.map((p) => `${f(p.totalPerCopy)} B per copy of a ${p.bodyBytes} B body (+${f(p.totalPerCopy - p.bodyBytes)})`).join(', '),
  }));

  const k = r.kafka;
  const v = (name: string) => k?.variants.find((x) => x.variant === name);
  const kWhy = !k ? 'not measured: Kafka not run (--only)' : k.error ? `not measured: ${k.error}` : undefined;
  const plain = v('plain-kafkajs');
  const r0 = v('relay-0pct');
  const r10 = v('relay-10pct');
  const rel0: Spec = { id: 'relay0', name: 'relay 0 %: originals/s vs a plain kafkajs consume→produce loop', op: '>=', limit: 1.0, unit: 'x' };
  goals.push(judge(rel0, kWhy ?? (!plain || !r0 ? 'not measured: relay variants missing' : {
    value: k?.ratio0 ?? r0.originalsPerSecond / plain.originalsPerSecond,
    detail: `${r0.originalsPerSecond} vs ${plain.originalsPerSecond} originals/s (first round)${k?.rounds ? `; rounds ${k.rounds.map((x) => `×${f(x.ratio0, 2)}`).join(', ')}` : ''}`,
  })));
  const rel10: Spec = { id: 'relay10', name: 'relay 10 %: originals/s vs relay 0 % (at most 10 % fewer)', op: '>=', limit: 0.9, unit: 'x' };
  goals.push(judge(rel10, kWhy ?? (!r10 || !r0 ? 'not measured: relay variants missing' : {
    value: k?.ratio10vs0 ?? r10.originalsPerSecond / r0.originalsPerSecond,
    detail: `${r10.originalsPerSecond} vs ${r0.originalsPerSecond} originals/s, ${r10.copies} copies (first round)${k?.rounds ? `; rounds ${k.rounds.map((x) => `×${f(x.ratio10vs0, 2)}`).join(', ')}` : ''}`,
  })));
  return goals;
}

/** Goals that the given HTTP cases cannot evaluate (for the warning before a --cases run). */
export function goalsWithout(cases: string[]): string[] {
  return Object.entries(GOAL_CASES).filter(([, need]) => need.some((id) => !cases.includes(id))).map(([id, need]) => `${id} (needs ${need.join(', ')})`);
}
