// Copy outcome classification (contract outcomes). Pure: answers in, one judgement out. What counts as
// the right answer belongs to each fault (src/faults/*.ts, `judge`); the framework only says what no
// fault can judge: a copy that got no usable answer (5xx, timeout, connection error) is an `error`.
// Compare only once both the copy and the original are done: a burst copy can finish first.
import type { Answer, FaultDriver, Judgement } from '../faults';

export type AttemptResult = Answer;

/**
 * Refusals that never reached the logic under test: a throttle (429) or a timeout (408) in front of the
 * service, or an authentication that refused the copy (a single-use nonce, a signature that expired
 * while the copy waited: 401/403/407). Counted as a refused duplicate they would pass a service whose
 * rate limiter stopped every copy; a client's real retry would pass the limiter and the auth.
 */
const NOT_THE_WRITE = new Set([401, 403, 407, 408, 429]);

export function classify(driver: FaultDriver, copy: Answer, reference: Answer | undefined): Judgement {
  const status = copy.status;
  if (copy.error !== undefined || status === undefined || status >= 500 || NOT_THE_WRITE.has(status)) return { outcome: 'error' };
  return driver.judge(copy, reference);
}
