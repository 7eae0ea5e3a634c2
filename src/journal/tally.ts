// doubletap's own counts, built from journal entries: what the invariants compare the books against.
import { RecentKeys } from '../chaos/recent-keys';
import { OUTCOMES, Outcome, type JournalEntry } from './types';

export interface RuleCounts {
  originals: number;
  /** Unique identities whose original (or a client retry of it) got a 2xx: logical operations done. */
  ops: number;
  copies: number;
  outcomes: Record<Outcome, number>;
}

/**
 * Identities remembered per rule to count each logical operation once. Bounded so memory plateaus on
 * long runs: a client retry arrives within seconds, not after 100,000 newer operations.
 */
const RETRY_MEMORY = 100_000;

function emptyOutcomes(): Record<Outcome, number> {
  return Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>;
}

export class Tally {
  private readonly rules = new Map<string, RuleCounts & { succeeded: RecentKeys }>();

  private counts(rule: string) {
    let c = this.rules.get(rule);
    if (!c) {
      c = { originals: 0, ops: 0, copies: 0, outcomes: emptyOutcomes(), succeeded: new RecentKeys(RETRY_MEMORY) };
      this.rules.set(rule, c);
    }
    return c;
  }

  private succeed(c: { ops: number; succeeded: RecentKeys }, identity: string): void {
    if (!c.succeeded.seenBefore(identity)) c.ops += 1;
  }

  add(e: JournalEntry): void {
    const name = e.rule ?? e.relay;
    if (!name) return;
    const c = this.counts(name);
    if (e.kind === 'original') {
      if (e.redelivery) return; // the relay's own re-processing is counted apart
      if (e.relay !== undefined && e.error !== undefined) return; // refused by the destination: never reached the system
      c.originals += 1;
      const identity = e.key ?? e.messageId ?? e.id;
      // Kafka originals have no status: a relayed message is one operation. HTTP needs a 2xx.
      const succeeded = e.status === undefined ? e.relay !== undefined : e.status >= 200 && e.status < 300;
      if (succeeded) this.succeed(c, identity);
    } else {
      if (e.dryRun) return; // a decision logged in dry-run, never sent: not a copy
      c.copies += 1;
      if (e.outcome) c.outcomes[e.outcome] += 1;
      // A copy that overtook its original (which got 409) did the operation's one execution.
      if (e.outcome === 'conflict' && e.status !== undefined && e.status >= 200 && e.status < 300 && e.key) this.succeed(c, e.key);
    }
  }

  names(): string[] {
    return [...this.rules.keys()];
  }

  get(rule: string): RuleCounts {
    const { succeeded: _ignored, ...counts } = this.counts(rule);
    return { ...counts, outcomes: { ...counts.outcomes } };
  }

  totals(): RuleCounts {
    const total: RuleCounts = { originals: 0, ops: 0, copies: 0, outcomes: emptyOutcomes() };
    for (const name of this.names()) {
      const c = this.get(name);
      total.originals += c.originals;
      total.ops += c.ops;
      total.copies += c.copies;
      for (const o of OUTCOMES) total.outcomes[o] += c.outcomes[o];
    }
    return total;
  }
}
