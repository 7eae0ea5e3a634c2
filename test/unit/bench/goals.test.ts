// Issue 14's goals from synthetic bench results: each boundary exactly (a ratio on the limit is met,
// one step past it is missed), per-round pairing, and "not measured" with a reason instead of a guess.
import { expect } from 'chai';
import type { HttpCaseResult, LatencyResult } from '../../../bench/cases/http';
import type { PendingResult, SoakResult } from '../../../bench/cases/memory';
import type { RelayVariant } from '../../../bench/cases/kafka';
import { compareMarkdown } from '../../../bench/lib/baseline';
import { evaluateGoals, goalsWithout, type Goal } from '../../../bench/lib/goals';
import type { BenchResults } from '../../../bench/lib/report';

const load = (rps: number, p50Ms = 1) => ({ tool: 'wrk' as const, requests: rps * 10, seconds: 10, rps, p50Ms, p99Ms: 2 * p50Ms, errors: 0 });
/** A throughput case whose rounds are `rps` (CPU per request alike); the median round is the case's number. */
function tp(id: string, rps: number[], cpu: number[] = rps.map(() => 100)): HttpCaseResult {
  const mid = [...rps].sort((a, b) => a - b)[(rps.length - 1) >> 1];
  return { id, label: id, load: load(mid), proxyCpuUs: [...cpu].sort((a, b) => a - b)[(cpu.length - 1) >> 1], upstreamPerRequest: 1, rounds: rps.map((r, i) => ({ rps: r, proxyCpuUs: cpu[i] })) };
}
const lat = (id: string, p50Ms: number): LatencyResult => ({ id, label: id, load: load(5000, p50Ms) });
const pending = (bodyBytes: number, totalPerCopy: number): PendingResult => ({ copies: 10, bodyBytes, pendingReported: 10, perRequestRetained: 0, rssPerCopy: 0, heapPerCopy: 0, totalPerCopy });
const soak = (slopeMiBPerMin: number, endRss: number): SoakResult => ({ seconds: 300, rate: 1000, requests: 1, errors: 0, samples: [], startRss: endRss, maxRss: endRss, endRss, lastHalfSlopeMbPerMin: slopeMiBPerMin });
const variant = (name: string, originalsPerSecond: number): RelayVariant => ({ variant: name, messages: 1, copies: 0, seconds: 1, messagesPerSecond: originalsPerSecond, originalsPerSecond, latencyMs: { p50: 1, p99: 1 } });

interface Knobs { bare?: number; dt0?: number; jitter?: number; cpu0?: number; cpu100?: number; p50Bare?: number; p50Dt0?: number; slope?: number; over?: number[]; plain?: number; r0?: number; r10?: number }
function results(k: Knobs = {}): BenchResults {
  const dt0 = k.dt0 ?? 10_000;
  return {
    mode: 'full', startedAt: 'now', machine: { cpus: 2, node: 'v20', loadTool: 'wrk' },
    http: {
      throughput: [tp('direct', [40_000]), tp('http-proxy', [k.bare ?? 10_000]), tp('doubletap-0', [dt0], [k.cpu0 ?? 100]), tp('doubletap-10-jitter', [k.jitter ?? dt0]), tp('doubletap-100', [5000], [k.cpu100 ?? 100])],
      latency: [lat('direct', 0.05), lat('http-proxy', k.p50Bare ?? 0.15), lat('doubletap-0', k.p50Dt0 ?? 0.15)],
    },
    soak: soak(k.slope ?? 0, 100 * 2 ** 20),
    pending: (k.over ?? [0, 0]).map((o, i) => pending(i ? 4096 : 200, (i ? 4096 : 200) + o)),
    kafka: { variants: [variant('plain-kafkajs', k.plain ?? 1000), variant('relay-0pct', k.r0 ?? 1000), variant('relay-10pct', k.r10 ?? 1000)], markdown: [] },
  };
}
const goal = (r: BenchResults, id: string): Goal => evaluateGoals(r).find((g) => g.id === id)!;
const met = (k: Knobs, id: string) => goal(results(k), id).met;

describe('bench goals (issue 14)', () => {
  it('fraction 0 req/s: ×1.0 of bare http-proxy is met, ×0.99 missed', () => {
    expect(met({ bare: 10_000, dt0: 10_000 }, 'fraction0-rps')).to.equal(true);
    expect(met({ bare: 10_000, dt0: 9_900 }, 'fraction0-rps')).to.equal(false);
    expect(goal(results({ bare: 10_000, dt0: 9_900 }), 'fraction0-rps').ratio).to.equal(0.99);
  });

  it('pairs rounds (each round against the same round) and takes the median of those ratios', () => {
    const r = results();
    r.http!.throughput[1] = tp('http-proxy', [10_000, 8_000, 12_000]);
    r.http!.throughput[2] = tp('doubletap-0', [7_500, 7_040, 9_360]); // ×0.75, ×0.88, ×0.78
    const g = goal(r, 'fraction0-rps');
    expect(g.ratio).to.equal(0.78);
    expect(g.met).to.equal(false);
    expect(g.detail).to.contain('rounds ×0.750, ×0.880, ×0.780 (0/3 within the limit)');
    r.http!.throughput[2] = tp('doubletap-0', [10_000, 7_040, 13_200]); // ×1.0, ×0.88, ×1.1
    expect(goal(r, 'fraction0-rps').detail).to.contain('(2/3 within the limit)');
  });

  it('p50 one at a time: 0.05 ms over the bare proxy is met, 0.051 missed; both added latencies shown', () => {
    expect(met({ p50Bare: 0.1, p50Dt0: 0.15 }, 'fraction0-p50')).to.equal(true);
    expect(met({ p50Bare: 0.1, p50Dt0: 0.151 }, 'fraction0-p50')).to.equal(false);
    expect(met({ p50Bare: 0.15, p50Dt0: 0.2 }, 'fraction0-p50')).to.equal(true); // 0.2 − 0.15 is 0.05000000000000002 in floats
    expect(met({ p50Bare: 0.2, p50Dt0: 0.1 }, 'fraction0-p50')).to.equal(true);
    expect(goal(results({ p50Bare: 0.14, p50Dt0: 0.18 }), 'fraction0-p50').detail).to.contain('added vs direct +0.130 ms (bare http-proxy +0.090 ms)');
  });

  it('10 % jittered replay: 12 % fewer req/s than fraction 0 is met, 12.01 % missed', () => {
    expect(met({ dt0: 10_000, jitter: 8_800 }, 'jitter10-rps')).to.equal(true);
    expect(met({ dt0: 10_000, jitter: 8_799 }, 'jitter10-rps')).to.equal(false);
  });

  it('100 % replay CPU: ×1.8 of fraction 0 is met, ×1.81 missed', () => {
    expect(met({ cpu0: 100, cpu100: 180 }, 'replay100-cpu')).to.equal(true);
    expect(met({ cpu0: 100, cpu100: 181 }, 'replay100-cpu')).to.equal(false);
  });

  it('soak: slope under 0.5 % of end RSS per minute is met, exactly 0.5 % missed', () => {
    expect(met({ slope: 0.49 }, 'soak-slope')).to.equal(true); // 0.49 MiB/min of 100 MiB
    expect(met({ slope: 0.5 }, 'soak-slope')).to.equal(false);
    expect(goal(results({ slope: 0.5 }), 'soak-slope').ratio).to.equal(0.005);
  });

  it('pending copy: body + 1024 B is met, + 1025 B missed, for either body size', () => {
    expect(met({ over: [1024, 1000] }, 'pending-overhead')).to.equal(true);
    expect(met({ over: [1025, 0] }, 'pending-overhead')).to.equal(false);
    expect(met({ over: [0, 1025] }, 'pending-overhead')).to.equal(false);
  });

  it('relay: 0 % at ×1.0 of plain is met, ×0.99 missed; 10 % at 10 % below 0 % met, further missed', () => {
    expect(met({ plain: 1000, r0: 1000 }, 'relay0')).to.equal(true);
    expect(met({ plain: 1000, r0: 990 }, 'relay0')).to.equal(false);
    expect(met({ r0: 1000, r10: 900 }, 'relay10')).to.equal(true);
    expect(met({ r0: 1000, r10: 899 }, 'relay10')).to.equal(false);
    expect(met({ r0: 1000, r10: 1200 }, 'relay10')).to.equal(true); // faster than 0 % is no cost
  });

  it('reports goals it cannot judge as not measured, with the reason', () => {
    const r = results();
    r.http!.throughput = r.http!.throughput.filter((c) => c.id !== 'doubletap-10-jitter');
    r.kafka = { error: 'no broker', variants: [], markdown: [] };
    delete r.soak;
    const byId = Object.fromEntries(evaluateGoals(r).map((g) => [g.id, g]));
    expect(byId['jitter10-rps']).to.include({ met: null, ratio: null, detail: 'not measured: needs HTTP case doubletap-10-jitter (--cases)' });
    expect(byId['relay0']).to.include({ met: null, detail: 'not measured: no broker' });
    expect(byId['soak-slope'].met).to.equal(null);
    expect(byId['fraction0-rps'].met).to.equal(true);
    expect(goalsWithout(['http-proxy', 'doubletap-0'])).to.deep.equal(['jitter10-rps (needs doubletap-0, doubletap-10-jitter)', 'replay100-cpu (needs doubletap-0, doubletap-100)']);
  });

  it('compares against a baseline: goals and raw numbers, before → after', () => {
    const before = results({ dt0: 8_000 });
    const md = compareMarkdown(before, results(), 'old').join('\n');
    expect(md).to.contain('| fraction 0: req/s vs bare http-proxy (concurrency 32) | ≥ ×1.000 | ×0.800 MISSED | ×1.000 met |');
    expect(md).to.contain('| doubletap-0 | 8000 → 10000 (+25.0 %) | 100 → 100 (+0.0 %) |');
  });
});
