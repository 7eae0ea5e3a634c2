// The run's budget split across N replicas so that the sum never exceeds it: totals and in-flight slots
// are divided as whole copies (the remainder to the first replicas), the rate evenly.
import type { BudgetLimits } from '../chaos/budget';

export function splitBudget(b: BudgetLimits, n: number, index: number): BudgetLimits {
  const share = (v: number) => Math.floor(v / n) + (index < v % n ? 1 : 0);
  return {
    total: b.total === undefined ? undefined : share(b.total),
    perSecond: b.perSecond === undefined ? undefined : b.perSecond / n,
    inFlight: b.inFlight === undefined ? undefined : share(b.inFlight),
  };
}
