// What each rule's service did while a link was cut (its dedup store away): failed closed (originals and
// copies answered with errors) or failed open (an original succeeded, or a copy re-executed, entirely
// inside an outage: the write ran without its duplicate check). Fed journal entries in one pass.
import type { JournalEntry } from '../journal/types';
import type { Scenario } from '../scenario/schema';
import type { InvariantResult } from './types';

export type StoreDownBehaviour = 'fail-closed' | 'fail-open' | 'untested' | 'books-only';

export interface StoreDownResult {
  declared?: 'fail-closed' | 'fail-open';
  observed: StoreDownBehaviour;
  /** Originals that started inside an outage window. */
  originals: { during: number; succeeded: number; refused: number; waited: number };
  /** Copies sent inside an outage window, by what came of them. */
  copies: { during: number; reExecuted: number; refused: number; other: number };
  /** Kafka relays: messages relayed inside an outage (the relay does not see the consumer's answers). */
  messages?: number;
}

interface Span { start: number; end: number }

const ms = (iso: string | undefined) => (iso ? Date.parse(iso) : NaN);
const ok2xx = (s?: number) => s !== undefined && s >= 200 && s < 300;

/**
 * Give it the outage windows first (the journal's `kind: link` lines, written when a window ends), then
 * every attempt: counts are kept per rule, the attempts themselves are not (journals can be huge).
 */
export class StoreDownEvaluator {
  private readonly windows: Span[];
  private readonly out: Record<string, StoreDownResult> = {};
  private readonly relays: Set<string>;
  private readonly declared = new Map<string, StoreDownResult['declared']>();

  constructor(private readonly scenario: Scenario, windows: readonly { start?: string; end?: string }[]) {
    this.windows = windows.map((w) => ({ start: ms(w.start), end: ms(w.end) }));
    this.relays = new Set(scenario.kafka?.relays.map((r) => r.name));
    for (const r of [...(scenario.http?.rules ?? []), ...(scenario.kafka?.relays ?? [])]) if (r.onStoreDown) this.declared.set(r.name, r.onStoreDown);
    for (const name of this.declared.keys()) this.entry(name);
  }

  private entry(name: string): StoreDownResult {
    const declared = this.declared.get(name);
    return (this.out[name] ??= {
      ...(declared ? { declared } : {}), observed: 'untested',
      originals: { during: 0, succeeded: 0, refused: 0, waited: 0 }, copies: { during: 0, reExecuted: 0, refused: 0, other: 0 },
    });
  }

  add(e: JournalEntry): void {
    const name = e.rule ?? e.relay;
    if ((e.kind !== 'original' && e.kind !== 'copy') || e.dryRun || !name || this.windows.length === 0) return;
    const end = ms(e.ts);
    const start = end - (e.durationMs ?? 0);
    const w = this.windows.find((x) => start >= x.start && start < x.end);
    if (!w) return;
    const r = this.entry(name);
    if (this.relays.has(name)) {
      r.messages = (r.messages ?? 0) + 1;
      return;
    }
    const inside = end <= w.end;
    if (e.kind === 'original') {
      r.originals.during += 1;
      if (!ok2xx(e.status)) r.originals.refused += 1;
      else if (inside) r.originals.succeeded += 1;
      else r.originals.waited += 1; // succeeded after the store came back: it may have waited for it
    } else {
      r.copies.during += 1;
      if (e.outcome === 're-executed' && inside) r.copies.reExecuted += 1;
      else if (e.outcome === 'error' || (e.status !== undefined && e.status >= 500)) r.copies.refused += 1;
      else r.copies.other += 1;
    }
  }

  results(): Record<string, StoreDownResult> {
    for (const [name, r] of Object.entries(this.out)) r.observed = this.relays.has(name) ? 'books-only' : observe(r);
    return this.out;
  }
}

function observe(r: StoreDownResult): StoreDownBehaviour {
  if (r.originals.succeeded > 0 || r.copies.reExecuted > 0) return 'fail-open';
  if (r.originals.refused > 0 || r.copies.refused > 0) return 'fail-closed';
  return 'untested';
}

/** One invariant row per rule that declared onStoreDown; fail-closed declared but failed open → not ok. */
export function storeDownInvariant(name: string, r: StoreDownResult): InvariantResult | undefined {
  if (!r.declared || r.observed === 'untested') return undefined;
  const leaks = r.originals.succeeded + r.copies.reExecuted;
  const seen = `${r.originals.during} originals (${r.originals.refused} refused, ${r.originals.succeeded} succeeded) and ${r.copies.during} copies (${r.copies.refused} refused, ${r.copies.reExecuted} re-executed) during outages`;
  if (r.observed === 'books-only') {
    return { name: `store down: ${name} ${r.declared}`, ok: true, expected: null, actual: r.messages ?? 0, detail: `${r.messages ?? 0} messages relayed during outages; the invariants over the books decide` };
  }
  const ok = r.declared === 'fail-open' || r.observed === 'fail-closed';
  return {
    name: `store down: ${name} ${r.declared}`, ok, expected: 0, actual: r.declared === 'fail-closed' ? leaks : null,
    detail: `${name} failed ${r.observed === 'fail-open' ? 'open' : 'closed'}${ok ? '' : ` but declares ${r.declared}`}: ${seen}`,
  };
}
