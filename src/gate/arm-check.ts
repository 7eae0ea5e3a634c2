// A standing proxy started with --policy checks every arm request itself (defence in depth: a leaked
// control token still cannot arm a route, fault, fraction or hour the policy does not allow). The same
// checks as the run's gate, on what the arm request carries; approval and stop conditions are the
// arming run's business (its gate checked them).
import type { BudgetLimits } from '../chaos/budget';
import type { Scope } from '../chaos/arming';
import type { Scenario } from '../scenario/schema';
import type { Policy } from '../scenario/schema-gate';
import type { HttpRule } from '../scenario/schema-http';
import { checkAllowList } from './allow-list';
import { checkBudget } from './budget';
import { checkFaults } from './faults';
import { checkFraction } from './fraction';
import { checkScope } from './scope';
import { checkWindow } from './window';

export interface ArmRequest {
  rules?: HttpRule[];
  budget: BudgetLimits;
  windowEndMs: number;
  settleMs: number;
  scope?: Scope;
}

export function checkArm(policy: Policy, policyFile: string, arm: ArmRequest, nowMs = Date.now()): string[] {
  // The checks read a scenario; an arm request is the part of one they look at.
  const scenario = {
    http: { rules: arm.rules ?? [] }, budget: arm.budget, duration: Math.max(0, arm.windowEndMs - nowMs), settle: arm.settleMs,
    gate: { scope: arm.scope, stop: { conditions: [] } },
  } as unknown as Scenario;
  const input = { scenario, policy, policyFile, env: {}, now: new Date(nowMs), scenarioHash: '' };
  return [checkAllowList, checkFaults, checkFraction, checkBudget, checkWindow, checkScope].flatMap((check) => check(input));
}
