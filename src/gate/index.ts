// The gate: every check, in one map. A production run starts only when none returns a reason; when
// some do, it refuses (exit 2) listing EVERY reason, so one attempt shows everything to fix.
import { checkAllowList } from './allow-list';
import { approverOf } from './approval';
import { checkBudget } from './budget';
import { checkFaults } from './faults';
import { checkFraction } from './fraction';
import { checkScope } from './scope';
import { checkStopConditions } from './stop';
import type { GateCheck, GateInput } from './types';
import { checkWindow } from './window';

export type { GateInput, GateCheck } from './types';

/** Every check but the approval, which evaluateGate runs itself: it also names the approver. */
export const GATE_CHECKS: Record<string, GateCheck> = {
  'allow-list': checkAllowList,
  faults: checkFaults,
  fraction: checkFraction,
  budget: checkBudget,
  'stop-conditions': checkStopConditions,
  window: checkWindow,
  scope: checkScope,
};

export interface GateDecision {
  ok: boolean;
  /** The approver's name when an approval holds (never the token). */
  who?: string;
  reasons: string[];
}

export function evaluateGate(input: GateInput, policyReasons: string[] = []): GateDecision {
  // Once: it reads the token and the approval file, and compares in constant time.
  const approver = approverOf(input);
  const approval = 'reasons' in approver ? approver.reasons : [];
  const reasons = [...policyReasons, ...approval, ...Object.values(GATE_CHECKS).flatMap((check) => check(input))];
  return { ok: reasons.length === 0, who: 'who' in approver ? approver.who : undefined, reasons };
}
