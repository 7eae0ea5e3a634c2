// Every targeted route and topic must be on the policy's allow-list, by name: a rule on `/**` or with
// the default method list is refused, because nobody vouched for "everything".
import { isNamedRoute } from '../scenario/schema-gate';
import type { GateInput } from './types';

/** The allow-list entry for one method and route (exact match: no patterns on either side). */
export function allowEntryFor(i: GateInput, method: string, path: string) {
  return i.policy?.allow.http.find((e) => e.method === method && e.path === path);
}

export function checkAllowList(i: GateInput): string[] {
  if (!i.policy) return [];
  const where = `the allow-list in ${i.policyFile}`;
  const reasons: string[] = [];
  i.scenario.http?.rules.forEach((r, n) => {
    const at = `http.rules[${n}] (${r.name})`;
    if (!isNamedRoute(r.match.path)) {
      reasons.push(`${at}: path ${r.match.path} is a pattern, not a route: name the route`);
      return;
    }
    for (const method of r.match.method) {
      if (!allowEntryFor(i, method, r.match.path)) reasons.push(`${at}: ${method} ${r.match.path} is not on ${where}`);
    }
  });
  i.scenario.kafka?.relays.forEach((r, n) => {
    for (const topic of r.from) {
      if (!i.policy!.allow.kafka.some((e) => e.topic === topic)) reasons.push(`kafka.relays[${n}] (${r.name}): topic ${topic} is not on ${where}`);
    }
  });
  return reasons;
}
