// How answers are described and compared. The evidence rules: a replay is shown by the
// Idempotent-Replayed header or by the same resource identity as the first answer — equal bytes alone
// prove nothing (a service that re-runs every duplicate and answers 204 looks identical each time).
import { compareIdentity } from '../faults/answer';
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

/** The proxy's comparison (src/faults/answer.ts): on the id fields both answers name. */
export function sameResource(a: Answer, b: Answer): 'same' | 'different' | undefined {
  return compareIdentity({ identity: a.identityValue }, { identity: b.identityValue });
}

/** Positive evidence that `a` is the stored answer of `first`, or undefined. */
export function replayEvidence(a: Answer, first: Answer): string | undefined {
  if (!sameOutcome(a, first)) return undefined;
  if (sameResource(a, first) === 'same') return `same identity ${a.identity}`;
  if (a.replayedHeader && a.identity === undefined && first.identity === undefined) return 'Idempotent-Replayed header';
  return undefined;
}

/** Both answers name a resource, and not the same one: the write ran again. */
export function differentIdentity(a: Answer, first: Answer): boolean {
  return ok(a) && sameResource(a, first) === 'different';
}

/** One answer per resource the successes name (answers with no identity left out). */
export function distinctResources(answers: Answer[]): Answer[] {
  const seen: Answer[] = [];
  for (const a of answers) if (a.identityValue !== undefined && !seen.some((s) => sameResource(a, s) !== 'different')) seen.push(a);
  return seen;
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
