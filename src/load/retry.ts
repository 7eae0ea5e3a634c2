// A realistic client retry policy (stripe-node style): same key on every attempt, exponential backoff
// with full jitter drawn from a seeded rng, retry only on the failure kinds the policy names.
import type { RetryPolicy } from '../scenario/schema-load';

/** How one attempt ended, reduced to what the policy can name. */
export type AttemptFailure = '5xx' | 'timeout' | 'reset' | '409' | '429';

export type AttemptOutcome = { status: number } | { error: 'timeout' | 'reset' | 'other' };

/** The policy's name for this outcome, or undefined when it is not a retriable kind at all. */
export function failureKind(outcome: AttemptOutcome): AttemptFailure | undefined {
  if ('status' in outcome) {
    if (outcome.status >= 500) return '5xx';
    if (outcome.status === 409) return '409';
    if (outcome.status === 429) return '429';
    return undefined;
  }
  return outcome.error === 'other' ? undefined : outcome.error;
}

/** True when the client should try again after this attempt (1-based). */
export function shouldRetry(policy: RetryPolicy, attempt: number, outcome: AttemptOutcome): boolean {
  if (attempt >= policy.attempts) return false;
  const kind = failureKind(outcome);
  return kind !== undefined && policy.on.includes(kind);
}

/**
 * Wait before attempt `attempt + 1`: cap = min(max, base · 2^(attempt-1)); full jitter draws uniformly
 * in [0, cap] (AWS "full jitter"), so a burst of failing clients does not retry in lockstep.
 */
export function backoffMs(policy: RetryPolicy, attempt: number, rng: () => number): number {
  const cap = Math.min(policy.backoff.max, policy.backoff.base * 2 ** Math.max(0, attempt - 1));
  return policy.backoff.jitter === 'full' ? Math.round(rng() * cap) : cap;
}
