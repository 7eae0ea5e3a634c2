// doubletap's own counts, built from journal entries: what the invariants and the evidence compare the
// books against. Only lines inside the counting window arrive here with effect (outside-window lines
// are skipped): operations whose rows fall outside the two snapshots must not count.
import { RecentKeys } from '../chaos/recent-keys';
import { OUTCOMES, Outcome, type JournalEntry } from './types';

export interface RuleCounts {
  originals: number;
  /** Unique identities whose original (or a client retry of it) got a 2xx: logical operations done. */
  ops: number;
  /** Operations whose original was picked for a fault (the keys a keyed `picked` probe reads). */
  picked: number;
  copies: number;
  outcomes: Record<Outcome, number>;
  /** Originals by answer: `2xx`, `401`, `503`, `no response`… (why nothing succeeded, in words). */
  statuses: Record<string, number>;
  /** Planned copies not sent, by reason (budget, original failed, body not JSON…). */
  dropped: Record<string, number>;
  /** Client retries of a key already seen (after lost-reply, for one): duplicates only the books judge. */
  retries: number;
  /** Verdict-bearing copies by how they were established. */
  verifiedBy: { header: number; identity: number; status: number };
  /** Copies judged without the answers' resource identity, by why (journal `identityIgnored`). */
  identityIgnored: { echo: number; repeats: number };
}

/**
 * Identities remembered per rule to count each logical operation once. Bounded so memory plateaus on
 * long runs: a client retry arrives within seconds, not after 100,000 newer operations.
 */
const RETRY_MEMORY = 100_000;
/** Keys kept for keyed probes, per rule; past this the probe is inconclusive (the list is incomplete). */
export const MAX_KEYS = 1_000_000;

function emptyOutcomes(): Record<Outcome, number> {
  return Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>;
}

function emptyCounts(): RuleCounts {
  return { originals: 0, ops: 0, picked: 0, copies: 0, retries: 0, outcomes: emptyOutcomes(), statuses: {}, dropped: {}, verifiedBy: { header: 0, identity: 0, status: 0 }, identityIgnored: { echo: 0, repeats: 0 } };
}

function statusLabel(e: JournalEntry): string {
  if (e.status === undefined) return e.relay !== undefined ? 'relayed' : 'no response';
  return e.status >= 200 && e.status < 300 ? '2xx' : String(e.status);
}

interface Counts extends RuleCounts {
  succeeded: RecentKeys;
  pickedKeys: RecentKeys;
}

export interface KeySets {
  ops: Set<string>;
  picked: Set<string>;
  truncated: boolean;
}

export class Tally {
  private readonly rules = new Map<string, Counts>();
  private readonly keys = new Map<string, KeySets>();

  private counts(rule: string): Counts {
    let c = this.rules.get(rule);
    if (!c) {
      c = { ...emptyCounts(), succeeded: new RecentKeys(RETRY_MEMORY), pickedKeys: new RecentKeys(RETRY_MEMORY) };
      this.rules.set(rule, c);
    }
    return c;
  }

  /** Keep the identities of `rule`'s operations for keyed probes (off by default: memory). */
  collectKeys(rule: string): void {
    if (!this.keys.has(rule)) this.keys.set(rule, { ops: new Set(), picked: new Set(), truncated: false });
  }

  keysOf(rule: string): KeySets | undefined {
    return this.keys.get(rule);
  }

  private succeed(name: string, c: Counts, identity: string, picked: boolean): void {
    const keys = this.keys.get(name);
    if (!c.succeeded.seenBefore(identity)) {
      c.ops += 1;
      if (keys) add(keys, keys.ops, identity);
    }
    if (picked && !c.pickedKeys.seenBefore(identity)) {
      c.picked += 1;
      if (keys) add(keys, keys.picked, identity);
    }
  }

  add(e: JournalEntry): void {
    const name = e.rule ?? e.relay;
    if (!name) return;
    if (e.reason === 'outside-window') return; // before the "before" snapshot or after the window
    const c = this.counts(name);
    if (e.kind === 'original') {
      if (e.redelivery) return; // the relay's own re-processing is counted apart
      if (e.relay !== undefined && e.error !== undefined) return; // refused by the destination: never reached the system
      c.originals += 1;
      if (e.reason === 'client-retry') c.retries += 1;
      const label = statusLabel(e);
      c.statuses[label] = (c.statuses[label] ?? 0) + 1;
      const identity = e.key ?? e.messageId ?? e.id;
      // Kafka originals have no status: a relayed message is one operation. HTTP needs a 2xx.
      const succeeded = e.status === undefined ? e.relay !== undefined : e.status >= 200 && e.status < 300;
      if (succeeded) this.succeed(name, c, identity, e.fault !== undefined && e.reason === undefined && !e.dryRun);
      return;
    }
    if (e.dryRun) return; // a decision logged in dry-run, never sent: not a copy
    if (e.outcome === undefined && e.reason !== undefined) {
      c.dropped[e.reason] = (c.dropped[e.reason] ?? 0) + 1;
      return;
    }
    c.copies += 1;
    if (e.outcome) c.outcomes[e.outcome] += 1;
    if (e.verifiedBy) c.verifiedBy[e.verifiedBy] += 1;
    if (e.identityIgnored) c.identityIgnored[e.identityIgnored] += 1;
    // A copy that overtook its original (which did not succeed) did the operation's one execution.
    if (e.firstExecution) this.succeed(name, c, e.key ?? e.of ?? e.id, true);
  }

  names(): string[] {
    return [...this.rules.keys()];
  }

  get(rule: string): RuleCounts {
    const { succeeded: _s, pickedKeys: _p, ...c } = this.counts(rule);
    return { ...c, outcomes: { ...c.outcomes }, statuses: { ...c.statuses }, dropped: { ...c.dropped }, verifiedBy: { ...c.verifiedBy }, identityIgnored: { ...c.identityIgnored } };
  }

  totals(): RuleCounts {
    const total = emptyCounts();
    // Straight from the live counts: only read here, no copy per rule.
    for (const c of this.rules.values()) {
      total.originals += c.originals;
      total.ops += c.ops;
      total.picked += c.picked;
      total.copies += c.copies;
      total.retries += c.retries;
      for (const o of OUTCOMES) total.outcomes[o] += c.outcomes[o];
      sumInto(total.statuses, c.statuses);
      sumInto(total.dropped, c.dropped);
      sumInto(total.verifiedBy, c.verifiedBy);
      sumInto(total.identityIgnored, c.identityIgnored);
    }
    return total;
  }
}

function add(keys: KeySets, set: Set<string>, identity: string): void {
  if (set.size >= MAX_KEYS) keys.truncated = true;
  else set.add(identity);
}

function sumInto(into: { [k: string]: number }, from: { [k: string]: number }): void {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v;
}
