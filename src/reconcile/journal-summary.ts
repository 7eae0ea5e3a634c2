// One pass over journal entries for what the tally does not keep: outcomes per fault, leaked copies,
// and which names are Kafka relays. Fed entry by entry, so a huge journal streams through it.
import type { JournalEntry, Outcome } from '../journal/types';
import type { LeakedCopy } from './types';

export const LEAKED_CAP = 200;
const LEAKS: ReadonlySet<Outcome> = new Set<Outcome>(['re-executed', 'wrong-replay']);

export class JournalSummary {
  /** rule → fault → outcome → count (copies only). */
  readonly byFault = new Map<string, Record<string, Partial<Record<Outcome, number>>>>();
  readonly leaked: LeakedCopy[] = [];
  leakedTotal = 0;
  readonly relays = new Set<string>();

  constructor(private readonly cap = LEAKED_CAP) {}

  add(e: JournalEntry): void {
    if (e.relay) this.relays.add(e.relay);
    if (e.kind !== 'copy') return;
    const rule = e.rule ?? e.relay;
    if (!rule) return;
    const fault = e.fault ?? 'unspecified';
    let faults = this.byFault.get(rule);
    if (!faults) this.byFault.set(rule, (faults = {}));
    const outcomes = (faults[fault] ??= {});
    if (e.outcome) outcomes[e.outcome] = (outcomes[e.outcome] ?? 0) + 1;
    if (e.outcome && LEAKS.has(e.outcome)) {
      this.leakedTotal += 1;
      if (this.leaked.length < this.cap) {
        const leak: LeakedCopy = { rule, id: e.id, outcome: e.outcome };
        if (e.fault) leak.fault = e.fault;
        if (e.key ?? e.messageId) leak.key = e.key ?? e.messageId;
        if (e.of) leak.of = e.of;
        if (e.status !== undefined) leak.status = e.status;
        this.leaked.push(leak);
      }
    }
  }

  static of(entries: Iterable<JournalEntry>, cap = LEAKED_CAP): JournalSummary {
    const s = new JournalSummary(cap);
    for (const e of entries) s.add(e);
    return s;
  }
}
