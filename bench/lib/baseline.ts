// --baseline DIR: an earlier run's goals and raw numbers beside this run's (before → after), the table
// docs/benchmarks.md keeps. Both runs' goals are judged again from their raw results, so a summary.json
// written before the goals existed (an older commit) compares too.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { evaluateGoals, fmtLimit, fmtMet, fmtValue } from './goals';
import type { BenchResults } from './report';

export function readBaseline(path: string): BenchResults {
  const file = existsSync(path) && statSync(path).isDirectory() ? join(path, 'summary.json') : path;
  if (!existsSync(file)) throw new Error(`--baseline: ${file} not found (give the --out DIR of an earlier run)`);
  return JSON.parse(readFileSync(file, 'utf8')) as BenchResults;
}

const f = (n: number | undefined, d = 0) => (n === undefined || !Number.isFinite(n) ? '-' : n.toFixed(d));

/** "before → after (±x %)"; a side that was not measured shows as "-". */
function change(before: number | undefined, after: number | undefined, d = 0): string {
  const pct = before && after !== undefined && Number.isFinite(after) ? ` (${after >= before ? '+' : ''}${(((after - before) / before) * 100).toFixed(1)} %)` : '';
  return `${f(before, d)} → ${f(after, d)}${pct}`;
}

export function compareMarkdown(before: BenchResults, after: BenchResults, label: string): string[] {
  const gb = evaluateGoals(before);
  const ga = evaluateGoals(after);
  const lines = ['', `## Before → after (baseline: ${label}, ${before.mode} run of ${before.startedAt})`, ''];
  lines.push('| goal | limit | before | after |', '|---|---|---|---|');
  for (const a of ga) {
    const b = gb.find((g) => g.id === a.id);
    const cell = (g: typeof a | undefined) => (g ? `${fmtValue(g.unit, g.ratio)} ${fmtMet(g.met)}` : '-');
    lines.push(`| ${a.name} | ${fmtLimit(a)} | ${cell(b)} | ${cell(a)} |`);
  }
  const tb = before.http?.throughput ?? [];
  const ta = after.http?.throughput ?? [];
  const ids = [...new Set([...ta, ...tb].map((c) => c.id))];
  if (ids.length === 0) return lines;
  lines.push('', '| case | req/s (c32) | proxy CPU µs/req | p50 ms (c32) | p50 ms one at a time |', '|---|---|---|---|---|');
  const lat = (r: BenchResults, id: string) => r.http?.latency.find((c) => c.id === id)?.load.p50Ms;
  for (const id of ids) {
    const b = tb.find((c) => c.id === id);
    const a = ta.find((c) => c.id === id);
    const oneAtATime = (lat(before, id) ?? lat(after, id)) !== undefined ? change(lat(before, id), lat(after, id), 3) : '';
    lines.push(`| ${a?.label ?? b?.label ?? id} | ${change(b?.load?.rps, a?.load?.rps)} | ${change(b?.proxyCpuUs, a?.proxyCpuUs)} | ${change(b?.load?.p50Ms, a?.load?.p50Ms, 2)} | ${oneAtATime} |`);
  }
  return lines;
}
