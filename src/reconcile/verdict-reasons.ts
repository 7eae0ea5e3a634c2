// The sentences behind a verdict: the outcome row (failOn), the keyed-probe hint on extra rows, and why
// settle left the books unfinished. Pure.
import type { Outcome } from '../journal/types';
import type { InvariantResult, ProbeReading, SettleResult } from './types';

/**
 * Copies with a forbidden outcome fail the run on their own: a wrong replay leaves the books untouched,
 * and a re-executed copy is a second write — unless every bound the books put on its rule held exactly
 * (`forgiven`: the service handed out a fresh id without writing; the row says so).
 */
export function outcomeCheck(failOn: readonly Outcome[], outcomes: Record<Outcome, number>, forgiven = 0): InvariantResult {
  const actual = failOn.reduce((n, o) => n + outcomes[o], 0);
  const seen = failOn.filter((o) => outcomes[o] > 0).map((o) => `${outcomes[o]} ${o}`);
  const note = forgiven > 0 && failOn.includes('re-executed')
    ? `; ${forgiven} cop${forgiven === 1 ? 'y' : 'ies'} named a new resource but the books grew by exactly the operations: the service answers duplicates with fresh ids without executing them (clients may see two ids)`
    : '';
  return {
    name: `no copy ${failOn.join(' or ')}`,
    ok: actual === 0,
    expected: 0,
    actual,
    detail: (actual === 0 ? `no copy was ${failOn.join(' or ')}` : `${seen.join(', ')} cop${actual === 1 ? 'y' : 'ies'} (see the leaked copies)`) + note,
  };
}

/** Extra rows in a global count may be other writers: say how to tell (a keyed probe). */
export function withKeyedHint(r: InvariantResult, probe: string, probes: Record<string, ProbeReading>): InvariantResult {
  const reading = probes[probe];
  if (r.ok || !reading || reading.keyed || r.actual === null || r.expected === null || r.actual <= r.expected) return r;
  return {
    ...r,
    detail: `${r.detail} (if other writers share what ${probe} counts, a global count cannot be reconciled: use a keyed probe, docs/verdict.md#keyed-probes)`,
  };
}

export function settleReason(s: SettleResult, settleMs: number, globalMoving: boolean): string {
  const parts: string[] = [];
  if (!s.drained) parts.push(`settle did not drain: ${s.pending} original${s.pending === 1 ? '' : 's'} or cop${s.pending === 1 ? 'y' : 'ies'} of the window still in flight after ${settleMs / 1000}s`);
  if (s.unstable.length > 0) parts.push(`probe${s.unstable.length === 1 ? '' : 's'} ${s.unstable.join(', ')} still moving at the end of settle`);
  const hint = globalMoving ? ' (if other writers keep writing to what a probe counts, use a keyed probe: docs/verdict.md#keyed-probes)' : '';
  return `${parts.join('; ')}: the books were not final; raise settle or check what is still writing${hint}`;
}
