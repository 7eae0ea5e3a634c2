// Human summaries for the terminal: one run, or several side by side (the demo).
import { OUTCOMES } from '../journal/types';
import type { Verdict } from '../reconcile/types';

function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ')).join('\n');
}

/** Rows: operations, copies, every outcome, every probe delta, verdict; one column per run. */
export function formatSideBySide(runs: Array<{ title: string; verdict: Verdict }>): string {
  const probeNames = [...new Set(runs.flatMap((r) => Object.keys(r.verdict.probes)))];
  const cell = (v: number | null | undefined) => (v === null || v === undefined ? '-' : String(v));
  const rows: string[][] = [
    ['', ...runs.map((r) => r.title)],
    ['operations (ok)', ...runs.map((r) => cell(Object.values(r.verdict.rules).reduce((s, x) => s + x.ops, 0)))],
    ['http originals', ...runs.map((r) => cell(r.verdict.http.originals))],
    ['http copies', ...runs.map((r) => cell(r.verdict.http.copies))],
    ...OUTCOMES.map((o) => [`  ${o}`, ...runs.map((r) => cell(r.verdict.http.outcomes[o]))]),
    ['kafka originals', ...runs.map((r) => cell(r.verdict.kafka.originals))],
    ['kafka copies', ...runs.map((r) => cell(r.verdict.kafka.copies))],
    ...probeNames.map((p) => [`${p} (delta)`, ...runs.map((r) => cell(r.verdict.probes[p]?.delta))]),
    ['invariants ok', ...runs.map((r) => `${r.verdict.invariants.filter((i) => i.ok).length}/${r.verdict.invariants.length}`)],
    ['verdict', ...runs.map((r) => r.verdict.status.toUpperCase())],
  ];
  return table(rows);
}

export function formatFailures(verdict: Verdict): string {
  const lines = verdict.invariants.filter((i) => !i.ok).map((i) => `  ✗ ${i.name}: ${i.detail}`);
  if (verdict.reason) lines.unshift(`  reason: ${verdict.reason}`);
  return lines.join('\n');
}
