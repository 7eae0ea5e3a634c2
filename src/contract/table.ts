// The stdout table: one row per operation × check, the evidence indented under it. Plain text, so it
// reads the same in a terminal and in a CI log.
import type { ContractReport } from './run';
import type { CheckStatus } from './types';

const WORD: Record<CheckStatus, string> = { pass: 'PASS', fail: 'FAIL', inconclusive: 'INCONCLUSIVE', 'not-applicable': 'n/a' };

export function formatTable(report: ContractReport, withEvidence = true): string {
  const rows = report.operations.flatMap((op) => op.results.map((r) => ({ op: op.id, r })));
  const w1 = Math.max('OPERATION'.length, ...rows.map((x) => x.op.length));
  const w2 = Math.max('CHECK'.length, ...rows.map((x) => x.r.check.length));
  const w3 = 'INCONCLUSIVE'.length;
  const line = (a: string, b: string, c: string, d: string): string => `${a.padEnd(w1)}  ${b.padEnd(w2)}  ${c.padEnd(w3)}  ${d}`.trimEnd();
  const out = [line('OPERATION', 'CHECK', 'RESULT', 'WHY')];
  for (const { op, r } of rows) {
    out.push(line(op, r.check, WORD[r.status], r.summary));
    if (withEvidence) for (const e of r.evidence) out.push(`${' '.repeat(w1 + w2 + w3 + 6)}· ${e}`);
  }
  const c = report.counts;
  out.push('', `contract ${report.status}: ${report.reason} (${c.pass} pass, ${c.fail} fail, ${c.inconclusive} inconclusive, ${c['not-applicable']} not applicable)`);
  return out.join('\n');
}

export { WORD as STATUS_WORD };
