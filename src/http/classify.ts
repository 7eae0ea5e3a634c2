// Copy outcome classification (contract outcomes). Pure: answers in, one judgement out. What counts as
// the right answer belongs to each fault (src/faults/*.ts, `judge`); the framework only says what no
// fault can judge: a copy that got no usable answer (5xx, timeout, connection error) is an `error`.
// Compare only once both the copy and the original are done: a burst copy can finish first.
import type { Answer, FaultDriver, Judgement } from '../faults';

export type AttemptResult = Answer;

export function classify(driver: FaultDriver, copy: Answer, reference: Answer | undefined): Judgement {
  const status = copy.status;
  if (copy.error !== undefined || status === undefined || status >= 500) return { outcome: 'error' };
  return driver.judge(copy, reference);
}
