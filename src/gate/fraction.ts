// No rule or relay duplicates more than the policy's ceiling (default 0.001: one request in a thousand).
import type { GateInput } from './types';

export function checkFraction(i: GateInput): string[] {
  if (!i.policy) return [];
  const max = i.policy.maxFraction;
  const over = (what: string, f: number) => (f > max ? [`${what}: fraction ${f} is above the ceiling ${max} (${i.policyFile})`] : []);
  return [
    ...(i.scenario.http?.rules ?? []).flatMap((r, n) => over(`http.rules[${n}] (${r.name})`, r.fraction)),
    ...(i.scenario.kafka?.relays ?? []).flatMap((r, n) => over(`kafka.relays[${n}] (${r.name})`, r.fraction)),
  ];
}
