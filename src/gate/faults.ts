// Only the faults the allow-list entry permits (by default `replay`: what a real client does anyway).
// `lost-reply` shows a real client a 5xx; burst/key-reuse/strip-key are for staging and contract checks.
import { allowEntryFor } from './allow-list';
import type { GateInput } from './types';

export function checkFaults(i: GateInput): string[] {
  if (!i.policy) return [];
  const reasons: string[] = [];
  i.scenario.http?.rules.forEach((r, n) => {
    for (const method of r.match.method) {
      const entry = allowEntryFor(i, method, r.match.path);
      if (!entry) continue; // the allow-list check reports it
      const refused = [...new Set(r.faults.map((f) => f.kind))].filter((k) => !entry.faults.includes(k));
      if (refused.length > 0) {
        reasons.push(`http.rules[${n}] (${r.name}): fault ${refused.join(', ')} not allowed on ${method} ${r.match.path} (allowed: ${entry.faults.join(', ')})`);
      }
    }
  });
  return reasons;
}
