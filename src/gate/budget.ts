// A production run must bound what it can do whatever the traffic does: a total, a rate, and (for HTTP)
// how many copies may be on the wire at once.
import type { GateInput } from './types';

export function checkBudget(i: GateInput): string[] {
  const b = i.scenario.budget;
  const missing = [
    b.total === undefined ? 'budget.total' : undefined,
    b.perSecond === undefined ? 'budget.perSecond' : undefined,
    i.scenario.http && b.inFlight === undefined ? 'budget.inFlight' : undefined,
  ].filter((m): m is string => m !== undefined);
  return missing.map((m) => `${m}: must be set in production`);
}
