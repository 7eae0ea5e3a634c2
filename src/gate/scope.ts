// Optional scope: only requests of test tenants / synthetic accounts are ever duplicated. The policy
// can make it mandatory.
import type { GateInput } from './types';

export function checkScope(i: GateInput): string[] {
  if (!i.policy?.requireScope || i.scenario.gate.scope) return [];
  return [`gate.scope: the policy (${i.policyFile}) allows only scoped runs (a test-tenant header and its values)`];
}
