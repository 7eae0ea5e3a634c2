// How answers are described and compared. The evidence rules: a replay is shown by the
// Idempotent-Replayed header or by the same resource identity as the first answer — equal bytes alone
// prove nothing (a service that re-runs every duplicate and answers 204 looks identical each time).
import type { Answer, CheckResult, CheckName } from './types';

export const ok = (a: Answer): boolean => a.status >= 200 && a.status < 300;

export function describeAnswer(label: string, a: Answer): string {
  if (a.status === 0) return `${label}: no answer (${a.error})`;
  const parts = [String(a.status), a.identity ?? 'no identity'];
  if (a.replayedHeader) parts.push('Idempotent-Replayed: true');
  return `${label}: ${parts.join(', ')}`;
}

/**
 * A replay may answer with another success status (201 first, 200 on the replay is common): that is no
 * second write, and the proxy's classifier accepts it too. A 2xx against a refusal is not a replay.
 */
export function sameOutcome(a: Answer, first: Answer): boolean {
  return a.status === first.status || (ok(a) && ok(first));
}

/** Positive evidence that `a` is the stored answer of `first`, or undefined. */
export function replayEvidence(a: Answer, first: Answer): string | undefined {
  if (!sameOutcome(a, first)) return undefined;
  if (a.identity !== undefined && a.identity === first.identity) return `same identity ${a.identity}`;
  if (a.replayedHeader && a.identity === undefined && first.identity === undefined) return 'Idempotent-Replayed header';
  return undefined;
}

/** Both answers name a resource, and not the same one: the write ran again. */
export function differentIdentity(a: Answer, first: Answer): boolean {
  return ok(a) && a.identity !== undefined && first.identity !== undefined && a.identity !== first.identity;
}

export function probeLine(name: string, label: string, delta: number): string {
  return `probe ${name}: ${delta >= 0 ? '+' : ''}${delta} ${label}`;
}

export function result(check: CheckName, status: CheckResult['status'], summary: string, evidence: string[]): CheckResult {
  return { check, status, summary, evidence };
}

/** The first answer must succeed, or its duplicates say nothing about deduplication. */
export function firstFailed(check: CheckName, first: Answer, evidence: string[]): CheckResult | undefined {
  if (ok(first)) return undefined;
  const what = first.status === 0 ? `got no answer (${first.error})` : `answered ${first.status}`;
  return result(check, 'inconclusive', `the first request ${what}: the operation must succeed once before a duplicate means anything (check the generated body, the examples, the base URL)`, evidence);
}
