// The scenario's content hash: what an approval file is bound to. Computed over the validated scenario
// (after ${ENV} and flags, so it is what will really run), canonical JSON (key order does not matter),
// without gate.approval (where the approval is kept is not part of what is approved). Secrets stay
// `env:NAME` references in the scenario, so no secret value goes into the hash.
import { createHash } from 'node:crypto';
import type { Scenario } from '../scenario/schema';

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, canonical((value as Record<string, unknown>)[k])]));
  }
  return value;
}

export function scenarioHash(scenario: Scenario): string {
  const { approval: _approval, ...gate } = scenario.gate;
  const text = JSON.stringify(canonical({ ...scenario, gate }));
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
