// Invariants: relate a probe's delta to doubletap's own counts. Pure: readings + tally in, results out.
import type { Invariant } from '../scenario/schema-probes';
import { evaluateExpression, type CountSource } from './expressions';
import { round } from './snapshot';
import type { InvariantResult, ProbeReading } from './types';

type Mode = 'grows_by' | 'grows_at_least' | 'grows_at_most' | 'unchanged';

function modeOf(inv: Invariant): { mode: Mode; expr: string } {
  if (inv.grows_by !== undefined) return { mode: 'grows_by', expr: inv.grows_by };
  if (inv.grows_at_least !== undefined) return { mode: 'grows_at_least', expr: inv.grows_at_least };
  if (inv.grows_at_most !== undefined) return { mode: 'grows_at_most', expr: inv.grows_at_most };
  return { mode: 'unchanged', expr: '0' };
}

export function defaultName(inv: Invariant): string {
  const { mode, expr } = modeOf(inv);
  if (mode === 'grows_by') return `${inv.probe} grows by ${expr}`;
  if (mode === 'grows_at_least') return `${inv.probe} grows by at least ${expr}`;
  if (mode === 'grows_at_most') return `${inv.probe} grows by at most ${expr}`;
  return `${inv.probe} unchanged`;
}

const same = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

/** "50 = ops(create-order)", or just "50" when the expression is a plain number. */
function expectedText(value: number, expr: string): string {
  return String(Number(expr)) === expr.trim() ? String(value) : `${value} = ${expr}`;
}

export function evaluateInvariant(inv: Invariant, readings: Record<string, ProbeReading>, counts: CountSource): InvariantResult {
  const name = inv.name ?? defaultName(inv);
  const { mode, expr } = modeOf(inv);
  let expected: number;
  try {
    expected = round(evaluateExpression(expr, counts));
  } catch (err) {
    return { name, ok: false, expected: null, actual: readings[inv.probe]?.delta ?? null, detail: `cannot evaluate: ${(err as Error).message}` };
  }
  const reading = readings[inv.probe];
  if (!reading || reading.delta === null) {
    const why = reading?.error ? `: ${reading.error}` : '';
    return { name, ok: false, expected, actual: null, detail: `probe ${inv.probe} could not be read${why}` };
  }
  const actual = reading.delta;
  const grew = `${inv.probe} grew by ${actual}`;
  const want = expectedText(expected, expr);
  const diff = round(actual - expected);
  if ((mode === 'grows_by' || mode === 'grows_at_least') && actual === 0 && expected > 0) {
    return {
      name, ok: false, expected, actual, blind: true,
      detail: `${inv.probe} did not move while it should have grown by ${want}: it does not see these writes (wrong table, filter or database, or they land after settle), so it proves nothing about duplicates: fix the probe`,
    };
  }
  switch (mode) {
    case 'grows_by': {
      const ok = same(actual, expected);
      const tail = ok ? '' : diff > 0 ? `: ${diff} extra` : `: ${-diff} missing`;
      return { name, ok, expected, actual, detail: `${grew}, expected ${want}${tail}` };
    }
    case 'grows_at_least': {
      const ok = actual >= expected || same(actual, expected);
      return { name, ok, expected, actual, detail: `${grew}, expected at least ${want}${ok ? '' : `: ${-diff} short`}` };
    }
    case 'grows_at_most': {
      const ok = actual <= expected || same(actual, expected);
      return { name, ok, expected, actual, detail: `${grew}, expected at most ${want}${ok ? '' : `: ${diff} over`}` };
    }
    default: {
      const ok = actual === 0;
      return { name, ok, expected: 0, actual, detail: ok ? `${inv.probe} unchanged` : `${inv.probe} changed by ${actual}, expected unchanged` };
    }
  }
}

export function evaluateInvariants(invariants: readonly Invariant[], readings: Record<string, ProbeReading>, tally: CountSource): InvariantResult[] {
  return invariants.map((inv) => evaluateInvariant(inv, readings, tally));
}
