// `doubletap validate` warnings: scenarios that are valid but can never pass on evidence, found before a
// run wastes a game day on an `inconclusive`. Pure: the scenario in, sentences out.
import type { Scenario } from '../scenario/schema';
import { booksFor } from './evidence';
import { probeRole } from './verdict';

export function evidenceWarnings(s: Scenario): string[] {
  const warnings: string[] = [];
  const roleOf = (p: string) => probeRole(p, s.invariants);
  const min = s.evidence.minCopies;
  s.http?.rules.forEach((r, i) => {
    const where = `http.rules[${i}] (${r.name})`;
    const books = booksFor(r.name, s.invariants, roleOf).length > 0;
    if (r.fraction === 0) warnings.push(`${where}: fraction 0 sends no copy, so the run can never pass`);
    else if (r.faults.every((f) => f.kind === 'lost-reply') && !books) {
      warnings.push(`${where}: lost-reply sends no copy of its own and no invariant reads the books for ${r.name}: the run can never pass`);
    } else if (!books) {
      warnings.push(
        `${where}: no invariant reads the books for it, so it passes only if every copy is positively replayed (replay header or the same resource id) or refused; ` +
          'a service answering 204 or a constant ack will be inconclusive: add a side-effect probe with grows_by: ops(' + r.name + ')',
      );
    }
  });
  s.kafka?.relays.forEach((r, i) => {
    if (booksFor(r.name, s.invariants, roleOf).length === 0) {
      warnings.push(`kafka.relays[${i}] (${r.name}): a Kafka copy shows only in the books and no invariant counts ops(${r.name}): the run can never pass`);
    }
  });
  s.load?.http.forEach((l, i) => {
    const rule = s.http?.rules.find((r) => r.name === l.rule);
    if (!rule || l.total === undefined) return;
    const copies = Math.max(...rule.faults.map((f) => ('copies' in f ? f.copies : f.kind === 'lost-reply' ? 0 : 1)));
    const expected = Math.floor(l.total * rule.fraction * copies);
    if (expected < min) warnings.push(`load.http[${i}]: ${l.total} operations at fraction ${rule.fraction} make at most ${expected} copies, fewer than evidence.minCopies (${min}): the run will be inconclusive`);
  });
  if (s.http && !s.load?.http.length) {
    for (const [name, p] of Object.entries(s.probes)) {
      if (!('keys' in p && p.keys) && !('prometheus' in p) && roleOf(name) === 'side-effect' && s.invariants.some((inv) => inv.probe === name && inv.grows_by !== undefined)) {
        warnings.push(`probes.${name}: with live traffic (no load:) a global count also moves with requests outside the window and other writers; a keyed probe (keys: { rule: … }) reconciles exactly`);
      }
    }
  }
  return warnings;
}
